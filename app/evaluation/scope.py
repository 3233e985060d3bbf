"""Whose evaluation results a person may see, as SQL conditions (never a Python filter).

- HR and admins: every offering of their organisation's courses, and every offering their
  organisation runs.
- Organisers: their own courses, meaning the courses of offerings they created or are the
  contact person for, within their organisation (as owner or as the one running it).
- Partners (editors, HR and admins of an organisation): the aggregated results of the
  packages their organisation published, wherever those are taught. A package belongs to
  the organisation that first published it (design.md, ``POST /packages``); here that is
  the owner of the earliest course carrying the package's uid (``Course.source_package_uid``).
  Partners see results per organisation and in total, never per offering or free text.

Every results query takes one of these conditions, so filters and sort keys can narrow
what a person sees but never widen it.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.accounts.scope import organisation_ids
from app.catalogue.models import Course
from app.enrolment.models import Offering

#: Roles that see results at all (see ``PERMISSIONS["evaluation.results"]``).
RESULT_ROLES = ("admin", "hr", "organiser", "editor")
PARTNER_ROLES = ("editor", "hr", "admin")


def full_condition(user: User | None, *, offering=Offering, course=Course):
    """Offerings (joined with their course) whose results the person sees in full."""
    clauses = []
    wide = organisation_ids(user, "hr", "admin")
    if wide:
        clauses.append(sa.or_(course.organisation_id.in_(wide), offering.organisation_id.in_(wide)))
    organiser = organisation_ids(user, "organiser")
    if organiser:
        own = aliased(Offering)
        own_courses = sa.select(own.course_id).where(
            sa.or_(own.created_by_id == user.id, sa.func.lower(own.contact_email) == user.email)
        )
        clauses.append(
            sa.and_(
                sa.or_(
                    course.organisation_id.in_(organiser),
                    offering.organisation_id.in_(organiser),
                ),
                course.id.in_(own_courses),
            )
        )
    return sa.or_(*clauses) if clauses else sa.false()


def published_package_uids(org_ids: set[int]):
    """The package uids first published by one of ``org_ids`` (a subquery)."""
    first = (
        sa.select(sa.func.min(Course.id))
        .where(Course.source_package_uid.is_not(None))
        .group_by(Course.source_package_uid)
    )
    return sa.select(Course.source_package_uid).where(
        Course.id.in_(first), Course.organisation_id.in_(org_ids)
    )


def package_condition(user: User | None, *, course=Course):
    """Courses that are copies (or the original) of a package the person's organisation
    published: partners see these aggregated, wherever they are taught."""
    orgs = organisation_ids(user, *PARTNER_ROLES)
    if not orgs:
        return sa.false()
    return course.source_package_uid.in_(published_package_uids(orgs))


def manages_questions(user: User | None, course: Course) -> bool:
    """Organisers and admins of the course's owner organisation edit its own questions."""
    return course.organisation_id in organisation_ids(user, "organiser", "admin")


def sees_packages(user: User | None) -> bool:
    return bool(organisation_ids(user, *PARTNER_ROLES))

"""The demo courses and the demo requirement.

The demo courses are the kurs/ packages "IT i hverdagen" and "Prosjektledersamling",
imported as any package is (modules, quiz, programme): the packages are their only source.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.catalogue.models import Course, Requirement, RequirementGroup

OWNER = "trondheim"
LEADER_LEVELS = ("toppleder", "mellomleder", "forstelinjeleder")
DEMO_COURSES = ("it-i-hverdagen", "prosjektledersamling")


def ensure_demo_courses(session: Session, today: date | None = None) -> dict[str, Course]:
    """The two demo courses, imported from kurs/ for Trondheim kommune (idempotent)."""
    from app.sharing import demo as sharing_demo

    found = {c.slug: c for c in session.scalars(
        sa.select(Course).where(Course.slug.in_(DEMO_COURSES)))}
    if len(found) < len(DEMO_COURSES):
        sharing_demo.load(session, today or date.today(), names=DEMO_COURSES)
        found = {c.slug: c for c in session.scalars(
            sa.select(Course).where(Course.slug.in_(DEMO_COURSES)))}
    return found


def ensure_requirements(session: Session, course: Course) -> None:
    """IT i hverdagen is mandatory for every leader level in Trondheim kommune, within
    twelve months of becoming a leader."""
    have = set(session.scalars(
        sa.select(Requirement.leader_level).where(
            Requirement.course_id == course.id,
            Requirement.group_kind == RequirementGroup.LEADER_LEVEL,
            Requirement.organisation_id == course.organisation_id)
    ))
    for level in LEADER_LEVELS:
        if level not in have:
            session.add(Requirement(
                organisation_id=course.organisation_id, course_id=course.id,
                group_kind=RequirementGroup.LEADER_LEVEL, leader_level=level, due_months=12,
            ))
    session.flush()

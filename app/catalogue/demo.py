"""The demo courses and the demo requirement.

``ensure_demo_courses`` creates "IT i hverdagen" and "Prosjektledersamling" directly, until
the kurs/ package import (issue 7) replaces it; everything else calls only this function.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import Organisation
from app.catalogue.demo_content import IT_I_HVERDAGEN, PROSJEKTLEDERSAMLING
from app.catalogue.models import (
    Course,
    CourseAudience,
    CourseKind,
    CourseStatus,
    Module,
    Requirement,
    RequirementGroup,
)

OWNER = "trondheim"
LEADER_LEVELS = ("toppleder", "mellomleder", "forstelinjeleder")


def _course(session: Session, owner: Organisation, content: dict, **kw) -> Course:
    course = session.scalar(sa.select(Course).where(Course.slug == content["slug"]))
    if course is not None:
        return course
    course = Course(
        organisation_id=owner.id, slug=content["slug"], title=content["title"],
        summary=content["summary"], description=content["description"],
        status=CourseStatus.PUBLISHED, language="nb", licence="NLOD-2.0",
        validity_months=content["validity_months"], **kw,
    )
    course.audiences = [CourseAudience(audience=a) for a in content["audiences"]]
    for position, (title, minutes, body) in enumerate(content.get("modules", []), start=1):
        course.modules.append(Module(position=position, title=title, body=body,
                                     estimated_minutes=minutes))
    session.add(course)
    session.flush()
    return course


def ensure_demo_courses(session: Session) -> dict[str, Course]:
    """The two demo courses, owned by Trondheim kommune (idempotent)."""
    owner = session.scalar(sa.select(Organisation).where(Organisation.slug == OWNER))
    if owner is None:
        raise RuntimeError("load the demo people first (organisation 'trondheim' is missing)")
    leader_course = _course(session, owner, IT_I_HVERDAGEN, kind=CourseKind.COURSE,
                            completion_requires_attendance=True,
                            completion_requires_quiz=True)
    seminar = _course(session, owner, PROSJEKTLEDERSAMLING, kind=CourseKind.SEMINAR,
                      completion_requires_attendance=True)
    return {leader_course.slug: leader_course, seminar.slug: seminar}


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

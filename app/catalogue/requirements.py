"""Mandatory courses: which course an organisation requires of which group of people, and
by when. HR and admins of the whole organisation keep them (/forvaltning/krav); the home
page, the catalogue ("Obligatorisk for deg") and the competence reports read them.

A requirement is never deleted, only deactivated: the reports of earlier years and the
audit trail keep pointing at it, and turning it on again restores it as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.accounts.models import Unit, User
from app.accounts.scope import assignments
from app.catalogue.models import Course, CourseStatus, Requirement, RequirementGroup
from app.errors import ConflictError, DomainError, NotFoundError
from app.security import audit

#: Roles that keep the requirements, organisation-wide only: a requirement binds the whole
#: organisation, so an HR adviser scoped to one sector does not set it.
KEEPER_ROLES = ("hr", "admin")
#: The leader levels a requirement can name (user_account.leader_level values).
LEADER_LEVELS = ("toppleder", "mellomleder", "forstelinjeleder")
MAX_DUE_MONTHS = 120


def keeper_organisations(user: User) -> set[int]:
    """Organisations whose requirements the person keeps."""
    return {ra.organisation_id for ra in assignments(user, *KEEPER_ROLES) if ra.unit_id is None}


@dataclass(frozen=True)
class RequirementRow:
    requirement: Requirement
    course_title: str
    course_slug: str
    unit_name: str | None


def requirements_of(session: Session, organisation_ids: set[int]) -> list[RequirementRow]:
    """The organisations' requirements, active first, by course: one statement."""
    rows = session.execute(
        sa.select(Requirement, Course.title, Course.slug, Unit.name)
        .join(Course, Course.id == Requirement.course_id)
        .outerjoin(Unit, Unit.id == Requirement.unit_id)
        .where(Requirement.organisation_id.in_(organisation_ids))
        .order_by(Requirement.active.desc(), Course.title, Requirement.group_kind,
                  Requirement.leader_level, Unit.path, Requirement.id)
    )
    return [RequirementRow(*row) for row in rows]


def course_choices(session: Session, organisation_id: int) -> list[tuple[int, str]]:
    """The organisation's published courses (its own and those it imported)."""
    return [(cid, title) for cid, title in session.execute(
        sa.select(Course.id, Course.title)
        .where(Course.organisation_id == organisation_id,
               Course.status == CourseStatus.PUBLISHED)
        .order_by(Course.title, Course.id))]


def unit_choices(session: Session, organisation_id: int) -> list[tuple[int, str]]:
    """The organisation's units in tree order, indented by depth."""
    return [(uid, "\u2003" * (path.count("/") - 2) + name) for uid, name, path in
            session.execute(sa.select(Unit.id, Unit.name, Unit.path)
                            .where(Unit.organisation_id == organisation_id)
                            .order_by(Unit.path))]


def add_requirement(session: Session, *, actor: User, organisation_id: int, course_id: int,
                    group: str, unit_id: int | None, due_months: int | None) -> Requirement:
    """Require a course of a group: a leader level, the IT project leaders, or everyone in
    a unit's subtree, within ``due_months`` of joining the group (None: no deadline)."""
    if organisation_id not in keeper_organisations(actor):
        raise NotFoundError("organisation_not_found", _l("Fant ikke organisasjonen."))
    course = session.get(Course, course_id)
    if course is None or course.organisation_id != organisation_id:
        raise DomainError("course_not_found", _l("Velg et av organisasjonens kurs."),
                          field="course")
    if due_months is not None and not 0 <= due_months <= MAX_DUE_MONTHS:
        raise DomainError("due_months_range",
                          _l("Fristen må være mellom 0 og %(max)s måneder.", max=MAX_DUE_MONTHS),
                          field="due_months")
    values = {"leader_level": None, "unit_id": None}
    if group in LEADER_LEVELS:
        values.update(group_kind=RequirementGroup.LEADER_LEVEL, leader_level=group)
    elif group == "project_leader":
        values.update(group_kind=RequirementGroup.PROJECT_LEADER)
    elif group == "unit":
        unit = session.get(Unit, unit_id) if unit_id else None
        if unit is None or unit.organisation_id != organisation_id:
            raise DomainError("unit_required", _l("Velg enheten kravet gjelder for."),
                              field="unit")
        values.update(group_kind=RequirementGroup.UNIT, unit_id=unit.id)
    else:
        raise DomainError("group_unknown", _l("Velg hvem kravet gjelder for."), field="group")
    existing = session.scalar(sa.select(Requirement).where(
        Requirement.organisation_id == organisation_id, Requirement.course_id == course.id,
        Requirement.group_kind == values["group_kind"],
        Requirement.leader_level.is_(None) if values["leader_level"] is None
        else Requirement.leader_level == values["leader_level"],
        Requirement.unit_id.is_(None) if values["unit_id"] is None
        else Requirement.unit_id == values["unit_id"]))
    if existing is not None:
        message = (_l("Kravet finnes allerede.") if existing.active else
                   _l("Kravet finnes allerede, men er slått av. Slå det på i listen."))
        raise ConflictError("requirement_exists", message)
    requirement = Requirement(organisation_id=organisation_id, course_id=course.id,
                              due_months=due_months, active=True, **values)
    session.add(requirement)
    session.flush()
    audit(session, actor=actor, action="catalogue.requirement_added", obj=requirement,
          course=course.id, group=group, unit=values["unit_id"], due_months=due_months)
    return requirement


def set_active(session: Session, *, actor: User, requirement_id: int,
               active: bool) -> Requirement:
    requirement = session.get(Requirement, requirement_id)
    if requirement is None or requirement.organisation_id not in keeper_organisations(actor):
        raise NotFoundError("requirement_not_found", _l("Fant ikke kravet."))
    if requirement.active != active:
        requirement.active = active
        audit(session, actor=actor, action="catalogue.requirement_" +
              ("activated" if active else "deactivated"), obj=requirement)
    return requirement

"""A small organisation for the report tests: a sector with two units, leaders and staff,
IT i hverdagen required of every leader level, completions and a seminar."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.accounts.models import Organisation, Unit, User
from app.catalogue.models import Course, CourseStatus, Requirement, RequirementGroup
from app.certificates.models import Completion, CompletionSource
from tests.factories import make_org, make_unit, make_user

_seq = itertools.count(1)
NOW = datetime.fromisoformat("2026-11-15T12:00:00+00:00")
LEVELS = ("toppleder", "mellomleder", "forstelinjeleder")


def make_course(session, org, *, title=None, validity_months=None, kind="course") -> Course:
    n = next(_seq)
    course = Course(organisation_id=org.id, slug=f"rapportkurs-{n}", title=title or f"Kurs {n}",
                    status=CourseStatus.PUBLISHED, validity_months=validity_months, kind=kind)
    session.add(course)
    session.flush()
    return course


def require(session, course, *, level=None, unit=None, project_leader=False, due_months=12):
    if level is not None:
        kind = RequirementGroup.LEADER_LEVEL
    elif unit is not None:
        kind = RequirementGroup.UNIT
    else:
        kind = RequirementGroup.PROJECT_LEADER
    requirement = Requirement(organisation_id=course.organisation_id, course_id=course.id,
                              group_kind=kind, leader_level=level,
                              unit_id=getattr(unit, "id", None), due_months=due_months)
    session.add(requirement)
    session.flush()
    return requirement


def complete(session, user, course, *, at: datetime, expires: datetime | None = None,
             number: int = 1) -> Completion:
    completion = Completion(user_id=user.id, course_id=course.id, number=number,
                            completed_at=at, expires_at=expires,
                            source=CompletionSource.EXTERNAL)
    session.add(completion)
    session.flush()
    return completion


@dataclass
class World:
    org: Organisation
    sector: Unit
    units: list[Unit]
    course: Course
    leaders: list[User] = field(default_factory=list)
    staff: list[User] = field(default_factory=list)
    hr: User | None = None
    sector_head: User | None = None


def make_world(session, *, staff_per_unit: int = 2, units: int = 2, org=None) -> World:
    """A sector led by a toppleder, ``units`` units each led by a mellomleder with
    ``staff_per_unit`` employees, IT i hverdagen required of every leader level."""
    org = org or make_org(session)
    sector = make_unit(session, org=org, name="Helse og velferd")
    head = make_user(session, unit=sector, leader_level="toppleder", name="Toppleder Tora",
                     leader_since=date(2024, 1, 1))
    sector.manager_id = head.id
    course = make_course(session, org, title="IT i hverdagen", validity_months=36)
    for level in LEVELS:
        require(session, course, level=level)
    world = World(org=org, sector=sector, units=[], course=course, sector_head=head)
    world.leaders.append(head)
    for i in range(units):
        unit = make_unit(session, org=org, parent=sector, name=f"Enhet {i + 1}")
        leader = make_user(session, unit=unit, leader_level="mellomleder",
                           name=f"Leder {i + 1}", leader_since=date(2025, 1, 1))
        unit.manager_id = leader.id
        world.units.append(unit)
        world.leaders.append(leader)
        for j in range(staff_per_unit):
            world.staff.append(make_user(session, unit=unit, name=f"Ansatt {i + 1}.{j + 1}"))
    world.hr = make_user(session, org=org, unit=sector, roles=["hr"], name="HR Hanne")
    session.flush()
    session.expire_all()  # led_units follow the managers set above
    return world


def ago(days: int) -> datetime:
    return NOW - timedelta(days=days)

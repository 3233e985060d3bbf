"""Pure rules of the catalogue: whom a course is meant for and when a mandatory course
is due. No database, no Flask."""

from __future__ import annotations

import calendar
from datetime import date

from app.catalogue.models import Audience, RequirementGroup

LEADER_AUDIENCES = frozenset({Audience.TOP, Audience.MIDDLE, Audience.FIRST_LINE})


def audiences_of(*, leader_level: str, is_project_leader: bool) -> frozenset[str]:
    """The audience values that describe a person: their leader level, the IT project
    leader role, and "everyone"."""
    values = {Audience.EVERYONE.value}
    if leader_level and leader_level != "none":
        values.add(str(leader_level))
    if is_project_leader:
        values.add(Audience.PROJECT_LEADER.value)
    return frozenset(values)


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(*, group_kind: str, due_months: int | None, leader_since: date | None,
             unit_since: date | None) -> date | None:
    """When a person must have completed a required course: ``due_months`` after they
    joined the group the requirement binds (became a leader, joined the unit). The IT
    project leader role has no start date of its own; the unit date stands in for it."""
    if due_months is None:
        return None
    joined = leader_since if group_kind == RequirementGroup.LEADER_LEVEL else unit_since
    if joined is None:
        return None
    return add_months(joined, due_months)

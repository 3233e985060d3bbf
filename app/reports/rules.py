"""Pure rules of the competence reports: rolling counts up the unit tree, the bands a
coverage cell is shown in, how long someone has lacked a course, expiry windows, the
months of the trend. No database, no Flask."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.accounts.models import unit_ids_of_path
from app.catalogue.models import RequirementGroup
from app.catalogue.rules import add_months, due_date

#: Coverage at or above this share is "good", at or above MIDDLE "partly", below "low".
GOOD = 0.9
MIDDLE = 0.6
#: Expiry windows in days, shortest first.
EXPIRY_WINDOWS = (30, 90, 180)
TREND_MONTHS = 24


@dataclass
class Cell:
    required: int = 0
    completed: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.completed / self.required) if self.required else None

    @property
    def band(self) -> str:
        """good / partly / low, or none when nobody is required to take the course."""
        if not self.required:
            return "none"
        share = self.completed / self.required
        return "good" if share >= GOOD else "partly" if share >= MIDDLE else "low"


@dataclass
class TreeUnit:
    id: int
    parent_id: int | None
    name: str
    code: str
    depth: int
    path: str
    #: People in the unit and below it (with the level filter).
    people: int = 0
    #: course id -> the unit's whole subtree (its own people and everyone below).
    cells: dict[int, Cell] = field(default_factory=dict)
    children: list[TreeUnit] = field(default_factory=list)

    def cell(self, course_id: int) -> Cell:
        return self.cells.get(course_id) or Cell()

    @property
    def required(self) -> int:
        return sum(c.required for c in self.cells.values())

    @property
    def completed(self) -> int:
        return sum(c.completed for c in self.cells.values())


def roll_up(units: Iterable[tuple], counts: Iterable[tuple]) -> list[TreeUnit]:
    """Build the tree of ``units`` (id, parent_id, name, code, depth, path[, people]) and
    add each (unit_id, course_id, required, completed) to the unit and to every ancestor
    that is in the tree; people are rolled up the same way. Returns the roots (units whose
    parent is not in the tree), in path order."""
    by_id: dict[int, TreeUnit] = {}
    own_people: dict[int, int] = {}
    for unit_id, parent_id, name, code, depth, path, *rest in units:
        by_id[unit_id] = TreeUnit(unit_id, parent_id, name, code, depth, path)
        own_people[unit_id] = rest[0] if rest else 0
    roots = []
    for unit in sorted(by_id.values(), key=lambda u: u.path):
        parent = by_id.get(unit.parent_id) if unit.parent_id is not None else None
        if parent is None:
            roots.append(unit)
        else:
            parent.children.append(unit)
    # Each unit's own line up the tree (itself and its ancestors in the tree), once.
    lines = {unit_id: [by_id[a] for a in unit_ids_of_path(unit.path) if a in by_id]
             for unit_id, unit in by_id.items()}
    for unit_id, count in own_people.items():
        for ancestor in lines[unit_id]:
            ancestor.people += count
    for unit_id, course_id, required, completed in counts:
        for ancestor in lines.get(unit_id, ()):
            cell = ancestor.cells.get(course_id)
            if cell is None:
                cell = ancestor.cells[course_id] = Cell()
            cell.required += required
            cell.completed += completed or 0
    return roots


def walk(roots: Iterable[TreeUnit]):
    """Every unit of the tree, depth first in path order."""
    for unit in roots:
        yield unit
        yield from walk(unit.children)


def total(roots: Iterable[TreeUnit], course_id: int) -> Cell:
    cell = Cell()
    for unit in roots:
        c = unit.cell(course_id)
        cell.required += c.required
        cell.completed += c.completed
    return cell


# Gaps ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lack:
    #: When the course had to be completed (None: no due time, or no start date known).
    due: date | None
    #: Since when the person has lacked the course: the expiry of their last completion,
    #: or the day they joined the group the requirement binds.
    since: date | None

    def days(self, today: date) -> int | None:
        return (today - self.since).days if self.since and self.since <= today else None

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today


def lack(*, due_leader: int | None, due_other: int | None, leader_since: date | None,
         unit_since: date | None, last_expired: date | None) -> Lack:
    """Due date and "lacking since" for a person and a course, from the shortest due
    months of the leader-level requirements and of the others (unit, project leader) that
    bind them; the due date is the catalogue's rule (``app.catalogue.rules.due_date``)."""
    dues, joined = [], []
    for group, months, start in (
        (RequirementGroup.LEADER_LEVEL, due_leader, leader_since),
        (RequirementGroup.UNIT, due_other, unit_since),
    ):
        if months is None:
            continue
        if start is not None:
            joined.append(start)
        if months >= 0:
            day = due_date(group_kind=group, due_months=months, leader_since=leader_since,
                           unit_since=unit_since)
            if day is not None:
                dues.append(day)
    if last_expired is not None:
        return Lack(due=last_expired, since=last_expired)
    return Lack(due=min(dues) if dues else None, since=min(joined) if joined else None)


# Expiry --------------------------------------------------------------------------------


def expiry_window(expires: datetime, now: datetime) -> str:
    """expired, or the shortest of 30 / 90 / 180 days that holds the expiry; "later"
    beyond that."""
    if expires <= now:
        return "expired"
    for days in EXPIRY_WINDOWS:
        if expires <= now + timedelta(days=days):
            return str(days)
    return "later"


# Trend ---------------------------------------------------------------------------------


def trend_months(today: date, count: int = TREND_MONTHS) -> list[str]:
    """The last ``count`` months up to and including ``today``'s, as "YYYY-MM"."""
    first = add_months(today.replace(day=1), -(count - 1))
    return [add_months(first, i).strftime("%Y-%m") for i in range(count)]


def trend_series(rows: Iterable[tuple], months: list[str]) -> dict[int, list[int]]:
    """(course_id, "YYYY-MM", count) -> course id -> counts per month in ``months``."""
    index = {m: i for i, m in enumerate(months)}
    series: dict[int, list[int]] = defaultdict(lambda: [0] * len(months))
    for course_id, month, count in rows:
        if month in index:
            series[course_id][index[month]] += count
    return dict(series)

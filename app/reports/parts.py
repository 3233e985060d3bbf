"""The parts of the competence report, assembled from the queries and the pure rules.

The pages, the exports, the CLI and the API all read these, so a figure is computed once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from app.accounts.models import User
from app.reports import queries, rules
from app.reports.rules import Cell, Lack, TreeUnit
from app.reports.scope import OSLO, Filters


@dataclass
class Coverage:
    roots: list[TreeUnit]
    #: (id, slug, title) of the required courses, the matrix's columns.
    courses: list[tuple]
    people: int

    @property
    def units(self) -> list[TreeUnit]:
        return list(rules.walk(self.roots))

    def total(self, course_id: int) -> Cell:
        return rules.total(self.roots, course_id)

    def rows(self):
        """Flat rows for files: (unit, code, level, course, required, completed, percent)."""
        titles = {c[0]: c[2] for c in self.courses}
        for unit in self.units:
            for course_id, cell in sorted(unit.cells.items(), key=lambda i: titles.get(i[0], "")):
                if course_id in titles:
                    yield (unit.name, unit.code, unit.depth, titles[course_id], cell.required,
                           cell.completed, cell.percent)


def coverage(session: Session, user: User, filters: Filters, *, now: datetime) -> Coverage:
    data = queries.coverage(session, user, filters, now=now)
    roots = rules.roll_up(data.units, data.counts)
    return Coverage(roots=roots, courses=data.courses, people=sum(r.people for r in roots))


@dataclass(frozen=True)
class Gap:
    user_id: int
    name: str
    email: str
    unit: str
    course_id: int
    course: str
    lack: Lack
    #: (id, title, starts_at, free seats or None) of the next offering with a free seat.
    next_offering: tuple | None
    #: The coming offering the person is signed up for (same tuple), and how: enrolled,
    #: waitlisted or requested; None when they have not signed up.
    signed_offering: tuple | None = None
    signed_status: str | None = None


@dataclass
class Gaps:
    rows: list[Gap]
    truncated: bool
    today: date

    @property
    def people(self) -> set[int]:
        return {g.user_id for g in self.rows}


def gaps(session: Session, user: User, filters: Filters, *, now: datetime,
         limit: int | None = queries.PAGE_ROWS) -> Gaps:
    fetch = None if limit is None else limit + 1
    rows, offerings = queries.gaps(session, user, filters, now=now, limit=fetch)
    today = now.astimezone(OSLO).date()
    items = [
        Gap(r.id, r.name, r.email, r.unit_name, r.course_id, r.title,
            rules.lack(due_leader=r.due_leader, due_other=r.due_other,
                       leader_since=r.leader_since, unit_since=r.unit_since,
                       last_expired=r.last_expired.astimezone(OSLO).date()
                       if r.last_expired else None),
            offerings.get(r.next_offering_id), offerings.get(r.signed_offering_id),
            str(r.signed_status) if r.signed_status else None)
        for r in rows
    ]
    truncated = limit is not None and len(items) > limit
    return Gaps(items[:limit] if truncated else items, truncated, today)


@dataclass(frozen=True)
class Expiring:
    user_id: int
    name: str
    email: str
    unit: str
    course: str
    completed_at: datetime
    expires_at: datetime
    serial: str | None
    window: str


def expiry(session: Session, user: User, filters: Filters, *, now: datetime,
           limit: int | None = None) -> list[Expiring]:
    stmt = queries.expiry_statement(user, filters, now=now)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [Expiring(*row, window=rules.expiry_window(row[6], now))
            for row in session.execute(stmt)]


def expiry_counts(items: list[Expiring]) -> dict[str, int]:
    counts = {"expired": 0, **{str(d): 0 for d in rules.EXPIRY_WINDOWS}}
    for item in items:
        counts[item.window] = counts.get(item.window, 0) + 1
    return counts


@dataclass(frozen=True)
class MethodologyRow:
    user_id: int
    name: str
    email: str
    unit: str
    is_project_leader: bool
    projects: int
    last_attended: datetime | None


def methodology(session: Session, user: User, filters: Filters) -> list[MethodologyRow]:
    return [MethodologyRow(*row)
            for row in session.execute(queries.methodology_statement(user, filters))]


@dataclass
class Trend:
    months: list[str]
    #: (course_id, title, counts per month), most completions first.
    series: list[tuple[int, str, list[int]]] = field(default_factory=list)


def trend(session: Session, user: User, filters: Filters, *, now: datetime) -> Trend:
    today = now.astimezone(OSLO).date()
    months = rules.trend_months(today)
    starts = [(month, datetime.combine(date.fromisoformat(month + "-01"), datetime.min.time(),
                                       OSLO).astimezone(UTC)) for month in months]
    rows = session.execute(queries.trend_statement(user, filters, starts=starts)).all()
    titles = {r[0]: r[1] for r in rows}
    counts = rules.trend_series(((r[0], r[2], r[3]) for r in rows), months)
    series = sorted(((cid, titles[cid], values) for cid, values in counts.items()),
                    key=lambda s: (-sum(s[2]), s[1]))
    return Trend(months=months, series=series)

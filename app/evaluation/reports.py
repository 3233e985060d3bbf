"""What each results page shows, assembled from the queries and the pure aggregates.

Every figure comes from ``aggregates`` (which applies the anonymity rule); this module
only chooses the rows (through the scope conditions) and groups them for a page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.catalogue.models import Course
from app.common.charts import Chart
from app.enrolment.models import Offering
from app.evaluation import figures, queries
from app.evaluation.aggregates import (
    OwnQuestionSummary,
    Results,
    first_results,
    follow_up_results,
    summarise_own_questions,
)
from app.evaluation.filters import Period
from app.evaluation.models import EvaluationKind, EvaluationQuestion
from app.evaluation.scope import full_condition, package_condition


@dataclass
class Section:
    """One kind of evaluation (first or follow-up) for one set of offerings."""

    kind: str
    results: Results
    asked: int = 0
    answered: int = 0
    charts: list[Chart] = field(default_factory=list)

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.asked if self.asked else None


def _first(rows, asked=(0, 0), *, with_trend=True) -> Section:
    results = first_results(rows)
    section = Section("first", results, *asked)
    if results.summary is not None:
        section.charts = [
            figures.distribution_chart(results.summary),
            figures.recommend_chart(results.summary),
        ]
        trend = figures.trend_chart(results.trend) if with_trend else None
        if trend is not None:
            section.charts.append(trend)
    return section


def _follow_up(rows, asked=(0, 0), *, with_trend=True) -> Section:
    results = follow_up_results(rows)
    section = Section("follow_up", results, *asked)
    if results.summary is not None:
        section.charts = [figures.follow_up_chart(results.summary)]
        trend = figures.follow_up_trend_chart(results.trend) if with_trend else None
        if trend is not None:
            section.charts.append(trend)
    return section


@dataclass
class Line:
    """A row of a comparison table: a course, an offering or an organisation."""

    key: Hashable
    label: str
    first: Results
    follow_up: Results
    asked: dict[str, int] = field(default_factory=dict)
    answered: dict[str, int] = field(default_factory=dict)
    link: str | None = None


def _lines(first_rows, follow_rows, key, label) -> list[Line]:
    by_key_first, by_key_follow = defaultdict(list), defaultdict(list)
    for r in first_rows:
        by_key_first[key(r)].append(r)
    for r in follow_rows:
        by_key_follow[key(r)].append(r)
    keys = set(by_key_first) | set(by_key_follow)
    lines = [
        Line(k, label(k), first_results(by_key_first[k]), follow_up_results(by_key_follow[k]))
        for k in keys
    ]
    return sorted(lines, key=lambda line: line.label.casefold())


# Pages ---------------------------------------------------------------------------------


@dataclass
class Overview:
    first: Section
    follow_up: Section
    courses: list[Line]


def organisation_condition(organisation_id: int | None):
    if organisation_id is None:
        return sa.true()
    return sa.or_(
        Offering.organisation_id == organisation_id, Course.organisation_id == organisation_id
    )


def overview(
    session: Session, user: User, *, period: Period, organisation_id: int | None = None
) -> Overview:
    """Everything the person sees in full, compared course by course."""
    condition = sa.and_(full_condition(user), organisation_condition(organisation_id))
    first = queries.answer_rows(
        session, kind=EvaluationKind.FIRST, condition=condition, period=period
    )
    follow = queries.answer_rows(
        session, kind=EvaluationKind.FOLLOW_UP, condition=condition, period=period
    )
    counts = queries.response_counts(session, condition=condition, period=period)
    courses = {**first.courses, **follow.courses}
    lines = _lines(first.rows, follow.rows, lambda r: r.course, lambda k: courses[k].title)
    for line in lines:
        line.link = courses[line.key].slug
    return Overview(
        first=_first(first.rows, counts["first"]),
        follow_up=_follow_up(follow.rows, counts["follow_up"]),
        courses=lines,
    )


@dataclass
class CourseReport:
    first: Section
    follow_up: Section
    offerings: list[Line]
    own: list[tuple[EvaluationQuestion, OwnQuestionSummary | None]]


def course_report(session: Session, user: User, course: Course, *, period: Period) -> CourseReport:
    condition = sa.and_(full_condition(user), Course.id == course.id)
    first = queries.answer_rows(
        session, kind=EvaluationKind.FIRST, condition=condition, period=period
    )
    follow = queries.answer_rows(
        session, kind=EvaluationKind.FOLLOW_UP, condition=condition, period=period
    )
    offerings = queries.course_offerings(session, course_id=course.id, condition=condition)
    by_id = {o.id: o for o in offerings}
    lines = _lines(
        first.rows, follow.rows, lambda r: r.group, lambda k: by_id[k].title if k in by_id else ""
    )
    lines_by_key = {line.key: line for line in lines}
    ordered = []
    for o in offerings:
        line = lines_by_key.get(o.id) or Line(
            o.id, o.title, first_results([]), follow_up_results([])
        )
        line.asked, line.answered = o.asked, o.answered
        ordered.append(line)
    return CourseReport(
        first=_first(first.rows, _totals(offerings, "first")),
        follow_up=_follow_up(follow.rows, _totals(offerings, "follow_up")),
        offerings=ordered,
        own=_own(session, course, condition),
    )


def _totals(offerings, kind: str) -> tuple[int, int]:
    return (
        sum(o.asked.get(kind, 0) for o in offerings),
        sum(o.answered.get(kind, 0) for o in offerings),
    )


def _own(session: Session, course: Course, condition):
    questions = queries.course_questions(session, course.id)
    if not questions:
        return []
    summaries = summarise_own_questions(
        queries.own_answer_rows(session, course_id=course.id, condition=condition)
    )
    return [(q, summaries.get(q.id)) for q in questions]


@dataclass
class OfferingReport:
    first: Section
    follow_up: Section
    own: list[tuple[EvaluationQuestion, OwnQuestionSummary | None]]


def offering_report(
    session: Session, user: User, offering: Offering, course: Course
) -> OfferingReport:
    condition = sa.and_(full_condition(user), Offering.id == offering.id)
    first = queries.answer_rows(session, kind=EvaluationKind.FIRST, condition=condition)
    follow = queries.answer_rows(session, kind=EvaluationKind.FOLLOW_UP, condition=condition)
    counts = queries.response_counts(session, condition=condition)
    return OfferingReport(
        first=_first(first.rows, counts["first"], with_trend=False),
        follow_up=_follow_up(follow.rows, counts["follow_up"], with_trend=False),
        own=_own(session, course, condition),
    )


@dataclass
class PackageReport:
    uid: str
    title: str
    first: Section
    follow_up: Section
    organisations: list[Line]


def shared_report(session: Session, user: User, *, period: Period) -> list[PackageReport]:
    """Per package the person's organisation published: totals and one line per
    organisation that teaches it. No offerings, no free text: partners see aggregates."""
    condition = package_condition(user)
    first = queries.answer_rows(
        session, kind=EvaluationKind.FIRST, condition=condition, period=period
    )
    follow = queries.answer_rows(
        session, kind=EvaluationKind.FOLLOW_UP, condition=condition, period=period
    )
    courses = {**first.courses, **follow.courses}
    organisations = {**first.organisations, **follow.organisations}
    titles = _package_titles(session, {c.package_uid for c in courses.values()})
    reports = []
    for uid in sorted(titles, key=lambda u: titles[u].casefold()):
        f_rows = [r for r in first.rows if courses[r.course].package_uid == uid]
        u_rows = [r for r in follow.rows if courses[r.course].package_uid == uid]
        first_section = _first(f_rows)
        follow_section = _follow_up(u_rows)
        # Partners see totals and organisations, never free text.
        first_section.results = _without_texts(first_section.results)
        follow_section.results = _without_texts(follow_section.results)
        lines = _lines(f_rows, u_rows, lambda r: r.organisation, lambda k: organisations[k])
        for line in lines:
            line.first = _without_texts(line.first)
            line.follow_up = _without_texts(line.follow_up)
        reports.append(PackageReport(uid, titles[uid], first_section, follow_section, lines))
    return reports


def _without_texts(results: Results) -> Results:
    return Results(results.split, results.summary, results.trend, [])


def _package_titles(session: Session, uids: set[str | None]) -> dict[str, str]:
    """The title of each package's first course (the publisher's own)."""
    uids = {u for u in uids if u}
    if not uids:
        return {}
    first = (
        sa.select(sa.func.min(Course.id))
        .where(Course.source_package_uid.in_(uids))
        .group_by(Course.source_package_uid)
    )
    return dict(
        session.execute(
            sa.select(Course.source_package_uid, Course.title).where(Course.id.in_(first))
        ).all()
    )

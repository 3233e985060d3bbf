"""Reads behind the evaluation pages: tuples, one statement each, whatever the data size.

Results queries take a scope condition from ``app.evaluation.scope`` and return rows for
``app.evaluation.aggregates``, which applies the anonymity rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from app.accounts.models import Organisation, User
from app.catalogue.models import Course
from app.enrolment.models import CourseSession, Enrolment, Offering
from app.evaluation.aggregates import FirstRow, FollowUpRow, OwnAnswerRow
from app.evaluation.filters import Period, local_month
from app.evaluation.models import (
    Evaluation,
    EvaluationAnswer,
    EvaluationKind,
    EvaluationQuestion,
    EvaluationRequest,
)


def offering_end():
    """When an offering ended: its end date, else the end of its last session."""
    last_session = (
        sa.select(sa.func.max(CourseSession.ends_at))
        .where(CourseSession.offering_id == Offering.id)
        .scalar_subquery()
    )
    return sa.func.coalesce(Offering.ends_at, last_session)


def offering_period():
    """The moment that places an offering in a month of the trend and in a period filter."""
    return sa.func.coalesce(offering_end(), Offering.starts_at, Offering.created_at)


@dataclass(frozen=True)
class CourseRef:
    id: int
    slug: str
    title: str
    package_uid: str | None


@dataclass(frozen=True)
class RowSet:
    """Answers of one kind with the names a page shows beside the figures."""

    rows: list
    courses: dict[int, CourseRef]
    organisations: dict[int, str]
    #: offering id -> title
    offerings: dict[int, str]


def answer_rows(
    session: Session, *, kind: EvaluationKind, condition, period: Period | None = None
) -> RowSet:
    """Every answer of ``kind`` to offerings that ``condition`` admits (one statement)."""
    period_col = offering_period().label("period")
    stmt = (
        sa.select(
            Evaluation.offering_id,
            period_col,
            Course.id,
            Course.slug,
            Course.title,
            Course.source_package_uid,
            Offering.organisation_id,
            Organisation.name,
            Evaluation.relevance,
            Evaluation.usefulness,
            Evaluation.teaching,
            Evaluation.recommend,
            Evaluation.follow_up,
            Evaluation.comment,
            Offering.title,
        )
        .join(Offering, Evaluation.offering_id == Offering.id)
        .join(Course, Offering.course_id == Course.id)
        .join(Organisation, Offering.organisation_id == Organisation.id)
        .where(Evaluation.kind == kind, condition)
    )
    stmt = _within(stmt, period_col, period)
    rows, courses, organisations, offerings = [], {}, {}, {}
    for r in session.execute(stmt):
        courses[r[2]] = CourseRef(r[2], r[3], r[4], r[5])
        organisations[r[6]] = r[7]
        offerings[r[0]] = r[14]
        month = local_month(r.period)
        if kind == EvaluationKind.FIRST:
            rows.append(FirstRow(r[0], month, r[8], r[9], r[10], r[11], r[13], r[2], r[6]))
        else:
            rows.append(FollowUpRow(r[0], month, str(r[12]), r[13], r[2], r[6]))
    return RowSet(rows=rows, courses=courses, organisations=organisations, offerings=offerings)


def _within(stmt, period_col, period: Period | None):
    if period is not None and period.since is not None:
        stmt = stmt.where(period_col >= period.since)
    if period is not None and period.until is not None:
        stmt = stmt.where(period_col < period.until)
    return stmt


def own_answer_rows(session: Session, *, course_id: int, condition) -> list[OwnAnswerRow]:
    """Answers to a course's own questions in the offerings ``condition`` admits."""
    stmt = (
        sa.select(
            Evaluation.offering_id,
            EvaluationAnswer.question_id,
            EvaluationAnswer.score,
            EvaluationAnswer.text,
        )
        .join(Evaluation, EvaluationAnswer.evaluation_id == Evaluation.id)
        .join(Offering, Evaluation.offering_id == Offering.id)
        .join(Course, Offering.course_id == Course.id)
        .where(Course.id == course_id, condition)
    )
    return [OwnAnswerRow(*r) for r in session.execute(stmt)]


@dataclass(frozen=True)
class OfferingLine:
    """An offering in a course's table: how many were asked and answered, per kind."""

    id: int
    title: str
    organisation: str
    ended: datetime | None
    asked: dict[str, int]
    answered: dict[str, int]


def course_offerings(session: Session, *, course_id: int, condition) -> list[OfferingLine]:
    """The course's offerings in scope that have evaluation requests, newest first."""
    ended = offering_end().label("ended")
    stmt = (
        sa.select(
            Offering.id,
            Offering.title,
            Organisation.name,
            ended,
            EvaluationRequest.kind,
            sa.func.count(EvaluationRequest.id),
            sa.func.count(EvaluationRequest.answered_at),
        )
        .join(Enrolment, EvaluationRequest.enrolment_id == Enrolment.id)
        .join(Offering, Enrolment.offering_id == Offering.id)
        .join(Course, Offering.course_id == Course.id)
        .join(Organisation, Offering.organisation_id == Organisation.id)
        .where(Course.id == course_id, condition)
        .group_by(Offering.id, Offering.title, Organisation.name, EvaluationRequest.kind)
    )
    lines: dict[int, OfferingLine] = {}
    for oid, title, org, end, kind, asked, answered in session.execute(stmt):
        line = lines.setdefault(oid, OfferingLine(oid, title, org, end, {}, {}))
        line.asked[str(kind)] = asked
        line.answered[str(kind)] = answered
    return sorted(lines.values(), key=lambda o: (o.ended is None, o.ended), reverse=True)


def response_counts(
    session: Session, *, condition, period: Period | None = None
) -> dict[str, tuple[int, int]]:
    """kind -> (asked, answered) over the offerings ``condition`` admits."""
    period_col = offering_period()
    stmt = (
        sa.select(
            EvaluationRequest.kind,
            sa.func.count(EvaluationRequest.id),
            sa.func.count(EvaluationRequest.answered_at),
        )
        .join(Enrolment, EvaluationRequest.enrolment_id == Enrolment.id)
        .join(Offering, Enrolment.offering_id == Offering.id)
        .join(Course, Offering.course_id == Course.id)
        .where(condition)
        .group_by(EvaluationRequest.kind)
    )
    stmt = _within(stmt, period_col, period)
    counts = {k.value: (0, 0) for k in EvaluationKind}
    for kind, asked, answered in session.execute(stmt):
        counts[str(kind)] = (asked, answered)
    return counts


def course_in_scope(session: Session, *, slug: str, condition) -> Course | None:
    """The course, when at least one of its offerings, or the course itself, is in scope."""
    return session.scalar(
        sa.select(Course)
        .where(Course.slug == slug)
        .where(sa.exists().where(Offering.course_id == Course.id, condition).correlate(Course))
    )


def offering_in_scope(session: Session, *, offering_id: int, condition):
    """(offering, course) when the offering is in scope, else None."""
    row = session.execute(
        sa.select(Offering, Course)
        .join(Course, Offering.course_id == Course.id)
        .where(Offering.id == offering_id, condition)
    ).first()
    return tuple(row) if row else None


def course_questions(session: Session, course_id: int) -> list[EvaluationQuestion]:
    """Every question the course has had, active ones first in position order."""
    return list(
        session.scalars(
            sa.select(EvaluationQuestion)
            .where(EvaluationQuestion.course_id == course_id)
            .order_by(
                EvaluationQuestion.active.desc(), EvaluationQuestion.position, EvaluationQuestion.id
            )
        )
    )


def question_answer_counts(session: Session, question_ids: list[int]) -> dict[int, int]:
    if not question_ids:
        return {}
    return dict(
        session.execute(
            sa.select(EvaluationAnswer.question_id, sa.func.count())
            .where(EvaluationAnswer.question_id.in_(question_ids))
            .group_by(EvaluationAnswer.question_id)
        ).all()
    )


# The participant's side ----------------------------------------------------------------


@dataclass(frozen=True)
class RequestLine:
    id: int
    kind: str
    course_title: str
    offering_title: str
    opens_at: datetime
    closes_at: datetime
    answered_at: datetime | None


@lru_cache(maxsize=2)
def _my_requests_statement(open_only: bool):
    """Built once per shape (the home page asks on every visit); person and time are bound."""
    now = sa.bindparam("now", type_=EvaluationRequest.opens_at.type)
    stmt = (
        sa.select(
            EvaluationRequest.id,
            EvaluationRequest.kind,
            Course.title,
            Offering.title,
            EvaluationRequest.opens_at,
            EvaluationRequest.closes_at,
            EvaluationRequest.answered_at,
        )
        .join(Enrolment, EvaluationRequest.enrolment_id == Enrolment.id)
        .join(Offering, Enrolment.offering_id == Offering.id)
        .join(Course, Offering.course_id == Course.id)
        .where(Enrolment.user_id == sa.bindparam("user_id"), EvaluationRequest.opens_at <= now)
        .order_by(EvaluationRequest.opens_at.desc(), EvaluationRequest.id.desc())
    )
    if open_only:
        stmt = stmt.where(
            EvaluationRequest.answered_at.is_(None), EvaluationRequest.closes_at > now
        )
    return stmt


def my_requests(
    session: Session, user: User, *, now: datetime, open_only: bool = False
) -> list[RequestLine]:
    """The person's evaluation requests that have opened, newest first."""
    rows = session.execute(_my_requests_statement(open_only), {"user_id": user.id, "now": now})
    return [RequestLine(r[0], str(r[1]), *r[2:]) for r in rows]


def request_for(session: Session, user: User, request_id: int):
    """(request, enrolment, offering, course) when the request is the person's own."""
    row = session.execute(
        sa.select(EvaluationRequest, Enrolment, Offering, Course)
        .join(Enrolment, EvaluationRequest.enrolment_id == Enrolment.id)
        .join(Offering, Enrolment.offering_id == Offering.id)
        .join(Course, Offering.course_id == Course.id)
        .where(EvaluationRequest.id == request_id, Enrolment.user_id == user.id)
    ).first()
    return tuple(row) if row else None


def own_evaluations(session: Session, user: User) -> list[dict]:
    """Everything the person answered, for their own-data export (JSON-ready)."""
    evaluations = session.scalars(
        sa.select(Evaluation)
        .join(Enrolment, Evaluation.enrolment_id == Enrolment.id)
        .where(Enrolment.user_id == user.id)
        .options(
            selectinload(Evaluation.offering).selectinload(Offering.course),
            selectinload(Evaluation.answers).selectinload(EvaluationAnswer.question),
        )
        .order_by(Evaluation.submitted_at, Evaluation.id)
    )
    return [
        {
            "course": e.offering.course.title,
            "offering": e.offering.title,
            "kind": str(e.kind),
            "submitted_at": e.submitted_at.isoformat(),
            "relevance": e.relevance,
            "usefulness": e.usefulness,
            "teaching": e.teaching,
            "recommend": e.recommend,
            "follow_up": str(e.follow_up) if e.follow_up else None,
            "comment": e.comment,
            "own_questions": [
                {"question": a.question.text, "score": a.score, "text": a.text}
                for a in sorted(e.answers, key=lambda a: a.question.position)
            ],
        }
        for e in evaluations
    ]

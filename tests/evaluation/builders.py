"""Builders for evaluation tests: courses, ended offerings, people who attended, answers."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from app.catalogue.models import Course
from app.enrolment.models import CourseSession, Enrolment, Offering
from app.evaluation import rules
from app.evaluation.models import Evaluation, EvaluationKind, EvaluationRequest
from app.seminars.models import Attendance
from tests.factories import make_org, make_user

_seq = itertools.count(1)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def make_course(session, *, org=None, slug=None, title=None, package_uid=None) -> Course:
    n = next(_seq)
    course = Course(
        organisation_id=(org or make_org(session)).id,
        slug=slug or f"kurs-{n}",
        title=title or f"Kurs {n}",
        status="published",
        source_package_uid=package_uid,
    )
    session.add(course)
    session.flush()
    return course


def make_offering(
    session,
    course,
    *,
    org=None,
    ends_at=None,
    title=None,
    creator=None,
    contact=None,
    status="published",
) -> Offering:
    """An offering with one session that ends at ``ends_at`` (default: a week before NOW)."""
    ends_at = ends_at or NOW - timedelta(days=7)
    offering = Offering(
        course_id=course.id,
        organisation_id=org.id if org else course.organisation_id,
        title=title or f"Gjennomføring {next(_seq)}",
        status=status,
        starts_at=ends_at - timedelta(hours=6),
        ends_at=ends_at,
        created_by_id=creator.id if creator else None,
        contact_email=contact.email if contact else None,
    )
    session.add(offering)
    session.flush()
    session.add(
        CourseSession(
            offering_id=offering.id,
            title="Dag 1",
            starts_at=ends_at - timedelta(hours=6),
            ends_at=ends_at,
        )
    )
    session.flush()
    return offering


def enrol(session, offering, user=None, *, status="enrolled", attendance="present") -> Enrolment:
    """Enrol a person (a new one by default) and mark them at the offering's session."""
    user = user or make_user(session, org=offering.organisation)
    enrolment = Enrolment(offering_id=offering.id, user_id=user.id, status=status)
    session.add(enrolment)
    session.flush()
    if attendance:
        first = offering.sessions[0]
        session.add(Attendance(session_id=first.id, user_id=user.id, status=attendance))
        session.flush()
    return enrolment


def ask(
    session, enrolment, kind=EvaluationKind.FIRST, *, opens_at=None, sent_at=None
) -> EvaluationRequest:
    opens_at = opens_at or enrolment.offering.ends_at
    request = EvaluationRequest(
        enrolment_id=enrolment.id,
        kind=kind,
        opens_at=opens_at,
        closes_at=rules.closes(opens_at),
        sent_at=sent_at or opens_at,
    )
    session.add(request)
    session.flush()
    return request


def answer(
    session,
    enrolment,
    *,
    relevance=4,
    usefulness=4,
    teaching=4,
    recommend=8,
    comment=None,
    kind=EvaluationKind.FIRST,
    follow_up=None,
) -> Evaluation:
    """A request and its answer, as if the person had answered through the form."""
    request = ask(session, enrolment, kind)
    first = kind == EvaluationKind.FIRST
    evaluation = Evaluation(
        enrolment_id=enrolment.id,
        offering_id=enrolment.offering_id,
        kind=kind,
        submitted_at=request.opens_at + timedelta(days=1),
        relevance=relevance if first else None,
        usefulness=usefulness if first else None,
        teaching=teaching if first else None,
        recommend=recommend if first else None,
        follow_up=None if first else (follow_up or "yes"),
        comment=comment,
    )
    request.answered_at = evaluation.submitted_at
    session.add(evaluation)
    session.flush()
    return evaluation


def answered_offering(session, course, n, *, scores=(4, 4, 4, 8), comment=None, **kw) -> Offering:
    """An ended offering where ``n`` people answered the first evaluation."""
    offering = make_offering(session, course, **kw)
    relevance, usefulness, teaching, recommend = scores
    for i in range(n):
        answer(
            session,
            enrol(session, offering),
            relevance=relevance,
            usefulness=usefulness,
            teaching=teaching,
            recommend=recommend,
            comment=f"{comment} {i}" if comment else None,
        )
    return offering

"""Asking for evaluations (requests, reminders) and answering them.

Plain functions: the session, the acting person and ``now`` come in; they flush, never
commit, and raise ``DomainError`` with a Norwegian message the view shows as it is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from app.accounts.models import User
from app.enrolment.models import (
    CourseSession,
    Enrolment,
    EnrolmentStatus,
    Offering,
    OfferingStatus,
)
from app.errors import ConflictError, DomainError, NotFoundError
from app.evaluation import rules
from app.evaluation.emails import request_email
from app.evaluation.models import (
    Evaluation,
    EvaluationAnswer,
    EvaluationKind,
    EvaluationRequest,
    FollowUpAnswer,
    QuestionKind,
)
from app.evaluation.queries import offering_end
from app.evaluation.questions import active_questions
from app.outbox.services import queue_email
from app.security import audit
from app.seminars.models import Attendance, AttendanceStatus

log = logging.getLogger(__name__)

COMMENT_MAX = 4000


# Asking --------------------------------------------------------------------------------


def send_evaluation_requests(session: Session, *, now: datetime, base_url: str, domain: str) -> int:
    """Create the requests that are due, e-mail them, and remind those who have not
    answered; returns the number of e-mails queued.

    Safe to run from several hosts at once: a request is unique per enrolment and kind
    (the loser of an insert race skips it), and a reminder is claimed by a conditional
    UPDATE before its e-mail is queued.
    """
    queued = 0
    for enrolment_id, opens_at in _completions_without_request(session, now=now):
        queued += _ask(
            session,
            enrolment_id,
            EvaluationKind.FIRST,
            opens_at,
            now=now,
            base_url=base_url,
            domain=domain,
        )
    for enrolment_id, opens_at in _follow_ups_due(session, now=now):
        queued += _ask(
            session,
            enrolment_id,
            EvaluationKind.FOLLOW_UP,
            opens_at,
            now=now,
            base_url=base_url,
            domain=domain,
        )
    queued += _remind(session, now=now, base_url=base_url, domain=domain)
    log.info("evaluation requests and reminders queued=%s", queued)
    return queued


def _completions_without_request(session: Session, *, now: datetime):
    """(enrolment id, offering end) of people who completed an offering that ended within
    the request window: enrolled, and present or late at one session or more."""
    ended = offering_end()
    attended = sa.exists().where(
        Attendance.session_id == CourseSession.id,
        CourseSession.offering_id == Enrolment.offering_id,
        Attendance.user_id == Enrolment.user_id,
        Attendance.status.in_([AttendanceStatus.PRESENT, AttendanceStatus.LATE]),
    )
    asked = sa.exists().where(
        EvaluationRequest.enrolment_id == Enrolment.id,
        EvaluationRequest.kind == EvaluationKind.FIRST,
    )
    stmt = (
        sa.select(Enrolment.id, ended)
        .join(Offering, Enrolment.offering_id == Offering.id)
        .join(User, Enrolment.user_id == User.id)
        .where(
            Enrolment.status == EnrolmentStatus.ENROLLED,
            Offering.status != OfferingStatus.CANCELLED,
            User.active.is_(True),
            User.is_service_account.is_(False),
            ended <= now,
            ended > now - rules.FIRST_REQUEST_WINDOW,
            attended,
            ~asked,
        )
        .order_by(Enrolment.id)
    )
    return list(session.execute(stmt))


def _follow_ups_due(session: Session, *, now: datetime):
    """(enrolment id, follow-up opening) three months after each first request."""
    first = aliased(EvaluationRequest, name="first_request")
    followed = sa.exists().where(
        EvaluationRequest.enrolment_id == first.enrolment_id,
        EvaluationRequest.kind == EvaluationKind.FOLLOW_UP,
    )
    # Three calendar months are 89 to 92 days; the exact day is settled in Python.
    stmt = (
        sa.select(first.enrolment_id, first.opens_at)
        .join(Enrolment, first.enrolment_id == Enrolment.id)
        .join(User, Enrolment.user_id == User.id)
        .where(
            first.kind == EvaluationKind.FIRST,
            first.opens_at <= now - timedelta(days=89),
            first.opens_at > now - timedelta(days=92) - rules.FIRST_REQUEST_WINDOW,
            User.active.is_(True),
            ~followed,
        )
        .order_by(first.enrolment_id)
    )
    due = []
    for enrolment_id, opened in session.execute(stmt):
        opens = rules.follow_up_opens(opened)
        if opens <= now < opens + rules.FIRST_REQUEST_WINDOW:
            due.append((enrolment_id, opens))
    return due


def _ask(
    session: Session,
    enrolment_id: int,
    kind: EvaluationKind,
    opens_at: datetime,
    *,
    now: datetime,
    base_url: str,
    domain: str,
) -> int:
    request = EvaluationRequest(
        enrolment_id=enrolment_id,
        kind=kind,
        opens_at=opens_at,
        closes_at=rules.closes(opens_at),
        sent_at=now,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(request)
            session.flush()
    except IntegrityError:
        log.info("evaluation request already made enrolment=%s kind=%s", enrolment_id, kind)
        return 0
    _queue(session, request, now=now, base_url=base_url, domain=domain, reminder=False)
    log.info("evaluation requested id=%s enrolment=%s kind=%s", request.id, enrolment_id, kind)
    return 1


def _remind(session: Session, *, now: datetime, base_url: str, domain: str) -> int:
    last = sa.func.coalesce(EvaluationRequest.last_reminded_at, EvaluationRequest.sent_at)
    candidates = session.execute(
        sa.select(EvaluationRequest.id, EvaluationRequest.reminders_sent)
        .join(Enrolment, EvaluationRequest.enrolment_id == Enrolment.id)
        .join(User, Enrolment.user_id == User.id)
        .where(
            EvaluationRequest.answered_at.is_(None),
            EvaluationRequest.sent_at.is_not(None),
            EvaluationRequest.closes_at > now,
            EvaluationRequest.reminders_sent < rules.MAX_REMINDERS,
            last <= now - rules.REMINDER_INTERVAL,
            User.active.is_(True),
        )
        .order_by(EvaluationRequest.id)
    ).all()
    queued = 0
    for request_id, seen in candidates:
        claimed = session.execute(
            sa.update(EvaluationRequest)
            .where(
                EvaluationRequest.id == request_id,
                EvaluationRequest.reminders_sent == seen,
                EvaluationRequest.answered_at.is_(None),
            )
            .values(reminders_sent=seen + 1, last_reminded_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            continue
        request = session.get(EvaluationRequest, request_id)
        session.refresh(request)
        _queue(session, request, now=now, base_url=base_url, domain=domain, reminder=True)
        queued += 1
    return queued


def _queue(
    session: Session,
    request: EvaluationRequest,
    *,
    now: datetime,
    base_url: str,
    domain: str,
    reminder: bool,
) -> None:
    enrolment = session.get(Enrolment, request.enrolment_id)
    user = enrolment.user
    offering = enrolment.offering
    subject, body = request_email(
        user,
        request_id=request.id,
        kind=str(request.kind),
        course_title=offering.course.title,
        offering_title=offering.title,
        closes_at=request.closes_at,
        base_url=base_url,
        reminder=reminder,
    )
    queue_email(
        session,
        recipient=user.email,
        subject=subject,
        body_text=body,
        now=now,
        domain=domain,
        user_id=user.id,
        reason=f"evaluation.{'reminder' if reminder else 'request'}.{request.kind}",
    )


# Answering -----------------------------------------------------------------------------


@dataclass
class Answers:
    """What a person answered; the form (or the API) fills it, ``submit_evaluation``
    checks it."""

    relevance: int | None = None
    usefulness: int | None = None
    teaching: int | None = None
    recommend: int | None = None
    follow_up: str | None = None
    comment: str | None = None
    #: question id -> score (scale questions) or text (text questions)
    own: dict[int, int | str | None] = field(default_factory=dict)


def submit_evaluation(
    session: Session, *, user: User, request: EvaluationRequest, answers: Answers, now: datetime
) -> Evaluation:
    """Record the person's answers to their own request, exactly once."""
    enrolment = session.get(Enrolment, request.enrolment_id)
    if enrolment is None or enrolment.user_id != user.id:
        raise NotFoundError("not_found", _l("Fant ikke evalueringen."))
    if request.answered_at is not None:
        raise ConflictError(
            "already_answered", _l("Du har allerede svart på denne evalueringen. Takk!")
        )
    if now < request.opens_at:
        raise DomainError("not_open", _l("Evalueringen er ikke åpnet ennå."))
    if now >= request.closes_at:
        raise DomainError("closed", _l("Fristen for å svare på denne evalueringen er ute."))

    evaluation = Evaluation(
        enrolment_id=enrolment.id,
        offering_id=enrolment.offering_id,
        kind=request.kind,
        submitted_at=now,
        comment=_clean_text(answers.comment, "comment"),
    )
    if request.kind == EvaluationKind.FIRST:
        for name, low, high in (
            ("relevance", 1, 5),
            ("usefulness", 1, 5),
            ("teaching", 1, 5),
            ("recommend", 0, 10),
        ):
            setattr(evaluation, name, _score(getattr(answers, name), name, low, high))
        evaluation.answers = _own_answers(session, enrolment.offering.course_id, answers.own)
    else:
        if answers.follow_up not in {a.value for a in FollowUpAnswer}:
            raise DomainError("required", _l("Velg ja, delvis eller nei."), field="follow_up")
        evaluation.follow_up = FollowUpAnswer(answers.follow_up)

    # Claim the request first: of two submits at once, the second finds it answered.
    claimed = session.execute(
        sa.update(EvaluationRequest)
        .where(EvaluationRequest.id == request.id, EvaluationRequest.answered_at.is_(None))
        .values(answered_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise ConflictError(
            "already_answered", _l("Du har allerede svart på denne evalueringen. Takk!")
        )
    try:
        with session.begin_nested():
            session.add(evaluation)
            session.flush()
    except IntegrityError as error:
        raise ConflictError(
            "already_answered", _l("Du har allerede svart på denne evalueringen. Takk!")
        ) from error
    session.refresh(request)
    # The trail says that the person answered, never what: answers stay anonymous.
    audit(session, actor=user, action="evaluation.answered", obj=request, kind=str(request.kind))
    return evaluation


def _score(value, name: str, low: int, high: int) -> int:
    if value is None or value == "":
        raise DomainError("required", _l("Velg en verdi."), field=name)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError("invalid", _l("Ugyldig verdi."), field=name) from None
    if not low <= number <= high:
        raise DomainError(
            "invalid", _l("Velg en verdi fra %(low)s til %(high)s.", low=low, high=high), field=name
        )
    return number


def _clean_text(value: str | None, name: str) -> str | None:
    text = (value or "").replace("\x00", "").strip()
    if len(text) > COMMENT_MAX:
        raise DomainError(
            "too_long", _l("Teksten kan være høyst %(n)s tegn.", n=COMMENT_MAX), field=name
        )
    return text or None


def _own_answers(session: Session, course_id: int, given: dict) -> list[EvaluationAnswer]:
    result = []
    for question in active_questions(session, course_id):
        name = f"own_{question.id}"
        value = given.get(question.id)
        if question.kind == QuestionKind.SCALE:
            result.append(
                EvaluationAnswer(question_id=question.id, score=_score(value, name, 1, 5))
            )
        else:
            text = _clean_text(value if isinstance(value, str) else None, name)
            if text:
                result.append(EvaluationAnswer(question_id=question.id, text=text))
    return result

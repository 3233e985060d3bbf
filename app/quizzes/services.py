"""Taking a quiz: starting an attempt, saving answers, grading exactly once.

Every form of an attempt carries its ``sequence``. A save or a submit raises it with one
conditional UPDATE (``WHERE sequence = :seen AND status = 'in_progress'``), so of two
requests that saw the same value only one goes through: a double click, a second tab or a
replayed old form gets a clear conflict instead of a second graded result.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import ConflictError, DomainError, NotFoundError
from app.quizzes.models import Answer, Attempt, AttemptStatus, Question, Quiz
from app.quizzes.scoring import grade
from app.quizzes.types import ChoiceSpec, InvalidResponse, QuestionSpec, question_type

log = logging.getLogger(__name__)

#: Answers that arrive this long after the deadline still count (the network is slow).
GRACE = timedelta(seconds=30)


class StaleForm(ConflictError):
    """The form was made for an older state of the attempt."""


def spec_of(question: Question) -> QuestionSpec:
    return QuestionSpec(
        id=question.id, kind=str(question.kind), points=question.points,
        choices=tuple(ChoiceSpec(c.id, c.text, c.correct, c.position)
                      for c in question.choices),
        partial_credit=question.partial_credit, correct_true=question.correct_true,
        numeric_answer=question.numeric_answer, tolerance=question.tolerance,
        accepted_answers=tuple(question.accepted_answers or ()),
    )


def attempt_questions(session: Session, attempt: Attempt) -> list[Question]:
    """The attempt's questions in the order drawn, with their choices."""
    questions = session.scalars(
        sa.select(Question).where(Question.id.in_(attempt.question_ids))
        .options(sa.orm.selectinload(Question.choices))
    ).all()
    by_id = {q.id: q for q in questions}
    return [by_id[qid] for qid in attempt.question_ids if qid in by_id]


def may_take(session: Session, *, user, quiz: Quiz) -> bool:
    """Whether ``user`` may see and take ``quiz``: its course is in their catalogue (their
    organisation's, or offered to them), or they have a place on one of its offerings."""
    from app.catalogue.models import Course
    from app.catalogue.queries import visible_course
    from app.enrolment.models import Enrolment, Offering

    enrolled = (sa.select(Enrolment.id).join(Offering, Offering.id == Enrolment.offering_id)
                .where(Offering.course_id == Course.id, Enrolment.user_id == user.id)
                .exists())
    return session.scalar(
        sa.select(Course.id).where(Course.id == quiz.course_id,
                                   sa.or_(visible_course(user), enrolled))
    ) is not None


def attempts_used(session: Session, *, quiz: Quiz, user) -> int:
    return session.scalar(
        sa.select(sa.func.count()).select_from(Attempt)
        .where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id)
    )


def open_attempt(session: Session, *, quiz: Quiz, user) -> Attempt | None:
    return session.scalar(
        sa.select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id,
                                 Attempt.status == AttemptStatus.IN_PROGRESS)
    )


def draw(quiz: Quiz, rng: random.Random) -> tuple[list[int], dict[str, list[int]]]:
    """The questions of a new attempt and the order their choices are shown in."""
    questions = list(quiz.questions)
    if quiz.draw_count and quiz.draw_count < len(questions):
        questions = sorted(rng.sample(questions, quiz.draw_count), key=lambda q: q.position)
    if quiz.shuffle_questions:
        rng.shuffle(questions)
    order = {}
    for q in questions:
        ids = [c.id for c in q.choices]
        # Ordering items are always shuffled: in authored order they would be the answer.
        if str(q.kind) == "ordering" or quiz.shuffle_choices:
            rng.shuffle(ids)
            if str(q.kind) == "ordering" and len(ids) > 1:
                authored = [c.id for c in q.choices]
                while ids == authored:
                    rng.shuffle(ids)
        order[str(q.id)] = ids
    return [q.id for q in questions], order


def start_attempt(session: Session, *, user, quiz: Quiz, now: datetime,
                  rng: random.Random | None = None) -> Attempt:
    """Start an attempt, or return the one already open (two clicks start one)."""
    current = open_attempt(session, quiz=quiz, user=user)
    if current is not None:
        if not time_is_up(current, now):
            return current
        finish(session, attempt=current, user=user, now=now)
    if not quiz.questions:
        raise DomainError("quiz_empty", _l("Prøven har ingen spørsmål ennå."))
    used = attempts_used(session, quiz=quiz, user=user)
    if quiz.attempts_allowed is not None and used >= quiz.attempts_allowed:
        raise ConflictError("no_attempts_left", _l("Du har brukt alle forsøkene på denne "
                                                   "prøven."))
    question_ids, choice_order = draw(quiz, rng or random.SystemRandom())
    attempt = Attempt(
        quiz_id=quiz.id, user_id=user.id, number=used + 1, question_ids=question_ids,
        choice_order=choice_order, started_at=now,
        deadline_at=now + timedelta(minutes=quiz.time_limit_minutes)
        if quiz.time_limit_minutes else None,
    )
    try:
        with session.begin_nested():
            session.add(attempt)
            session.flush()
    except IntegrityError:
        # Another request started it a moment earlier.
        existing = open_attempt(session, quiz=quiz, user=user)
        if existing is None:
            raise
        return existing
    log.info("attempt started id=%s quiz=%s user=%s", attempt.id, quiz.id, user.id)
    return attempt


def time_is_up(attempt: Attempt, now: datetime) -> bool:
    return attempt.deadline_at is not None and now > attempt.deadline_at + GRACE


def _claim(session: Session, attempt: Attempt, sequence: int | None) -> None:
    """Raise the sequence from the value the form saw; refuse a stale or closed form."""
    seen = attempt.sequence if sequence is None else sequence
    won = session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.sequence == seen,
               Attempt.status == AttemptStatus.IN_PROGRESS)
        .values(sequence=Attempt.sequence + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(attempt)
    if won:
        return
    if attempt.status == AttemptStatus.GRADED:
        raise ConflictError("attempt_submitted", _l("Dette forsøket er allerede levert. "
                                                    "Her er resultatet."))
    raise StaleForm("stale_form", _l("Prøven er endret i en annen fane eller et annet vindu "
                                     "siden denne siden ble lastet. Se over svarene og send "
                                     "igjen."))


def clean_responses(questions: list[Question], raw: Mapping) -> dict[int, dict | None]:
    """API input: ``{"question id": response}`` checked against each question's type."""
    by_id = {q.id: q for q in questions}
    cleaned = {}
    for key, response in raw.items():
        try:
            qid = int(key)
        except (TypeError, ValueError):
            raise DomainError("unknown_question", _l("Ukjent spørsmål."), status=422) from None
        if qid not in by_id:
            raise DomainError("unknown_question", _l("Ukjent spørsmål."), status=422)
        if response is not None and not isinstance(response, dict):
            raise DomainError("invalid_answer", _l("Ugyldig svar."), status=422)
        spec = spec_of(by_id[qid])
        try:
            cleaned[qid] = question_type(spec.kind).clean(spec, response)
        except InvalidResponse:
            raise DomainError("invalid_answer", _l("Ugyldig svar."), status=422,
                              question=qid) from None
    return cleaned


def _store(session: Session, attempt: Attempt, responses: Mapping[int, dict | None],
           now: datetime) -> None:
    allowed = set(attempt.question_ids)
    existing = {a.question_id: a for a in session.scalars(
        sa.select(Answer).where(Answer.attempt_id == attempt.id))}
    for qid, response in responses.items():
        if qid not in allowed:
            continue
        answer = existing.get(qid)
        if response is None:
            if answer is not None:
                session.delete(answer)
            continue
        if answer is None:
            session.add(Answer(attempt_id=attempt.id, question_id=qid, response=response,
                               saved_at=now))
        elif answer.response != response:
            answer.response = response
            answer.saved_at = now
    session.flush()


def save_answers(session: Session, *, attempt: Attempt, user,
                 responses: Mapping[int, dict | None], sequence: int | None,
                 now: datetime) -> Attempt:
    """Keep the answers of one page. After the deadline nothing more is kept and the
    attempt is graded with what was saved in time."""
    if attempt.user_id != user.id:
        raise NotFoundError("not_found", _l("Fant ikke forsøket."))
    _claim(session, attempt, sequence)
    if time_is_up(attempt, now):
        return finish(session, attempt=attempt, user=user, now=now)
    _store(session, attempt, responses, now)
    return attempt


def submit_attempt(session: Session, *, attempt: Attempt, user,
                   responses: Mapping[int, dict | None], sequence: int | None,
                   now: datetime) -> Attempt:
    attempt = save_answers(session, attempt=attempt, user=user, responses=responses,
                           sequence=sequence, now=now)
    if attempt.status == AttemptStatus.GRADED:
        return attempt
    return finish(session, attempt=attempt, user=user, now=now)


def finish(session: Session, *, attempt: Attempt, user, now: datetime) -> Attempt:
    """Grade the attempt once: the move from in_progress to graded is one conditional
    UPDATE; whoever loses it gets the conflict."""
    questions = attempt_questions(session, attempt)
    answers = {a.question_id: a for a in session.scalars(
        sa.select(Answer).where(Answer.attempt_id == attempt.id))}
    result = grade([spec_of(q) for q in questions],
                   {qid: a.response for qid, a in answers.items()},
                   attempt.quiz.pass_percent)
    timed_out = time_is_up(attempt, now)
    won = session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.status == AttemptStatus.IN_PROGRESS)
        .values(status=AttemptStatus.GRADED, graded_at=now, score=result.score,
                max_score=result.max_score, percent=result.percent, passed=result.passed,
                timed_out=timed_out, sequence=Attempt.sequence + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(attempt)
    if not won:
        raise ConflictError("attempt_submitted", _l("Dette forsøket er allerede levert. "
                                                    "Her er resultatet."))
    for r in result.results:
        if r.question_id in answers:
            answers[r.question_id].points = r.points
    session.flush()
    log.info("attempt graded id=%s user=%s percent=%s passed=%s", attempt.id, user.id,
             result.percent, result.passed)
    if result.passed:
        from app.certificates.services import check_completion

        check_completion(session, user=user, course=attempt.quiz.course, now=now,
                         source="quiz")
    return attempt

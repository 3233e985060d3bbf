"""A course's own questions: at most three, added to its first evaluation.

Services in the same shape as ``services``: they flush, never commit, and raise
``DomainError`` with the form field the message belongs to.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.catalogue.models import Course
from app.errors import ConflictError, DomainError
from app.evaluation.models import (
    MAX_OWN_QUESTIONS,
    EvaluationAnswer,
    EvaluationQuestion,
    QuestionKind,
)
from app.security import audit

QUESTION_MAX = 300


def active_questions(session: Session, course_id: int) -> list[EvaluationQuestion]:
    return list(
        session.scalars(
            sa.select(EvaluationQuestion)
            .where(EvaluationQuestion.course_id == course_id, EvaluationQuestion.active)
            .order_by(EvaluationQuestion.position)
        )
    )


def add_question(
    session: Session, *, actor: User, course: Course, text: str, kind: QuestionKind, now: datetime
) -> EvaluationQuestion:
    """Add one of the course's (at most three) own questions, in the first free place."""
    text = _question_text(text)
    taken = {q.position for q in active_questions(session, course.id)}
    free = [p for p in range(1, MAX_OWN_QUESTIONS + 1) if p not in taken]
    if not free:
        raise DomainError(
            "too_many",
            _l("Kurset har allerede tre egne spørsmål. Ta ut ett før du legger til et nytt."),
            field="text",
        )
    question = EvaluationQuestion(
        course_id=course.id,
        position=free[0],
        text=text,
        kind=QuestionKind(kind),
        created_by_id=actor.id,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(question)
            session.flush()
    except IntegrityError as error:
        # Someone else took the same place at the same moment.
        raise ConflictError(
            "conflict", _l("Spørsmålene ble endret samtidig av noen andre. Prøv igjen.")
        ) from error
    audit(
        session, actor=actor, action="evaluation.question_added", obj=question, course_id=course.id
    )
    return question


def update_question(
    session: Session,
    *,
    actor: User,
    question: EvaluationQuestion,
    text: str,
    kind: QuestionKind,
    now: datetime,
) -> EvaluationQuestion:
    """Change a question's words or kind, only while nobody has answered it."""
    if not question.active:
        raise DomainError("retired", _l("Spørsmålet er tatt ut og kan ikke endres."))
    answered = session.scalar(
        sa.select(sa.func.count()).where(EvaluationAnswer.question_id == question.id)
    )
    if answered:
        raise DomainError(
            "answered",
            _l("Spørsmålet er allerede besvart og kan ikke endres. Ta det ut og legg til et nytt."),
            field="text",
        )
    question.text = _question_text(text)
    question.kind = QuestionKind(kind)
    session.flush()
    audit(session, actor=actor, action="evaluation.question_changed", obj=question)
    return question


def retire_question(
    session: Session, *, actor: User, question: EvaluationQuestion, now: datetime
) -> None:
    """Stop asking a question; its answers stay in the results."""
    if not question.active:
        return
    question.active = False
    question.retired_at = now
    session.flush()
    audit(session, actor=actor, action="evaluation.question_retired", obj=question)


def _question_text(text: str | None) -> str:
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise DomainError("required", _l("Skriv spørsmålet."), field="text")
    if len(text) > QUESTION_MAX:
        raise DomainError(
            "too_long", _l("Spørsmålet kan være høyst %(n)s tegn.", n=QUESTION_MAX), field="text"
        )
    return text

"""Authoring: a course's quiz, its settings and its questions (organisers and editors).

The quiz of a course imported from a partner follows the partner's package and is read-only
here until the course is forked. Every change to an own course's quiz reaches its saved
package draft, so the next published version carries it.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.errors import ConflictError, DomainError, ForbiddenError
from app.orm import utcnow
from app.quizzes.models import Attempt, Choice, Question, QuestionKind, Quiz
from app.quizzes.services import spec_of
from app.quizzes.types import REGISTRY, question_type
from app.security import audit

log = logging.getLogger(__name__)

SETTINGS = ("title", "intro", "pass_percent", "attempts_allowed", "time_limit_minutes",
            "shuffle_questions", "shuffle_choices", "draw_count", "show_answers", "paging")


@dataclass
class ChoiceData:
    text: str
    correct: bool = False


@dataclass
class QuestionData:
    kind: str
    prompt: str
    points: int = 1
    explanation: str = ""
    partial_credit: bool = False
    correct_true: bool | None = None
    numeric_answer: float | None = None
    tolerance: float | None = None
    #: Numeric: the unit shown beside the answer field.
    unit: str | None = None
    accepted_answers: list[str] = field(default_factory=list)
    #: In authored order; for ordering questions, the right order.
    choices: list[ChoiceData] = field(default_factory=list)


class QuizReadOnly(ForbiddenError):
    """The quiz belongs to a partner's package (the course is imported, not forked)."""


def is_read_only(session: Session, course) -> bool:
    from app.sharing.services import is_read_only as imported

    return imported(session, course)


def refuse_read_only(session: Session, course) -> None:
    if is_read_only(session, course):
        raise QuizReadOnly(
            "quiz_read_only",
            _l("Prøven i «%(title)s» følger en partners kurspakke og kan ikke redigeres her. "
               "Lag en egen kopi av kurset for å endre den.", title=course.title))


def _changed(session: Session, *, actor, quiz: Quiz, now: datetime) -> None:
    from app.sharing.quiztables import quiz_edited

    quiz_edited(session, course=quiz.course, actor=actor, now=now)


#: Rows being reordered wait above this (positions are unique).
_PARKED = 100_000
_NOT_KEY = re.compile(r"[^a-z0-9]+")


def new_source_key(session: Session, quiz: Quiz, prompt: str) -> str:
    """A key for a question written here, from its first words: the id it gets in
    quiz.toml (a-z, 0-9 and hyphens, at most 40 characters, unique in the quiz)."""
    text = unicodedata.normalize("NFKD", prompt.lower().replace("ø", "o").replace("æ", "ae"))
    words = _NOT_KEY.sub("-", text.encode("ascii", "ignore").decode()).strip("-")
    base = words[:32].rstrip("-") or "sporsmal"
    taken = set(session.scalars(sa.select(Question.source_key)
                                .where(Question.quiz_id == quiz.id)))
    key, number = base, 2
    while key in taken:
        key = f"{base}-{number}"
        number += 1
    return key


def create_quiz(session: Session, *, actor, course, now: datetime) -> Quiz:
    refuse_read_only(session, course)
    if session.scalar(sa.select(Quiz.id).where(Quiz.course_id == course.id)) is not None:
        raise ConflictError("quiz_exists", _l("Kurset har allerede en prøve."))
    quiz = Quiz(course_id=course.id, title=str(_l("Prøve: %(course)s", course=course.title))[:200],
                created_at=now, updated_at=now)
    session.add(quiz)
    session.flush()
    audit(session, actor=actor, action="quizzes.created", obj=quiz, course=course.id)
    return quiz


def update_settings(session: Session, *, actor, quiz: Quiz, values: dict,
                    now: datetime) -> Quiz:
    refuse_read_only(session, quiz.course)
    if values.get("paging") not in ("one", "all"):
        raise DomainError("paging", _l("Velg én side eller ett spørsmål om gangen."),
                          field="paging")
    draw_count = values.get("draw_count")
    if draw_count and draw_count > len(quiz.questions):
        raise DomainError("draw_too_many", _l("Prøven har bare %(n)s spørsmål å trekke fra.",
                                              n=len(quiz.questions)), field="draw_count")
    for key in SETTINGS:
        setattr(quiz, key, values.get(key))
    quiz.updated_at = now
    session.flush()
    _changed(session, actor=actor, quiz=quiz, now=now)
    audit(session, actor=actor, action="quizzes.updated", obj=quiz)
    return quiz


def _check(question: Question) -> None:
    problems = question_type(question.kind).problems(spec_of(question))
    if problems:
        raise DomainError("question_incomplete", " ".join(str(p) for p in problems))
    # The quiz travels as quiz.toml: what the format refuses is refused here already.
    from app.sharing.quiztables import question_problems

    for form_field, problem in question_problems(question):
        params = dict(problem.params)
        raise DomainError("question_format", _l(problem.message, **params) if params
                          else _l(problem.message), field=form_field)


def save_question(session: Session, *, actor, quiz: Quiz, data: QuestionData,
                  question: Question | None = None, now: datetime | None = None) -> Question:
    refuse_read_only(session, quiz.course)
    if data.kind not in REGISTRY:
        raise DomainError("unknown_kind", _l("Ukjent spørsmålstype."), field="kind")
    if not data.prompt.strip():
        raise DomainError("prompt_required", _l("Skriv spørsmålet."), field="prompt")
    if question is None:
        from app.sharing.quizfile import MAX_QUESTIONS

        # Counted in SQL: loading quiz.questions here would leave it stale once the new
        # question is added by its quiz_id.
        in_use = session.scalar(sa.select(sa.func.count()).select_from(Question)
                                .where(Question.quiz_id == quiz.id,
                                       Question.retired_at.is_(None)))
        if in_use >= MAX_QUESTIONS:
            raise DomainError("too_many_questions",
                              _l("En prøve kan ha høyst %(n)s spørsmål. Slett ett før du legger "
                                 "til et nytt.", n=MAX_QUESTIONS))
        position = (session.scalar(sa.select(sa.func.max(Question.position))
                                   .where(Question.quiz_id == quiz.id)) or 0) + 1
        question = Question(quiz_id=quiz.id, position=position, kind=QuestionKind(data.kind),
                            source_key=new_source_key(session, quiz, data.prompt))
        session.add(question)
    question.prompt = data.prompt.strip()
    question.points = data.points
    question.explanation = data.explanation.strip()
    question.partial_credit = data.partial_credit
    question.correct_true = data.correct_true
    question.numeric_answer = data.numeric_answer
    question.tolerance = data.tolerance
    question.accepted_answers = [a.strip() for a in data.accepted_answers if a.strip()] or None
    kept = [c for c in data.choices if c.text.strip()]
    # A choice whose text stays keeps its row, so answers that picked it still point at it.
    with session.no_autoflush:
        by_text = {c.text: c for c in question.choices}
        wanted = {c.text.strip() for c in kept}
        for old in list(question.choices):
            if old.text in wanted:
                old.position += _PARKED  # (question, position) is unique
            else:
                question.choices.remove(old)
        session.flush()
        for i, item in enumerate(kept, start=1):
            choice = by_text.pop(item.text.strip(), None)
            if choice is None:
                choice = Choice(text=item.text.strip())
                question.choices.append(choice)
            choice.position = i
            choice.correct = item.correct
    question.unit = (data.unit or "").strip() or None if data.kind == "numeric" else None
    session.flush()
    # Read the choices again in their new order (an ordering question's answer).
    session.expire(question, ["choices"])
    _check(question)
    _changed(session, actor=actor, quiz=quiz, now=now or utcnow())
    audit(session, actor=actor, action="quizzes.question_saved", obj=question, quiz=quiz.id)
    return question


def delete_question(session: Session, *, actor, question: Question,
                    now: datetime | None = None) -> None:
    """Remove a question. Once the quiz has attempts it is retired instead (kept for the
    attempts that drew it, with their answers and scores; never drawn again)."""
    quiz = question.quiz
    refuse_read_only(session, quiz.course)
    now = now or utcnow()
    answered = session.scalar(
        sa.select(sa.func.count()).select_from(Attempt)
        .where(Attempt.quiz_id == question.quiz_id)
    )
    quiz_id, position, question_id = question.quiz_id, question.position, question.id
    if answered:
        question.retired_at = now
        question.position = -question.id
    else:
        session.delete(question)
    session.flush()
    # Close the gap; positions are unique, so move them up one at a time in order.
    for later in session.scalars(sa.select(Question).where(Question.quiz_id == quiz_id,
                                                           Question.position > position)
                                 .order_by(Question.position)):
        later.position -= 1
        session.flush()
    session.expire(quiz, ["questions"])
    _changed(session, actor=actor, quiz=quiz, now=now)
    audit(session, actor=actor, action="quizzes.question_deleted", obj=None, quiz=quiz_id,
          question=question_id, attempts_before=answered, retired=bool(answered))

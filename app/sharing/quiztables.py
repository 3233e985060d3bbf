"""A package's ``quiz.toml`` into the course's quiz tables, and the tables back into a quiz.

Questions are matched by their id in quiz.toml (``Question.source_key``): a question that
stays keeps its row, so the answers and attempts that point at it stay valid; its text,
choices, points and place follow the package. A question the package no longer has is
retired, never deleted: attempts that drew it still show it and keep their score, new
attempts never draw it. A question that comes back is brought back from retirement.

Choices are matched by their text, so an answer that picked a choice that stays still
points at it. Scores are stored on graded attempts and answers and are never recomputed.
"""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from app.catalogue.models import Course
from app.quizzes.models import Attempt, Choice, Question, QuestionKind, Quiz
from app.sharing import quizfile as fq
from app.sharing.models import Package, PackageDraft, PackageVersion
from app.sharing.problems import Collector, Problem
from app.sharing.storage import BlobStore
from app.sharing.tomlfile import dumps

log = logging.getLogger(__name__)

#: Positions are unique per quiz: rows being reordered wait above this.
_PARKED = 100_000


def _settings(row: Quiz, quiz: fq.Quiz) -> None:
    row.title = quiz.title
    row.intro = quiz.intro
    row.pass_percent = quiz.pass_mark
    row.attempts_allowed = quiz.attempts_allowed
    row.time_limit_minutes = quiz.time_limit_minutes
    row.shuffle_questions = quiz.shuffle_questions
    row.shuffle_choices = quiz.shuffle_choices
    row.draw_count = quiz.draw_count
    row.show_answers = quiz.show_answers
    row.paging = quiz.paging


def _fields(row: Question, item: fq.Question) -> None:
    kind = item.type
    row.kind = QuestionKind(kind)
    row.prompt = item.text
    row.points = item.points
    row.explanation = item.explanation
    row.partial_credit = item.partial_credit if kind in ("multiple", "ordering") else False
    row.correct_true = bool(item.answer) if kind == "true_false" else None
    row.numeric_answer = float(item.answer) if kind == "numeric" else None
    row.tolerance = float(item.tolerance) if kind == "numeric" else None
    row.unit = item.unit if kind == "numeric" else None
    row.accepted_answers = list(item.answers) if kind == "short_text" else None


def _wanted_choices(item: fq.Question) -> list[tuple[str, bool]]:
    if item.type in ("single", "multiple"):
        return [(c.text, c.correct) for c in item.choices]
    if item.type == "ordering":
        # An ordering item's position is its place in the right order.
        return [(text, False) for text in item.items]
    return []


def _apply_choices(row: Question, item: fq.Question) -> None:
    by_text = {c.text: c for c in row.choices}
    wanted = _wanted_choices(item)
    keep = {text for text, _ in wanted}
    for choice in list(row.choices):
        if choice.text not in keep:
            row.choices.remove(choice)
    for position, (text, correct) in enumerate(wanted, start=1):
        choice = by_text.get(text)
        if choice is None:
            choice = Choice(text=text)
            row.choices.append(choice)
        choice.position = position
        choice.correct = correct


def _retire(question: Question, now: datetime) -> None:
    question.retired_at = now
    question.position = -question.id


def apply_quiz(session: Session, *, course: Course, quiz: fq.Quiz | None,
               now: datetime) -> Quiz | None:
    """Make the course's quiz what the package says (None: the package has no quiz)."""
    row = session.scalar(sa.select(Quiz).where(Quiz.course_id == course.id))
    if quiz is None:
        if row is None:
            return None
        attempted = session.scalar(sa.select(Attempt.id).where(Attempt.quiz_id == row.id)
                                   .limit(1))
        if attempted is None:
            session.delete(row)
            session.flush()
            log.info("quiz %s of course %s removed with the package's quiz", row.id, course.id)
            return None
        for question in list(row.questions):
            _retire(question, now)
        session.flush()
        return row
    if row is None:
        row = Quiz(course_id=course.id, created_at=now)
        session.add(row)
    _settings(row, quiz)
    row.updated_at = now
    session.flush()

    rows = {q.source_key: q for q in session.scalars(
        sa.select(Question).where(Question.quiz_id == row.id)
        .options(selectinload(Question.choices)))}
    wanted = {item.id for item in quiz.questions}
    # (quiz, position) and (question, position) are unique: park what is in use first.
    for key, question in rows.items():
        if question.retired_at is None:
            question.position += _PARKED
        if key in wanted:
            for choice in question.choices:
                choice.position += _PARKED
    session.flush()
    for key, question in rows.items():
        if key not in wanted and question.retired_at is None:
            _retire(question, now)
    session.flush()
    for position, item in enumerate(quiz.questions, start=1):
        question = rows.get(item.id)
        if question is None:
            question = Question(quiz_id=row.id, source_key=item.id)
            session.add(question)
        question.retired_at = None
        question.position = position
        _fields(question, item)
        _apply_choices(question, item)
    session.flush()
    # Read questions and choices again in their new order.
    for question in rows.values():
        session.expire(question, ["choices"])
    session.expire(row, ["questions"])
    log.info("quiz %s of course %s now has %s questions from the package", row.id, course.id,
             len(quiz.questions))
    return row


def _question_of(row: Question) -> fq.Question:
    kind = str(row.kind)
    fields: dict = {}
    if kind in ("multiple", "ordering"):
        fields["partial_credit"] = row.partial_credit
    if kind in ("single", "multiple"):
        fields["choices"] = tuple(fq.Choice(c.text, c.correct) for c in row.choices)
    elif kind == "ordering":
        fields["items"] = tuple(c.text for c in row.choices)
    elif kind == "true_false":
        fields["answer"] = bool(row.correct_true)
    elif kind == "numeric":
        fields["answer"] = row.numeric_answer
        fields["tolerance"] = row.tolerance or 0.0
        fields["unit"] = row.unit
    elif kind == "short_text":
        fields["answers"] = tuple(row.accepted_answers or ())
    return fq.Question(id=row.source_key, type=kind, text=row.prompt,
                       explanation=row.explanation or "", points=row.points, **fields)


def quiz_toml(session: Session, course: Course) -> bytes | None:
    """The course's quiz as canonical quiz.toml; None when it has no questions in use."""
    row = session.scalar(sa.select(Quiz).where(Quiz.course_id == course.id)
                         .options(selectinload(Quiz.questions).selectinload(Question.choices)))
    if row is None or not row.questions:
        return None
    quiz = fq.Quiz(
        title=row.title, pass_mark=row.pass_percent,
        questions=tuple(_question_of(q) for q in row.questions), intro=row.intro or "",
        attempts_allowed=row.attempts_allowed, time_limit_minutes=row.time_limit_minutes,
        shuffle_questions=row.shuffle_questions, shuffle_choices=row.shuffle_choices,
        draw_count=row.draw_count, show_answers=row.show_answers, paging=row.paging)
    return dumps(fq.quiz_document(quiz))


def quiz_of_course(session: Session, course: Course, collector: Collector) -> fq.Quiz | None:
    """The course's quiz as a package carries it, checked as an import would check it
    (a quiz authored here may lack what the format requires, e.g. an explanation)."""
    data = quiz_toml(session, course)
    return None if data is None else fq.parse_quiz(collector, data)


def published_quiz_toml(session: Session, course: Course, store: BlobStore) -> str | None:
    """The quiz.toml of the version the course follows, as it was published."""
    from app.sharing.services import stored_package

    version = session.scalar(
        sa.select(PackageVersion).join(Package)
        .where(Package.uid == course.source_package_uid,
               PackageVersion.version == course.source_version))
    if version is None:
        return None
    package = stored_package(version, store)
    return dumps(fq.quiz_document(package.quiz)).decode() if package.quiz else None


def quiz_edited(session: Session, *, course: Course, actor, now: datetime) -> None:
    """The quiz was changed in the quiz pages: the course's saved draft takes the quiz as
    it now is, so that the next published version carries it (a draft not saved yet is made
    from the quiz tables whenever it is opened). Unpublished quiz text in the draft gives
    way to the tables."""
    draft = session.scalar(sa.select(PackageDraft).where(PackageDraft.course_id == course.id))
    if draft is None:
        return
    data = quiz_toml(session, course)
    draft.content = dict(draft.content, quiz=data.decode() if data else None)
    draft.revision += 1
    draft.changed = True
    draft.updated_at = now
    draft.updated_by_id = actor.id
    session.flush()


#: What a quiz.toml key of a question is called in the question form.
_FIELDS = {"text": "prompt", "explanation": "explanation", "points": "points",
           "tolerance": "tolerance", "unit": "unit", "answers": "accepted_answers"}


def question_problems(question: Question) -> list[tuple[str | None, Problem]]:
    """What quiz.toml would say of a question written in the quiz pages, as (form field,
    problem): a quiz must always be exportable as a package."""
    probe = fq.Quiz(title="-", pass_mark=50, questions=(_question_of(question),))
    collector = Collector()
    fq.parse_quiz(collector, dumps(fq.quiz_document(probe)))
    found = []
    for problem in collector.problems:
        key = (problem.key or "").split(".", 1)[-1].split("[", 1)[0]
        if key == "answer":
            field = "numeric_answer" if str(question.kind) == "numeric" else "correct_true"
        else:
            field = _FIELDS.get(key)
        found.append((field, problem))
    return found

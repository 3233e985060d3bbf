"""Quiz, Question, Choice, Attempt and Answer.

A course has at most one quiz; its questions are the course's question bank, from which an
attempt may draw a random subset. The tables are documented in docs/quizzes.md; a course
package's ``quiz.toml`` is imported into them and exported from them
(``app/sharing/quiztables.py``).
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.orm import enum_column, utcnow


class QuestionKind(enum.StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    NUMERIC = "numeric"
    SHORT_TEXT = "short_text"
    ORDERING = "ordering"


class AttemptStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    GRADED = "graded"


def _key_from_position(context) -> str:
    """A key for a question made without one (authoring picks its own, unique keys)."""
    return f"q-{context.get_current_parameters()['position']}"


class Quiz(db.Model):
    __tablename__ = "quiz"
    __table_args__ = (
        sa.CheckConstraint("pass_percent >= 0 AND pass_percent <= 100", name="pass_percent_range"),
        sa.CheckConstraint("attempts_allowed IS NULL OR attempts_allowed > 0",
                           name="attempts_positive"),
        sa.CheckConstraint("time_limit_minutes IS NULL OR time_limit_minutes > 0",
                           name="time_limit_positive"),
        sa.CheckConstraint("draw_count IS NULL OR draw_count > 0", name="draw_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: One quiz per course.
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course.id", ondelete="CASCADE"), unique=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    #: Markdown shown before the first question.
    intro: Mapped[str] = mapped_column(sa.Text, default="")
    #: Share of the points (0–100) needed to pass.
    pass_percent: Mapped[int] = mapped_column(default=80)
    #: NULL: as many attempts as the person likes.
    attempts_allowed: Mapped[int | None]
    #: NULL: no time limit. Enforced on the server from the attempt's deadline.
    time_limit_minutes: Mapped[int | None]
    shuffle_questions: Mapped[bool] = mapped_column(default=False)
    shuffle_choices: Mapped[bool] = mapped_column(default=False)
    #: Draw this many questions at random from the bank for each attempt; NULL: all.
    draw_count: Mapped[int | None]
    #: After submitting, show which answers were right and the explanations.
    show_answers: Mapped[bool] = mapped_column(default=True)
    #: "all": every question on one page; "one": a question per page.
    paging: Mapped[str] = mapped_column(sa.String(8), default="one")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    course = relationship("Course")
    #: The questions in use; retired ones stay in the table for the attempts that drew them.
    questions: Mapped[list[Question]] = relationship(
        back_populates="quiz", order_by="Question.position", cascade="all, delete-orphan",
        primaryjoin="and_(Quiz.id == Question.quiz_id, Question.retired_at.is_(None))",
    )


class Question(db.Model):
    __tablename__ = "quiz_question"
    __table_args__ = (
        sa.UniqueConstraint("quiz_id", "position"),
        sa.UniqueConstraint("quiz_id", "source_key"),
        sa.CheckConstraint("points > 0", name="points_positive"),
        # Retired questions are parked at negative positions, out of the way of 1, 2, 3 …
        sa.CheckConstraint("(retired_at IS NULL) = (position > 0)", name="retired_parked"),
        sa.CheckConstraint("tolerance IS NULL OR tolerance >= 0", name="tolerance_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz.id", ondelete="CASCADE"),
                                         index=True)
    position: Mapped[int]
    #: The question's id in quiz.toml: a package update finds the question by it, so a
    #: question that stays keeps its row, its answers and its attempts.
    source_key: Mapped[str] = mapped_column(sa.String(40), default=_key_from_position)
    #: Set when a newer package version (or an author) removed the question; attempts that
    #: drew it still show and score it, new attempts never draw it.
    retired_at: Mapped[datetime | None]
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind, name="question_kind"))
    prompt: Mapped[str] = mapped_column(sa.Text)
    points: Mapped[int] = mapped_column(default=1)
    #: Shown after submitting (when the quiz shows answers).
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    #: Multiple choice: a share of the points for a partly right answer.
    partial_credit: Mapped[bool] = mapped_column(default=False)
    #: True/false: whether the statement is true.
    correct_true: Mapped[bool | None]
    #: Numeric: the right answer and how far from it an answer may be.
    numeric_answer: Mapped[float | None] = mapped_column(sa.Float)
    tolerance: Mapped[float | None] = mapped_column(sa.Float)
    #: Numeric: the unit the answer is in ("timer", "kroner"), shown beside the field.
    unit: Mapped[str | None] = mapped_column(sa.String(40))
    #: Short text: the accepted answers, matched ignoring case, spacing and closing
    #: punctuation (see ``app.quizzes.types.normalise_text``).
    accepted_answers: Mapped[list | None] = mapped_column(sa.JSON)

    quiz: Mapped[Quiz] = relationship(back_populates="questions")

    @property
    def retired(self) -> bool:
        return self.retired_at is not None
    choices: Mapped[list[Choice]] = relationship(
        back_populates="question", order_by="Choice.position", cascade="all, delete-orphan"
    )


class Choice(db.Model):
    """A choice of a single/multiple question, or an item of an ordering question whose
    position is its place in the right order."""

    __tablename__ = "quiz_choice"
    __table_args__ = (sa.UniqueConstraint("question_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("quiz_question.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    correct: Mapped[bool] = mapped_column(default=False)

    question: Mapped[Question] = relationship(back_populates="choices")


class Attempt(db.Model):
    """One person's attempt at a quiz, graded exactly once.

    ``sequence`` is the token every form of the attempt carries: each accepted save raises
    it, so a double click, a second tab or a replayed old form states a stale value and is
    refused. Grading is one conditional UPDATE from in_progress to graded.
    """

    __tablename__ = "quiz_attempt"
    __table_args__ = (
        sa.UniqueConstraint("quiz_id", "user_id", "number"),
        # At most one open attempt per person and quiz (two tabs cannot start two).
        sa.Index(
            "uq_quiz_attempt_open", "quiz_id", "user_id", unique=True,
            sqlite_where=sa.text("status = 'in_progress'"),
            postgresql_where=sa.text("status = 'in_progress'"),
        ),
        sa.CheckConstraint("number > 0", name="number_positive"),
        sa.CheckConstraint("sequence > 0", name="sequence_positive"),
        sa.CheckConstraint(
            "(status = 'graded') = (graded_at IS NOT NULL)", name="graded_consistent"
        ),
        sa.CheckConstraint("percent IS NULL OR (percent >= 0 AND percent <= 100)",
                           name="percent_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    #: 1, 2, 3 … per person and quiz.
    number: Mapped[int]
    status: Mapped[AttemptStatus] = mapped_column(
        enum_column(AttemptStatus, name="attempt_status"), default=AttemptStatus.IN_PROGRESS
    )
    sequence: Mapped[int] = mapped_column(default=1)
    #: The questions drawn for this attempt, in the order shown: [question id, …].
    question_ids: Mapped[list] = mapped_column(sa.JSON)
    #: The order choices are shown in: {"question id": [choice id, …]}.
    choice_order: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Answers saved after this moment (plus a short grace) do not count.
    deadline_at: Mapped[datetime | None]
    graded_at: Mapped[datetime | None]
    score: Mapped[float | None] = mapped_column(sa.Float)
    max_score: Mapped[float | None] = mapped_column(sa.Float)
    percent: Mapped[float | None] = mapped_column(sa.Float)
    passed: Mapped[bool | None]
    #: The deadline passed before the person submitted.
    timed_out: Mapped[bool] = mapped_column(default=False)

    quiz: Mapped[Quiz] = relationship()
    user = relationship("User")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan"
    )


class Answer(db.Model):
    __tablename__ = "quiz_answer"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("quiz_attempt.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("quiz_question.id", ondelete="CASCADE")
    )
    #: The response as the question type reads it: choice ids, a number, a text, an order.
    response: Mapped[dict] = mapped_column(sa.JSON)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Set when the attempt is graded.
    points: Mapped[float | None] = mapped_column(sa.Float)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")

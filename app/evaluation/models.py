"""Evaluations, the requests that ask for them, and a course's own extra questions."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.orm import enum_column, utcnow


class EvaluationKind(enum.StrEnum):
    #: Asked when the person completes an offering: the standard scores and comment.
    FIRST = "first"
    #: Asked three months later: "have you changed how you use IT in your unit?"
    FOLLOW_UP = "follow_up"


class FollowUpAnswer(enum.StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class QuestionKind(enum.StrEnum):
    #: A score from 1 to 5.
    SCALE = "scale"
    #: Free text.
    TEXT = "text"


#: How many questions of its own a course may add to the standard evaluation.
MAX_OWN_QUESTIONS = 3


class EvaluationRequest(db.Model):
    """One person asked for one evaluation of one enrolment: answered once, reminded until
    answered or closed."""

    __tablename__ = "evaluation_request"
    __table_args__ = (
        sa.UniqueConstraint("enrolment_id", "kind"),
        sa.CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
        sa.CheckConstraint("reminders_sent >= 0", name="reminders_not_negative"),
        sa.Index("ix_evaluation_request_open", "answered_at", "closes_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="CASCADE"))
    kind: Mapped[EvaluationKind] = mapped_column(
        enum_column(EvaluationKind, name="evaluation_kind")
    )
    #: From when the person can answer (the offering's end, or three months after it).
    opens_at: Mapped[datetime]
    #: After this the request is no longer shown, reminded or answerable.
    closes_at: Mapped[datetime]
    #: When the first e-mail was queued; NULL while none has been.
    sent_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    last_reminded_at: Mapped[datetime | None]
    #: Set in the same transaction as the Evaluation row; reminders stop here.
    answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    enrolment = relationship("Enrolment")

    def is_open(self, now: datetime) -> bool:
        return self.answered_at is None and self.opens_at <= now < self.closes_at


class Evaluation(db.Model):
    """One person's answers for one enrolment and kind.

    The answers carry no name in any report: results pages read only aggregates. The link
    to the enrolment lets the person see (and export) their own answers and keeps them to
    one answer; it is cut (SET NULL) if the enrolment goes, and the answers stay in the
    statistics through ``offering_id``.
    """

    __tablename__ = "evaluation"
    __table_args__ = (
        sa.UniqueConstraint("enrolment_id", "kind"),
        sa.CheckConstraint(
            "relevance IS NULL OR relevance BETWEEN 1 AND 5", name="relevance_range"
        ),
        sa.CheckConstraint(
            "usefulness IS NULL OR usefulness BETWEEN 1 AND 5", name="usefulness_range"
        ),
        sa.CheckConstraint("teaching IS NULL OR teaching BETWEEN 1 AND 5", name="teaching_range"),
        sa.CheckConstraint(
            "recommend IS NULL OR recommend BETWEEN 0 AND 10", name="recommend_range"
        ),
        sa.CheckConstraint(
            "(kind = 'first' AND relevance IS NOT NULL AND usefulness IS NOT NULL "
            "AND teaching IS NOT NULL AND recommend IS NOT NULL AND follow_up IS NULL) OR "
            "(kind = 'follow_up' AND follow_up IS NOT NULL AND relevance IS NULL "
            "AND usefulness IS NULL AND teaching IS NULL AND recommend IS NULL)",
            name="answers_fit_kind",
        ),
        sa.Index("ix_evaluation_offering_kind", "offering_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("enrolment.id", ondelete="SET NULL")
    )
    #: The reporting unit: aggregates count whole offerings (see ``aggregates``).
    offering_id: Mapped[int] = mapped_column(sa.ForeignKey("offering.id", ondelete="CASCADE"))
    kind: Mapped[EvaluationKind] = mapped_column(
        enum_column(EvaluationKind, name="evaluation_kind")
    )
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: "How relevant was the course for your work?" 1–5.
    relevance: Mapped[int | None] = mapped_column(sa.SmallInteger)
    #: "How useful is it in your everyday work?" 1–5.
    usefulness: Mapped[int | None] = mapped_column(sa.SmallInteger)
    #: "How good was the teaching?" 1–5.
    teaching: Mapped[int | None] = mapped_column(sa.SmallInteger)
    #: "Would you recommend it to another leader?" 0–10, reported as a net promoter score.
    recommend: Mapped[int | None] = mapped_column(sa.SmallInteger)
    #: Follow-up: "Have you changed how you use IT in your unit because of the course?"
    follow_up: Mapped[FollowUpAnswer | None] = mapped_column(
        enum_column(FollowUpAnswer, name="follow_up_answer")
    )
    #: The free-text question (first) or the follow-up's "how?" (follow-up).
    comment: Mapped[str | None] = mapped_column(sa.Text)

    enrolment = relationship("Enrolment")
    offering = relationship("Offering")
    answers: Mapped[list[EvaluationAnswer]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan"
    )


class EvaluationQuestion(db.Model):
    """One of at most three questions a course adds to its first evaluation.

    At most three are active at a time: positions 1–3, unique among the active ones. A
    question that has answers is retired rather than edited, so that answers always belong
    to the words they answered.
    """

    __tablename__ = "evaluation_question"
    __table_args__ = (
        sa.CheckConstraint(f"position BETWEEN 1 AND {MAX_OWN_QUESTIONS}", name="position_range"),
        sa.Index(
            "uq_evaluation_question_active_position",
            "course_id",
            "position",
            unique=True,
            sqlite_where=sa.text("active"),
            postgresql_where=sa.text("active"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    text: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[QuestionKind] = mapped_column(
        enum_column(QuestionKind, name="question_kind"), default=QuestionKind.SCALE
    )
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]

    course = relationship("Course")


class EvaluationAnswer(db.Model):
    """The answer to one of a course's own questions."""

    __tablename__ = "evaluation_answer"
    __table_args__ = (
        sa.UniqueConstraint("evaluation_id", "question_id"),
        sa.CheckConstraint("score IS NULL OR score BETWEEN 1 AND 5", name="score_range"),
        sa.CheckConstraint("score IS NOT NULL OR text IS NOT NULL", name="has_answer"),
        sa.Index("ix_evaluation_answer_question", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluation.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("evaluation_question.id", ondelete="CASCADE")
    )
    score: Mapped[int | None] = mapped_column(sa.SmallInteger)
    text: Mapped[str | None] = mapped_column(sa.Text)

    evaluation: Mapped[Evaluation] = relationship(back_populates="answers")
    question: Mapped[EvaluationQuestion] = relationship()

"""Privacy provider of quizzes: a person's attempts and answers."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.privacy.registry import AnonymiseContext, Handling, Provider, register, row
from app.quizzes.models import Answer, Attempt, Question, Quiz


def export_attempts(session: Session, user) -> list[dict]:
    attempts = session.execute(
        sa.select(Attempt, Quiz.title).join(Quiz, Attempt.quiz_id == Quiz.id)
        .where(Attempt.user_id == user.id).order_by(Attempt.started_at)).all()
    answers = session.execute(
        sa.select(Answer.attempt_id, Question.prompt, Answer.response, Answer.points,
                  Answer.saved_at)
        .join(Question, Answer.question_id == Question.id)
        .where(Answer.attempt_id.in_([a.id for a, _ in attempts]))
        .order_by(Answer.attempt_id, Question.position)).all()
    return [row(a, "number", "status", "started_at", "graded_at", "score", "max_score",
                "percent", "passed", "timed_out", quiz=title,
                answers=[{"question": q, "response": r, "points": p,
                          "saved_at": s.isoformat()}
                         for aid, q, r, p, s in answers if aid == a.id])
            for a, title in attempts]


def delete_answers(session: Session, attempt_ids) -> int:
    return session.execute(sa.delete(Answer).where(Answer.attempt_id.in_(attempt_ids))).rowcount


def anonymise(session: Session, user, ctx: AnonymiseContext) -> None:
    # The attempt's score, percent and pass stay (statistics); what was answered goes,
    # short text answers included.
    delete_answers(session, sa.select(Attempt.id).where(Attempt.user_id == user.id)
                   .scalar_subquery())


register(Provider(
    domain="quizzes",
    sections={"quiz_attempts": export_attempts},
    columns={"quiz_attempt.user_id": Handling(
        "quiz_attempts", "kept (score, pass); the answers are deleted")},
    anonymise=anonymise,
))

"""Privacy provider of course evaluations.

Evaluations are anonymous towards everyone who reads results (aggregates only, nothing
below five respondents), but each is linked to its enrolment so that a person answers once
and can see and export their own answers. Anonymisation cuts that link and removes the free
text; the scores stay in the statistics.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.catalogue.models import Course
from app.enrolment.models import Enrolment, Offering
from app.evaluation.models import Evaluation, EvaluationAnswer, EvaluationQuestion
from app.privacy.registry import AnonymiseContext, Handling, Provider, register, row


def export_evaluations(session: Session, user) -> list[dict]:
    evaluations = session.execute(
        sa.select(Evaluation, Course.title)
        .join(Enrolment, Evaluation.enrolment_id == Enrolment.id)
        .join(Offering, Evaluation.offering_id == Offering.id)
        .join(Course, Offering.course_id == Course.id)
        .where(Enrolment.user_id == user.id).order_by(Evaluation.submitted_at)).all()
    answers = session.execute(
        sa.select(EvaluationAnswer.evaluation_id, EvaluationQuestion.text,
                  EvaluationAnswer.score, EvaluationAnswer.text)
        .join(EvaluationQuestion, EvaluationAnswer.question_id == EvaluationQuestion.id)
        .where(EvaluationAnswer.evaluation_id.in_([e.id for e, _ in evaluations]))
        .order_by(EvaluationQuestion.position)).all()
    return [row(e, "kind", "submitted_at", "relevance", "usefulness", "teaching",
                "recommend", "follow_up", "comment", course=title,
                own_questions=[{"question": q, "score": s, "text": t}
                               for eid, q, s, t in answers if eid == e.id])
            for e, title in evaluations]


def anonymise(session: Session, user, ctx: AnonymiseContext) -> None:
    mine = (sa.select(Evaluation.id).join(Enrolment, Evaluation.enrolment_id == Enrolment.id)
            .where(Enrolment.user_id == user.id).scalar_subquery())
    ids = session.scalars(sa.select(Evaluation.id).where(Evaluation.id.in_(mine))).all()
    if not ids:
        return
    # Text-only answers go; scored answers keep the score and lose their text.
    session.execute(sa.delete(EvaluationAnswer).where(
        EvaluationAnswer.evaluation_id.in_(ids), EvaluationAnswer.score.is_(None)))
    session.execute(sa.update(EvaluationAnswer).where(EvaluationAnswer.evaluation_id.in_(ids))
                    .values(text=None).execution_options(synchronize_session=False))
    session.execute(sa.update(Evaluation).where(Evaluation.id.in_(ids))
                    .values(comment=None, enrolment_id=None)
                    .execution_options(synchronize_session=False))


register(Provider(
    domain="evaluation",
    sections={"evaluations": export_evaluations},
    columns={
        "evaluation_question.created_by_id": Handling(
            None, "kept (an id)", why="questions belong to the course, not to their author"),
    },
    anonymise=anonymise,
))

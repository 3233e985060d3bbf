"""``/api/v1/quizzes/{id}`` and attempts: the same services as the quiz pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, g
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.api.schemas import ApiErrorSchema
from app.common import numbers
from app.extensions import db
from app.orm import utcnow
from app.quizzes import services
from app.quizzes.models import Attempt, Quiz
from app.quizzes.types import question_type
from app.quizzes.views import is_author
from app.security import AUTHENTICATED, permission

blp = Blueprint("api_quizzes", __name__, url_prefix="", description="Quizzes and attempts")


class QuizSchema(Schema):
    id = fields.Integer()
    course = fields.String(attribute="course.slug")
    title = fields.String()
    intro = fields.String()
    pass_percent = fields.Integer()
    attempts_allowed = fields.Integer(allow_none=True)
    time_limit_minutes = fields.Integer(allow_none=True)
    questions = fields.Integer(metadata={"description": "questions in each attempt"})
    attempts_used = fields.Integer()
    passed = fields.Boolean()


class ChoiceOutSchema(Schema):
    id = fields.Integer()
    text = fields.String()


class QuestionOutSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    prompt = fields.String()
    points = fields.Integer()
    choices = fields.List(fields.Nested(ChoiceOutSchema))


class AttemptSchema(Schema):
    id = fields.Integer()
    number = fields.Integer()
    status = fields.String()
    sequence = fields.Integer(metadata={"description": "send it back with the submit"})
    started_at = fields.DateTime()
    deadline_at = fields.DateTime(allow_none=True)
    questions = fields.List(fields.Nested(QuestionOutSchema))


class SubmitSchema(Schema):
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True),
                          required=True,
                          metadata={"description": '{"question id": response} '
                                                   "(docs/quizzes.md)"})
    sequence = numbers.Integer(metadata={"description": "the attempt's sequence as last seen; "
                                                       "a stale one gives 409"})


class ResultItemSchema(Schema):
    question_id = fields.Integer()
    points = fields.Float()
    possible = fields.Float()
    right = fields.Raw(allow_none=True)
    explanation = fields.String(allow_none=True)


class GradeSchema(Schema):
    id = fields.Integer()
    score = fields.Float()
    max_score = fields.Float()
    percent = fields.Float()
    passed = fields.Boolean()
    timed_out = fields.Boolean()
    results = fields.List(fields.Nested(ResultItemSchema))


def _quiz(quiz_id: int) -> Quiz:
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or not (is_author(g.api_user, quiz)
                            or services.may_take(db.session, user=g.api_user, quiz=quiz)):
        abort(404)
    return quiz


def _attempt_out(attempt: Attempt) -> dict:
    questions = services.attempt_questions(db.session, attempt)
    out = []
    for q in questions:
        order = attempt.choice_order.get(str(q.id)) or [c.id for c in q.choices]
        texts = {c.id: c.text for c in q.choices}
        out.append({"id": q.id, "kind": str(q.kind), "prompt": q.prompt, "points": q.points,
                    "choices": [{"id": cid, "text": texts[cid]} for cid in order
                                if cid in texts]})
    return {"id": attempt.id, "number": attempt.number, "status": str(attempt.status),
            "sequence": attempt.sequence, "started_at": attempt.started_at,
            "deadline_at": attempt.deadline_at, "questions": out}


@blp.route("/quizzes/<int:quiz_id>")
@permission(AUTHENTICATED)
@blp.response(200, QuizSchema)
@blp.alt_response(404, schema=ApiErrorSchema, description="No such quiz")
def show(quiz_id: int):
    """A quiz's rules and the caller's standing (never the answers)."""
    quiz = _quiz(quiz_id)
    mine = db.session.execute(
        sa.select(sa.func.count(), sa.func.max(sa.case((Attempt.passed.is_(True), 1), else_=0)))
        .where(Attempt.quiz_id == quiz.id, Attempt.user_id == g.api_user.id)
    ).one()
    count = len(quiz.questions)
    return {"id": quiz.id, "course": quiz.course, "title": quiz.title, "intro": quiz.intro,
            "pass_percent": quiz.pass_percent, "attempts_allowed": quiz.attempts_allowed,
            "time_limit_minutes": quiz.time_limit_minutes,
            "questions": min(quiz.draw_count or count, count),
            "attempts_used": mine[0], "passed": bool(mine[1])}


@blp.route("/quizzes/<int:quiz_id>/attempts", methods=["POST"])
@permission(AUTHENTICATED)
@blp.response(201, AttemptSchema)
@blp.alt_response(404, schema=ApiErrorSchema, description="No such quiz")
@blp.alt_response(409, schema=ApiErrorSchema, description="No attempts left")
def start(quiz_id: int):
    """Start an attempt (or get the one already open) with its questions."""
    quiz = _quiz(quiz_id)
    attempt = services.start_attempt(db.session, user=g.api_user, quiz=quiz, now=utcnow())
    db.session.commit()
    return _attempt_out(attempt)


@blp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@permission(AUTHENTICATED)
@blp.arguments(SubmitSchema)
@blp.response(200, GradeSchema)
@blp.alt_response(404, schema=ApiErrorSchema, description="Not your attempt")
@blp.alt_response(409, schema=ApiErrorSchema, description="Already submitted, or stale")
@blp.alt_response(422, schema=ApiErrorSchema, description="An answer does not fit")
def submit(payload: dict, attempt_id: int):
    """Submit the answers and get the grade; an attempt is graded exactly once."""
    attempt = db.session.scalar(sa.select(Attempt).where(Attempt.id == attempt_id,
                                                         Attempt.user_id == g.api_user.id))
    if attempt is None:
        abort(404)
    responses = services.clean_responses(services.attempt_questions(db.session, attempt),
                                         payload["answers"])
    attempt = services.submit_attempt(db.session, attempt=attempt, user=g.api_user,
                                      responses=responses, sequence=payload.get("sequence"),
                                      now=utcnow())
    db.session.commit()
    show_answers = attempt.quiz.show_answers
    points = {a.question_id: a.points or 0.0 for a in attempt.answers}
    results = []
    for q in services.attempt_questions(db.session, attempt):
        spec = services.spec_of(q)
        results.append({
            "question_id": q.id, "points": points.get(q.id, 0.0), "possible": q.points,
            "right": question_type(q.kind).right_response(spec) if show_answers else None,
            "explanation": q.explanation if show_answers else None,
        })
    return {"id": attempt.id, "score": attempt.score, "max_score": attempt.max_score,
            "percent": attempt.percent, "passed": attempt.passed,
            "timed_out": attempt.timed_out, "results": results}

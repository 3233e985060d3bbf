"""``GET /api/v1/courses/{slug}/evaluation``: a course's evaluation in aggregates only.

The same anonymity rule as the pages: ``respondents`` is always there; no figure at all
while fewer than five have answered, and figures count only offerings with five or more.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, g
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.catalogue.models import Course
from app.errors import ApiErrorSchema
from app.evaluation import queries
from app.evaluation.aggregates import MEASURES, THRESHOLD, first_results, follow_up_results
from app.evaluation.models import EvaluationKind
from app.evaluation.scope import full_condition, package_condition
from app.extensions import db
from app.security import permission

blp = Blueprint("api_evaluation", __name__, url_prefix="/courses", description="Course evaluations")


class MeanSchema(Schema):
    mean = fields.Float(metadata={"description": "average on the 1–5 scale"})
    n = fields.Integer()


class RecommendSchema(Schema):
    nps = fields.Integer(metadata={"description": "net promoter score, -100 to 100"})
    promoters = fields.Integer()
    passives = fields.Integer()
    detractors = fields.Integer()
    n = fields.Integer()


class FollowUpSchema(Schema):
    respondents = fields.Integer()
    counted = fields.Integer()
    yes = fields.Integer()
    partly = fields.Integer()
    no = fields.Integer()


class CourseEvaluationSchema(Schema):
    course = fields.String()
    threshold = fields.Integer(metadata={"description": "fewest answers per offering shown"})
    respondents = fields.Integer(metadata={"description": "answers to the first evaluation"})
    counted = fields.Integer(
        metadata={"description": "answers in the figures (offerings with ≥ threshold)"}
    )
    relevance = fields.Nested(MeanSchema)
    usefulness = fields.Nested(MeanSchema)
    teaching = fields.Nested(MeanSchema)
    recommend = fields.Nested(RecommendSchema)
    distributions = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Integer()),
        metadata={"description": "counts per value: 1–5, and 0–10 for recommend"},
    )
    follow_up = fields.Nested(FollowUpSchema)


@blp.route("/<slug>/evaluation")
@permission("evaluation.results")
@blp.response(200, CourseEvaluationSchema)
@blp.alt_response(404, schema=ApiErrorSchema, description="No such course in your scope")
def course_evaluation(slug: str):
    """Aggregated evaluation of a course: averages with their n, net promoter score,
    distributions and the three-month follow-up, within the caller's scope."""
    user = g.api_user
    condition = sa.or_(full_condition(user), package_condition(user))
    course = queries.course_in_scope(db.session, slug=slug, condition=condition)
    if course is None:
        abort(404)
    scoped = sa.and_(condition, Course.id == course.id)
    first = first_results(
        queries.answer_rows(db.session, kind=EvaluationKind.FIRST, condition=scoped).rows
    )
    follow = follow_up_results(
        queries.answer_rows(db.session, kind=EvaluationKind.FOLLOW_UP, condition=scoped).rows
    )
    body: dict = {
        "course": course.slug,
        "threshold": THRESHOLD,
        "respondents": first.split.respondents,
        "counted": first.summary.n if first.summary else 0,
        "follow_up": {
            "respondents": follow.split.respondents,
            "counted": follow.summary.n if follow.summary else 0,
        },
    }
    if first.summary is not None:
        s = first.summary
        for m in MEASURES:
            body[m] = {"mean": round(s.means[m].value, 2), "n": s.means[m].n}
        body["recommend"] = {
            "nps": s.nps.score,
            "promoters": s.nps.promoters,
            "passives": s.nps.passives,
            "detractors": s.nps.detractors,
            "n": s.nps.n,
        }
        body["distributions"] = {k: list(v) for k, v in s.distributions.items()}
    if follow.summary is not None:
        body["follow_up"].update(follow.summary.counts)
    return body

"""Courses and offerings in the JSON API: ``GET /courses``, ``GET /courses/{slug}``,
``GET /offerings?course=``, ``GET /offerings/{id}``. The same visibility rules as the
catalogue pages (``app.catalogue.queries``)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, g
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.accounts.scope import organisation_ids
from app.api.paging import PageArgsSchema, first_item, pagination_headers
from app.api.schemas import ApiErrorSchema
from app.catalogue.models import Course, Module
from app.catalogue.queries import visible_course, visible_offering
from app.enrolment.access import PARTICIPANT_ROLES
from app.enrolment.models import Enrolment, Offering
from app.enrolment.seats import waitlist_position_column
from app.extensions import db
from app.security import AUTHENTICATED, permission

blp = Blueprint("api_catalogue", __name__, description="Courses and their offerings")

class SessionSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    room = fields.String(allow_none=True)
    online_url = fields.String(allow_none=True)
    speaker = fields.String(allow_none=True)
    mandatory = fields.Boolean()


class MyEnrolmentSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    waitlist_position = fields.Integer(allow_none=True)


class OfferingSchema(Schema):
    id = fields.Integer()
    course = fields.String(attribute="course.slug", metadata={"description": "course slug"})
    organisation = fields.String(attribute="organisation.slug")
    title = fields.String()
    status = fields.String()
    format = fields.String()
    location = fields.String(allow_none=True)
    capacity = fields.Integer(allow_none=True, metadata={"description": "null: no limit"})
    taken = fields.Integer()
    seats_left = fields.Integer(allow_none=True)
    starts_at = fields.DateTime(allow_none=True)
    ends_at = fields.DateTime(allow_none=True)
    enrol_opens_at = fields.DateTime(allow_none=True)
    enrol_closes_at = fields.DateTime(allow_none=True)
    cancel_deadline_at = fields.DateTime(allow_none=True)
    requires_approval = fields.Boolean()
    open_to_partners = fields.Boolean()
    sessions = fields.List(fields.Nested(SessionSchema))
    my_enrolment = fields.Nested(MyEnrolmentSchema, allow_none=True,
                                 metadata={"description": "the caller's own enrolment"})


class CourseSchema(Schema):
    slug = fields.String()
    title = fields.String()
    summary = fields.String()
    kind = fields.String()
    language = fields.String()
    status = fields.String()
    organisation = fields.String(attribute="organisation.slug")
    audiences = fields.Function(lambda c: sorted(c.audience_values))
    validity_months = fields.Integer(allow_none=True)


class ModuleSchema(Schema):
    position = fields.Integer()
    title = fields.String()
    estimated_minutes = fields.Integer(allow_none=True)


class CourseDetailSchema(CourseSchema):
    description = fields.String(metadata={"description": "Markdown"})
    modules = fields.List(fields.Nested(ModuleSchema), attribute="api_modules")
    offerings = fields.List(fields.Nested(OfferingSchema), attribute="api_offerings",
                            metadata={"description": "the offerings the caller may see"})


class OfferingQuerySchema(PageArgsSchema):
    course = fields.String(metadata={"description": "course slug"})


def _caller():
    return g.api_user


def _managed_offering():
    orgs = organisation_ids(_caller(), *PARTICIPANT_ROLES)
    return Offering.organisation_id.in_(orgs) if orgs else sa.false()


def _with_own_enrolments(offerings: list[Offering]) -> list[Offering]:
    """Attach the caller's own enrolment to each offering (one statement)."""
    if not offerings:
        return offerings
    mine = {
        e.offering_id: {"id": e.id, "status": str(e.status), "waitlist_position": position}
        for e, position in db.session.execute(
            sa.select(Enrolment, waitlist_position_column())
            .where(Enrolment.user_id == _caller().id,
                   Enrolment.offering_id.in_([o.id for o in offerings]))
        )
    }
    for offering in offerings:
        offering.my_enrolment = mine.get(offering.id)
    return offerings


def _offerings_query():
    return (
        sa.select(Offering)
        .join(Course, Course.id == Offering.course_id)
        .where(sa.or_(visible_offering(_caller()), _managed_offering()))
        .options(sa.orm.selectinload(Offering.sessions),
                 sa.orm.joinedload(Offering.course), sa.orm.joinedload(Offering.organisation))
    )


@blp.route("/courses")
@permission(AUTHENTICATED)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, CourseSchema(many=True))
@blp.alt_response(401, schema=ApiErrorSchema, description="No or an invalid token")
@blp.alt_response(422, schema=ApiErrorSchema, description="page or per_page is not valid")
def list_courses(args):
    """The published courses the caller may see, by title (``page``, ``per_page``;
    ``X-Pagination``)."""
    where = visible_course(_caller())
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Course).where(where))
    courses = db.session.scalars(
        sa.select(Course).where(where).order_by(Course.title, Course.id)
        .options(sa.orm.joinedload(Course.organisation))
        .limit(args["per_page"]).offset(first_item(args))
    ).all()
    return courses, 200, pagination_headers(total, args)


@blp.route("/courses/<slug>")
@permission(AUTHENTICATED)
@blp.response(200, CourseDetailSchema)
@blp.alt_response(404, schema=ApiErrorSchema, description="No such course")
def get_course(slug: str):
    """One course with its modules (titles) and the offerings the caller may see."""
    course = db.session.scalar(sa.select(Course).where(Course.slug == slug,
                                                       visible_course(_caller())))
    if course is None:
        abort(404)
    # Plain attributes for the schema (assigning the mapped collections would be a write).
    course.api_modules = db.session.scalars(
        sa.select(Module).where(Module.course_id == course.id).order_by(Module.position)).all()
    course.api_offerings = _with_own_enrolments(list(db.session.scalars(
        _offerings_query().where(Offering.course_id == course.id)
        .order_by(Offering.starts_at, Offering.id)).unique()))
    return course


@blp.route("/offerings")
@permission(AUTHENTICATED)
@blp.arguments(OfferingQuerySchema, location="query")
@blp.response(200, OfferingSchema(many=True))
@blp.alt_response(422, schema=ApiErrorSchema, description="A filter or page is not valid")
def list_offerings(args):
    """Offerings the caller may see (published ones, and those their organisation runs,
    if they manage it), by start; ``course`` filters by course slug."""
    query = _offerings_query()
    if args.get("course"):
        query = query.where(Course.slug == args["course"])
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(query.with_only_columns(Offering.id)
                                               .options().subquery()))
    offerings = _with_own_enrolments(list(db.session.scalars(
        query.order_by(Offering.starts_at, Offering.id)
        .limit(args["per_page"]).offset(first_item(args))).unique()))
    return offerings, 200, pagination_headers(total, args)


@blp.route("/offerings/<int:offering_id>")
@permission(AUTHENTICATED)
@blp.response(200, OfferingSchema)
@blp.alt_response(404, schema=ApiErrorSchema, description="No such offering")
def get_offering(offering_id: int):
    offering = db.session.scalar(_offerings_query().where(Offering.id == offering_id))
    if offering is None:
        abort(404)
    return _with_own_enrolments([offering])[0]



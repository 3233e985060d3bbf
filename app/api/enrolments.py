"""Enrolling through the JSON API: ``POST /offerings/{id}/enrolments`` and
``DELETE /enrolments/{id}``, through the same services as the pages."""

from __future__ import annotations

from flask import abort, current_app, g
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.schemas import ApiErrorSchema
from app.common import numbers
from app.enrolment import queries, services
from app.enrolment.access import may_see_enrolment
from app.enrolment.models import Enrolment
from app.enrolment.seats import waitlist_position
from app.errors import DomainError
from app.extensions import db
from app.orm import utcnow
from app.security import AUTHENTICATED, permission

blp = Blueprint("api_enrolments", __name__, description="Enrolling and cancelling")


class EnrolmentCreateSchema(Schema):
    user_id = numbers.Integer(
        strict=True,
        metadata={"description": "enrol someone else (organisers, admins, HR within reach, "
                                 "and a person's leader); default: the caller"},
    )


class CancelArgsSchema(Schema):
    reason = fields.String(validate=validate.Length(max=2000),
                           metadata={"description": "told to the person (organisers)"})


class EnrolmentSchema(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"description": "requested, enrolled, waitlisted, "
                                                    "declined, cancelled or no_show"})
    offering_id = fields.Integer()
    user_id = fields.Integer()
    waitlist_position = fields.Integer(allow_none=True)
    requested_at = fields.DateTime()
    reason = fields.String(allow_none=True)


_UNCOUNTED = object()


def _body(enrolment: Enrolment, place=_UNCOUNTED) -> dict:
    """The response, taken before the commit: read after it, the expired enrolment would be
    loaded again in a second transaction (on SQLite a second turn at the write lock).
    ``place``: the waitlist place already counted in this transaction, if it was."""
    if place is _UNCOUNTED:
        place = waitlist_position(db.session, enrolment)
    return {"id": enrolment.id, "status": enrolment.status,
            "offering_id": enrolment.offering_id, "user_id": enrolment.user_id,
            "waitlist_position": place,
            "requested_at": enrolment.requested_at, "reason": enrolment.reason}


@blp.route("/offerings/<int:offering_id>/enrolments", methods=["POST"])
@permission(AUTHENTICATED)
@blp.arguments(EnrolmentCreateSchema, location="json")
@blp.response(201, EnrolmentSchema)
@blp.alt_response(404, schema=ApiErrorSchema, description="No such offering")
@blp.alt_response(409, schema=ApiErrorSchema, description="Already enrolled")
@blp.alt_response(400, schema=ApiErrorSchema, description="Closed, cancelled, …")
def enrol(args, offering_id: int):
    """Enrol the caller (or ``user_id``): ``enrolled`` while seats are left, else
    ``waitlisted``; ``requested`` when the offering needs the leader's approval."""
    offering = queries.offering_to_enrol(db.session, offering_id)
    if offering is None:
        abort(404)
    caller = g.api_user
    person, existing = caller, services.NOT_READ
    if args.get("user_id") is not None and args["user_id"] != caller.id:
        person, existing = queries.person_and_enrolment(db.session, args["user_id"],
                                                        offering.id)
        if person is None:
            abort(404)
    try:
        enrolment, place = services.enrol_and_place(db.session, actor=caller,
                                                    offering=offering, person=person,
                                                    now=utcnow(), existing=existing)
        body = _body(enrolment, place)
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()
    return body


@blp.route("/enrolments/<int:enrolment_id>", methods=["DELETE"])
@permission(AUTHENTICATED)
@blp.arguments(CancelArgsSchema, location="query")
@blp.response(200, EnrolmentSchema)
@blp.alt_response(404, schema=ApiErrorSchema, description="No such enrolment (or not yours)")
@blp.alt_response(400, schema=ApiErrorSchema, description="Past the cancellation deadline")
def cancel(args, enrolment_id: int):
    """Cancel an enrolment, a waitlist place or a request; a freed seat goes to the first
    person on the waitlist in the same transaction."""
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or not may_see_enrolment(db.session, g.api_user, enrolment):
        abort(404)
    try:
        services.cancel(db.session, actor=g.api_user, enrolment=enrolment, now=utcnow(),
                        reason=args.get("reason"),
                        support_email=current_app.config["KURS_SUPPORT_EMAIL"])
        body = _body(enrolment)
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()
    return body

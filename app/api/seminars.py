"""Attendance and check-in in the API: ``/sessions/{id}/attendance`` (GET, bulk PUT),
``/sessions/{id}/checkin-token``, ``/sessions/{id}/signin-sheet.pdf`` and ``/checkin``.

The same services as the organiser's screens; the bulk PUT is last-writer-wins and
idempotent (design.md, "Attendance writes").
"""

from __future__ import annotations

from flask import Response, abort, current_app, g, url_for
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.paging import PageArgsSchema, first_item, pagination_headers
from app.api.schemas import ApiErrorSchema
from app.common import numbers
from app.extensions import db
from app.orm import utcnow
from app.security import AUTHENTICATED, permission
from app.seminars import checkin, checkin_tokens, documents, queries, rules, services
from app.seminars.models import AttendanceStatus

blp = Blueprint("api_seminars", __name__, description="Attendance and check-in")

STATUS_VALUES = [s.value for s in AttendanceStatus]


class AttendanceRowSchema(Schema):
    person = fields.String(metadata={"description": '"user:<id>" or "participant:<id>"'})
    user_id = fields.Integer(allow_none=True)
    participant_id = fields.Integer(allow_none=True)
    name = fields.String()
    unit = fields.String(metadata={"description": "unit, or organisation for externals"})
    walk_in = fields.Boolean()
    status = fields.String(allow_none=True, metadata={"enum": STATUS_VALUES})
    version = fields.Integer(metadata={"description": "0 while not marked"})
    recorded_at = fields.DateTime(allow_none=True)


class BulkItemSchema(Schema):
    user_id = numbers.Integer(required=True, strict=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUS_VALUES))


class BulkResultSchema(Schema):
    session_id = fields.Integer()
    received = fields.Integer()
    changed = fields.Integer()
    changed_user_ids = fields.List(fields.Integer())


class CheckinTokenSchema(Schema):
    token = fields.String()
    url = fields.String(metadata={"description": "what the QR code encodes"})
    open = fields.Boolean(metadata={"description": "whether check-in is open now"})
    opens_at = fields.DateTime()
    closes_at = fields.DateTime()
    rotates_at = fields.DateTime(metadata={"description": "when the next code is shown"})
    expires_at = fields.DateTime(metadata={"description": "when this code stops working"})


class CheckinArgsSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=300))
    walk_in = fields.Boolean(load_default=False, metadata={
        "description": "not on the list: ask the organiser to add me"})


class CheckinResultSchema(Schema):
    result = fields.String(metadata={"enum": [o.value for o in checkin.Outcome]})
    status = fields.String(allow_none=True)
    session_id = fields.Integer()
    session = fields.String()


def _session(session_id: int):
    course_session = queries.organised_session(db.session, g.api_user, session_id)
    if course_session is None:
        abort(404)
    return course_session


@blp.route("/sessions/<int:session_id>/attendance", methods=["GET"])
@permission("seminars.organise")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, AttendanceRowSchema(many=True))
@blp.alt_response(404, schema=ApiErrorSchema, description="No such session in reach")
def list_attendance(args, session_id: int):
    """Everyone on the session's list with their mark (null while not marked)."""
    rows = queries.grid_rows(db.session, _session(session_id))
    start = first_item(args)
    page = [
        {"person": r.key, "user_id": r.id if r.kind == "user" else None,
         "participant_id": r.id if r.kind == "participant" else None, "name": r.name,
         "unit": r.detail, "walk_in": r.walk_in, "status": r.status and str(r.status),
         "version": r.version, "recorded_at": r.recorded_at}
        for r in rows[start:start + args["per_page"]]
    ]
    return page, 200, pagination_headers(len(rows), args)


@blp.route("/sessions/<int:session_id>/attendance", methods=["PUT"])
@permission("seminars.organise")
@blp.arguments(BulkItemSchema(many=True))
@blp.response(200, BulkResultSchema)
@blp.alt_response(422, schema=ApiErrorSchema, description="Unknown or repeated people")
def put_attendance(items, session_id: int):
    """Set many people's status in one request; last writer wins.

    Idempotent: people whose status already is the one sent are not touched (their
    ``recorded_at`` and version stay), so the same body sent twice changes nothing."""
    course_session = _session(session_id)
    changed = services.bulk_set(
        db.session, actor=g.api_user, course_session=course_session,
        items=[(i["user_id"], AttendanceStatus(i["status"])) for i in items], now=utcnow(),
    )
    db.session.commit()
    return {"session_id": session_id, "received": len(items), "changed": len(changed),
            "changed_user_ids": changed}


@blp.route("/sessions/<int:session_id>/checkin-token", methods=["GET"])
@permission("seminars.organise")
@blp.response(200, CheckinTokenSchema)
def checkin_token(session_id: int):
    """The current check-in code and the address the QR code encodes."""
    course_session = _session(session_id)
    now = utcnow()
    token = checkin_tokens.make_token(current_app.config["SECRET_KEY"], course_session.id, now)
    rotates_at = checkin_tokens.next_rotation(now)
    return {
        "token": token,
        "url": current_app.config["KURS_BASE_URL"].rstrip("/")
        + url_for("seminars.checkin_page", token=token),
        "open": rules.checkin_is_open(course_session.starts_at, course_session.ends_at, now),
        "opens_at": rules.checkin_opens_at(course_session.starts_at),
        "closes_at": course_session.ends_at,
        "rotates_at": rotates_at,
        "expires_at": checkin_tokens.expires_at(now),
    }


@blp.route("/sessions/<int:session_id>/signin-sheet.pdf", methods=["GET"])
@permission("seminars.organise")
@blp.alt_response(200, description="application/pdf: the sign-in sheet")
def signin_sheet(session_id: int):
    """The sign-in sheet of the session as a PDF."""
    data = documents.signin_sheet_pdf(db.session, _session(session_id))
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="signaturliste-{session_id}.pdf"'})


@blp.route("/checkin", methods=["POST"])
@permission(AUTHENTICATED)
@blp.arguments(CheckinArgsSchema)
@blp.response(200, CheckinResultSchema)
@blp.alt_response(400, schema=ApiErrorSchema, description="Forged or expired code")
@blp.alt_response(409, schema=ApiErrorSchema, description="Check-in closed, or code reused")
def checkin_with_token(args):
    """Check the token's owner in with a scanned code (e.g. from a kiosk app)."""
    scan = checkin.read(db.session, token=args["token"],
                        secret=current_app.config["SECRET_KEY"],
                        max_age=checkin_tokens.MAX_AGE, now=utcnow())
    result = checkin.check_in(db.session, user=g.api_user, scan=scan, now=utcnow(),
                              walk_in=args["walk_in"])
    db.session.commit()
    return {"result": str(result.outcome), "status": result.status,
            "session_id": scan.course_session.id, "session": scan.course_session.title}

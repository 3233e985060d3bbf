"""``GET /api/v1/reports/competence`` and ``GET /api/v1/reports/gaps``: the same parts,
scope and access log as the pages (``Accept: text/csv`` gives the coverage as CSV)."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Response, g, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.api.paging import PageArgsSchema, first_item, pagination_headers
from app.common import numbers
from app.common.spreadsheet import csv_stream
from app.database import end_the_reads_before_writing
from app.errors import ApiErrorSchema
from app.extensions import db
from app.orm import utcnow
from app.privacy.access import log_access
from app.reports import exports, parts
from app.reports.scope import Filters, parse_filters
from app.security import permission

blp = Blueprint("api_reports", __name__, url_prefix="/reports",
                description="Competence reports (HR, admins, and leaders for their units)")

class ReportQuerySchema(PageArgsSchema):
    unit = numbers.Integer(metadata={"description": "root of the unit subtree"})
    level = fields.String(metadata={"description": "toppleder, mellomleder, "
                                                   "forstelinjeleder or none"})
    course = fields.String(metadata={"description": "course slug"})
    organisation = numbers.Integer()
    to = fields.Date(metadata={"description": "completions until this day"})

    class Meta:
        # "from" is a Python keyword: accepted from the query string as it is.
        unknown = "include"


class CoverageRowSchema(Schema):
    unit = fields.String()
    unit_code = fields.String()
    unit_id = fields.Integer()
    depth = fields.Integer()
    course = fields.String()
    course_slug = fields.String()
    required = fields.Integer()
    completed = fields.Integer()
    percent = fields.Integer(allow_none=True)


class GapRowSchema(Schema):
    user_id = fields.Integer()
    name = fields.String()
    email = fields.String()
    unit = fields.String()
    course = fields.String()
    due = fields.Date(allow_none=True)
    lacking_since = fields.Date(allow_none=True)
    days = fields.Integer(allow_none=True)
    next_offering_id = fields.Integer(allow_none=True)
    next_offering_starts_at = fields.DateTime(allow_none=True)
    signed_up_status = fields.String(
        allow_none=True, metadata={"description": "enrolled, waitlisted or requested: the "
                                   "person's own coming offering of the course; null: none"})
    signed_up_offering_id = fields.Integer(allow_none=True)


def _filters() -> Filters:
    return parse_filters(request.args)


def _log(kind: str, filters: Filters, people: int, subjects=()) -> None:
    actor = SimpleNamespace(id=g.api_user.id)
    end_the_reads_before_writing(db.session)
    log_access(db.session, actor=actor, kind=kind, now=utcnow(), filters=filters.as_dict(),
               row_count=people, subject_ids=subjects, address=request.remote_addr)
    db.session.commit()


def _page(rows: list, args) -> tuple[list, dict]:
    """One page of the rows, and the X-Pagination header for it."""
    start = first_item(args)
    return rows[start:start + args["per_page"]], pagination_headers(len(rows), args)


@blp.route("/competence")
@permission("reports.view")
@blp.arguments(ReportQuerySchema, location="query")
@blp.response(200, CoverageRowSchema(many=True))
@blp.alt_response(400, schema=ApiErrorSchema, description="A filter value is not valid")
@blp.alt_response(403, schema=ApiErrorSchema, description="Not HR, an admin or a leader")
def competence(args):
    """Coverage of mandatory courses per unit (rolled up the tree) and course; no person
    names. With ``Accept: text/csv`` the whole table as CSV (UTF-8 with BOM, ``;``)."""
    filters, now = _filters(), utcnow()
    user = g.api_user
    coverage = parts.coverage(db.session, user, filters, now=now)
    if request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv":
        sheet = exports.coverage_sheet(coverage)
        body = b"".join(csv_stream([c.title for c in sheet.columns], sheet.rows))
        _log("reports.api.competence.csv", filters, coverage.people)
        return Response(body, mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=kompetanse.csv"})
    slugs = {c[0]: (c[1], c[2]) for c in coverage.courses}
    rows = [
        {"unit": unit.name, "unit_code": unit.code, "unit_id": unit.id, "depth": unit.depth,
         "course": slugs[course_id][1], "course_slug": slugs[course_id][0],
         "required": cell.required, "completed": cell.completed, "percent": cell.percent}
        for unit in coverage.units
        for course_id, cell in sorted(unit.cells.items()) if course_id in slugs
    ]
    _log("reports.api.competence", filters, coverage.people)
    page, headers = _page(rows, args)
    return page, 200, headers


@blp.route("/gaps")
@permission("reports.view")
@blp.arguments(ReportQuerySchema, location="query")
@blp.response(200, GapRowSchema(many=True))
@blp.alt_response(400, schema=ApiErrorSchema, description="A filter value is not valid")
@blp.alt_response(403, schema=ApiErrorSchema, description="Not HR, an admin or a leader")
def gaps(args):
    """Who lacks which mandatory course (HR, and the leaders of the units)."""
    filters, now = _filters(), utcnow()
    report = parts.gaps(db.session, g.api_user, filters, now=now, limit=None)
    rows = [
        {"user_id": r.user_id, "name": r.name, "email": r.email, "unit": r.unit,
         "course": r.course, "due": r.lack.due, "lacking_since": r.lack.since,
         "days": r.lack.days(report.today),
         "next_offering_id": r.next_offering[0] if r.next_offering else None,
         "next_offering_starts_at": r.next_offering[2] if r.next_offering else None,
         "signed_up_status": r.signed_status,
         "signed_up_offering_id": r.signed_offering[0] if r.signed_offering else None}
        for r in report.rows
    ]
    page, headers = _page(rows, args)
    _log("reports.api.gaps", filters, len(report.people), {r["user_id"] for r in page})
    return page, 200, headers

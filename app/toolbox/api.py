"""``GET /api/v1/projects``: the IT project register for other municipal systems.

The same scope as the overview page: the projects of the caller's organisation. Documents
are listed by kind and status only; their links and files stay on the project's page for
the project's team.
"""

from __future__ import annotations

from flask import abort, g
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.paging import PageArgsSchema, pagination_headers
from app.api.schemas import ApiErrorSchema, UnitRefSchema
from app.errors import DomainError
from app.extensions import db
from app.security import AUTHENTICATED, permission
from app.toolbox import queries, rules
from app.toolbox.models import Category, DocumentStatus, Network, Phase

blp = Blueprint("api_projects", __name__, url_prefix="/projects",
                description="The IT project register")


class ProjectQuerySchema(PageArgsSchema):
    q = fields.String(validate=validate.Length(max=100),
                      metadata={"description": "words in the name or purpose"})
    unit = fields.String(validate=validate.Length(max=32),
                         metadata={"description": "a unit code; its subtree is included"})
    phase = fields.String(validate=validate.OneOf([p.value for p in Phase]))
    network = fields.String(validate=validate.OneOf([n.value for n in Network]))


class PersonRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()


class DocumentRefSchema(Schema):
    category = fields.String(validate=validate.OneOf([c.value for c in Category]))
    status = fields.String(validate=validate.OneOf([s.value for s in DocumentStatus]))
    attached = fields.Boolean()


class ProjectSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    purpose = fields.String()
    unit = fields.Nested(UnitRefSchema)
    phase = fields.String()
    buys_equipment_or_software = fields.Boolean()
    network = fields.String()
    representative_required = fields.Function(
        lambda p: rules.representative_required(p.buys_equipment_or_software, p.network))
    leader = fields.Nested(PersonRefSchema)
    owner = fields.Nested(PersonRefSchema, allow_none=True)
    it_representative = fields.Nested(PersonRefSchema, allow_none=True)
    contact_email = fields.Function(lambda p: p.contact_email or p.leader.email)
    contact_phone = fields.String(allow_none=True)
    starts_on = fields.Date(allow_none=True)
    planned_end_on = fields.Date(allow_none=True)
    updated_at = fields.DateTime()


class ProjectDetailSchema(ProjectSchema):
    documents = fields.List(fields.Nested(DocumentRefSchema))


@blp.route("")
@permission(AUTHENTICATED)
@blp.arguments(ProjectQuerySchema, location="query")
@blp.response(200, ProjectSchema(many=True))
@blp.alt_response(401, schema=ApiErrorSchema, description="No or an invalid token")
@blp.alt_response(422, schema=ApiErrorSchema, description="A filter is not valid")
def list_projects(args):
    """The IT projects of the caller's organisation, by name; filter by unit (code, with
    the units below it), phase, network and words. Paginated (``X-Pagination``)."""
    user = g.api_user
    unit = None
    if args.get("unit"):
        unit = queries.unit_by_code(db.session, user, args["unit"])
        if unit is None:
            raise DomainError("unit_unknown", _("Ukjent enhet."), field="unit", status=422)
    found, total = queries.list_projects(
        db.session, user, q=args.get("q"), unit=unit, phase=args.get("phase"),
        network=args.get("network"), page=args["page"], per_page=args["per_page"])
    return found, 200, pagination_headers(total, args)


@blp.route("/<int:project_id>")
@permission(AUTHENTICATED)
@blp.response(200, ProjectDetailSchema)
@blp.alt_response(404, schema=ApiErrorSchema, description="No such project in reach")
def get_project(project_id: int):
    """One project with the kinds and statuses of its methodology documents."""
    row = queries.project_with_rights(db.session, g.api_user, project_id)
    if row is None:
        abort(404)
    return row[0]

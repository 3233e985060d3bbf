"""Marshmallow schemas shared by the API blueprints."""

from marshmallow import Schema, fields

from app.errors import ApiErrorSchema  # noqa: F401  (re-exported for the blueprints)


class OrganisationRefSchema(Schema):
    id = fields.Integer()
    slug = fields.String()
    name = fields.String()


class UnitRefSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()


class RoleSchema(Schema):
    role = fields.String()
    organisation = fields.String(attribute="organisation.slug")
    unit = fields.Function(lambda ra: ra.unit.code if ra.unit else None, allow_none=True)


class MeSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    title = fields.String(allow_none=True)
    employee_number = fields.String(allow_none=True)
    organisation = fields.Nested(OrganisationRefSchema)
    unit = fields.Nested(UnitRefSchema, allow_none=True)
    leader_level = fields.String()
    leader_since = fields.Date(allow_none=True)
    is_project_leader = fields.Boolean()
    locale = fields.String()
    roles = fields.List(fields.Nested(RoleSchema))

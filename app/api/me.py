"""``GET /api/v1/me``: who the token acts for."""

from flask import g
from flask_smorest import Blueprint

from app.api.schemas import ApiErrorSchema, MeSchema
from app.security import AUTHENTICATED, permission

blp = Blueprint("api_me", __name__, url_prefix="/me", description="The caller")


@blp.route("")
@permission(AUTHENTICATED)
@blp.response(200, MeSchema)
@blp.alt_response(401, schema=ApiErrorSchema, description="No or an invalid token")
def me():
    """The person (or service account) the bearer token belongs to, with their roles."""
    return g.api_user


@blp.route("/export")
@permission(AUTHENTICATED)
@blp.response(200, description="Everything kurs holds about the caller (kurs-export/1)")
@blp.alt_response(401, schema=ApiErrorSchema, description="No or an invalid token")
def export():
    """The caller's own data as JSON: profile, roles, enrolments, attendance, registration
    answers, quiz attempts, completions, certificates, evaluations, e-mails, and who has
    viewed their data in reports."""
    from app.privacy.views import export_response

    return export_response(g.api_user)

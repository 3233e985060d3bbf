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

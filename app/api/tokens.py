"""``/api/v1/me/tokens``: an integration lists and revokes the tokens of its own account
(to rotate a token: make the new one, switch to it, then revoke the old one here)."""

import sqlalchemy as sa
from flask import abort, g
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.accounts import services
from app.accounts.models import ApiToken
from app.api.schemas import ApiErrorSchema
from app.extensions import db
from app.orm import utcnow
from app.security import AUTHENTICATED, permission

blp = Blueprint("api_tokens", __name__, url_prefix="/me/tokens",
                description="The caller's own API tokens")


class TokenSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    prefix = fields.String(metadata={"description": "the token's first characters"})
    scope = fields.String(metadata={"description": "read or read_write"})
    created_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    current = fields.Function(lambda t: t.id == g.api_token.id,
                              metadata={"description": "the token of this request"})


@blp.route("")
@permission(AUTHENTICATED)
@blp.response(200, TokenSchema(many=True))
@blp.alt_response(401, schema=ApiErrorSchema, description="No or an invalid token")
def list_tokens():
    """The caller's tokens that are not revoked, newest first."""
    return db.session.scalars(
        sa.select(ApiToken)
        .where(ApiToken.user_id == g.api_user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()


@blp.route("/<int:token_id>", methods=["DELETE"])
@permission(AUTHENTICATED)
@blp.response(200, TokenSchema)
@blp.alt_response(403, schema=ApiErrorSchema, description="A read-only token")
@blp.alt_response(404, schema=ApiErrorSchema, description="Not one of the caller's tokens")
def revoke_token(token_id: int):
    """Revoke one of the caller's tokens (it may be the one making the request)."""
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.id == token_id,
                                                        ApiToken.user_id == g.api_user.id))
    if token is None:
        abort(404)
    services.revoke_token(db.session, token=token, actor=g.api_user, now=utcnow())
    db.session.commit()
    return token

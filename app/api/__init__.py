"""The JSON API at /api/v1 (flask-smorest; the spec at /api/v1/openapi.json).

Bearer tokens only, never the session cookie, so the API is exempt from CSRF. Every error
under /api/ is JSON ``{"code", "message"}`` (see ``app.errors``).
"""

from __future__ import annotations

from flask import Flask, abort, g, request

from app.database import before_the_write_lock
from app.extensions import api, csrf, db
from app.orm import utcnow


def authenticate_bearer() -> None:
    """Resolve ``Authorization: Bearer <token>`` into ``g.api_user`` and ``g.api_token``
    (or leave them None)."""
    from app.accounts.services import token_for_raw

    g.api_user = None
    g.api_token = None
    header = request.headers.get("Authorization", "")
    if not header:
        return
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        abort(401)
    with before_the_write_lock(db.session):
        token = token_for_raw(db.session, raw.strip(), now=utcnow())
    if token is None:
        abort(401)
    g.api_token = token
    g.api_user = token.user


def register_api(app: Flask) -> None:
    from app.api.catalogue import blp as catalogue_blp
    from app.api.certificates import blp as certificates_blp
    from app.api.enrolments import blp as enrolments_blp
    from app.api.me import blp as me_blp
    from app.api.packages import blp as packages_blp
    from app.api.quizzes import blp as quizzes_blp
    from app.api.seminars import blp as seminars_blp
    from app.api.tokens import blp as tokens_blp
    from app.evaluation.api import blp as evaluation_blp
    from app.reports.api import blp as reports_blp
    from app.toolbox.api import blp as projects_blp

    for blp in (me_blp, tokens_blp, catalogue_blp, enrolments_blp, projects_blp, packages_blp,
                certificates_blp, quizzes_blp, seminars_blp, evaluation_blp, reports_blp):
        csrf.exempt(blp)
        api.register_blueprint(blp, url_prefix="/api/v1" + (blp.url_prefix or ""))

    @app.before_request
    def _api_auth():
        if request.path.startswith("/api/"):
            authenticate_bearer()

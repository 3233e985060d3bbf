"""Flask-Login wiring: the cookie names user id and session version."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import lazy_gettext as _l

from app.extensions import db, login_manager


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Logg inn for å se denne siden.")
    login_manager.login_message_category = "info"
    # The signed cookie session already changes on login (session.clear()); "strong"
    # protection would also log people out when their phone changes network.
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(alternative_id: str):
        from app.accounts.models import User

        if request.path.startswith("/api/"):
            return None  # the API accepts bearer tokens only, never the session cookie
        try:
            user_id, version = (int(part) for part in alternative_id.split(":", 1))
        except (ValueError, AttributeError):
            return None
        user = db.session.get(User, user_id)
        if user is None or not user.active or user.session_version != version:
            return None
        return user

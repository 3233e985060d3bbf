"""Flask-Login wiring: the cookie names user id and session version."""

from __future__ import annotations

from functools import cache

from flask import Flask, request
from flask_babel import lazy_gettext as _l

from app.accounts import identity
from app.extensions import db, login_manager


@cache
def _load_user_statement():
    import sqlalchemy as sa
    from sqlalchemy.orm import joinedload

    from app.accounts.models import Unit, User

    # One statement for the person and everything every page shows of them: roles (with
    # their organisation and unit), own unit, organisation and the units led; and the
    # directory's generation, read in the same snapshot, under which they are kept
    # (app.accounts.identity: a later request of theirs reads the generation alone).
    return (
        sa.select(User, identity.GENERATION)
        .where(User.id == sa.bindparam("user_id"))
        .options(
            joinedload(User.roles),
            joinedload(User.unit),
            joinedload(User.organisation),
            joinedload(User.led_units).joinedload(Unit.organisation),
        )
    )


def init_login(app: Flask) -> None:

    login_manager.init_app(app)
    identity.init_identities(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Logg inn for å se denne siden.")
    login_manager.login_message_category = "info"
    # The signed cookie session already changes on login (session.clear()); "strong"
    # protection would also log people out when their phone changes network.
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(alternative_id: str):

        if request.path.startswith("/api/"):
            return None  # the API accepts bearer tokens only, never the session cookie
        try:
            user_id, version = (int(part) for part in alternative_id.split(":", 1))
        except (ValueError, AttributeError):
            return None
        user = identity.load(db.session, user_id, _load_user_statement())
        if user is None or not user.active or user.session_version != version:
            return None
        return user

"""Single sign-on routes: start a login at the provider, and take its answer back."""

from __future__ import annotations

import logging

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from app.accounts import oidc, sso
from app.accounts.forms import SsoForm
from app.accounts.views import _client_address, bp
from app.errors import DomainError
from app.extensions import db, limiter
from app.orm import utcnow
from app.security import PUBLIC, is_safe_redirect, permission
from config import ConfigError

log = logging.getLogger(__name__)


def _check_settings(state) -> None:
    """A mistyped OIDC_ROLE_MAP stops start-up instead of breaking every login later."""
    if oidc.is_configured(state.app):
        try:
            oidc.settings(state.app)
        except ValueError as error:
            raise ConfigError(str(error)) from None


bp.record_once(_check_settings)


def _callback_url() -> str:
    # The redirect URI registered at the provider must match to the letter, so it is built
    # from the configured public address rather than from whatever Host header came in.
    return current_app.config["KURS_BASE_URL"].rstrip("/") + url_for("accounts.sso_callback")


@bp.route("/login/sso", methods=["POST"])
@permission(PUBLIC)
@limiter.limit("60 per minute")
def sso_login():
    if not oidc.is_configured():
        abort(404)
    form = SsoForm()
    if not form.validate_on_submit():
        abort(400)
    session["sso_next"] = form.next.data if is_safe_redirect(form.next.data) else None
    return oidc.client().authorize_redirect(_callback_url())


@bp.route("/login/sso/callback")
@permission(PUBLIC)
@limiter.limit("60 per minute")
def sso_callback():
    if not oidc.is_configured():
        abort(404)
    login_page = url_for("accounts.login")
    if request.args.get("error"):
        log.info("sso: provider answered %s", request.args.get("error"))
        flash(_("Innloggingen ble avbrutt hos identitetsleverandøren."), "warning")
        return redirect(login_page)
    try:
        token = oidc.client().authorize_access_token()
        claims = dict(token["userinfo"])
    except Exception:  # state, network, signature: every failure ends the same way
        log.exception("sso: the provider's answer could not be used")
        flash(_("Innloggingen med kommunens konto mislyktes. Prøv igjen."), "danger")
        return redirect(login_page)
    try:
        user = sso.login_with_claims(db.session, claims=claims, settings=oidc.settings(),
                                     address=_client_address(), now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(login_page)
    db.session.commit()
    target = session.get("sso_next")
    # A fresh session on login: nothing a visitor carried in survives it.
    session.clear()
    login_user(user)
    return redirect(target if is_safe_redirect(target) else url_for("home.index"))

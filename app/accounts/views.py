"""Login, logout, the profile page (password, own API tokens) and the language switch.

Single sign-on and password reset add their routes to the same blueprint from
``sso_views`` and ``reset_views``.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm

from app.accounts import oidc, services
from app.accounts.forms import ChangePasswordForm, LanguageForm, LoginForm, SsoForm, TokenForm
from app.accounts.models import ApiToken, Unit
from app.errors import DomainError, TooManyRequestsError
from app.extensions import db, limiter
from app.orm import utcnow
from app.security import AUTHENTICATED, CSP, PUBLIC, is_safe_redirect, permission

bp = Blueprint("accounts", __name__, template_folder="templates")


def _client_address() -> str:
    return (request.remote_addr or "unknown")[:64]


@bp.route("/login", methods=["GET", "POST"])
@permission(PUBLIC)
@limiter.limit("120 per minute", methods=["POST"])  # a burst guard per address
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        cfg = current_app.config
        try:
            user = services.authenticate(
                db.session,
                email=form.email.data,
                password=form.password.data,
                address=_client_address(),
                now=utcnow(),
                max_per_account=cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
                max_per_address=cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"],
                window=cfg["LOGIN_FAILURE_WINDOW"],
            )
        except TooManyRequestsError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
            status = 429
        except DomainError as error:
            db.session.commit()  # the failed attempt counts towards the throttle
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            # A fresh session on login: nothing a visitor carried in survives it.
            session.clear()
            login_user(user)
            target = form.next.data
            return redirect(target if is_safe_redirect(target) else url_for("home.index"))
    elif request.method == "POST":
        status = 200
    sso_enabled = oidc.is_configured()
    response = make_response(render_template(
        "accounts/login.html", form=form, sso_form=SsoForm(next=form.next.data),
        sso_enabled=sso_enabled), status)
    if sso_enabled:
        response.headers["Content-Security-Policy"] = CSP.replace(
            "form-action 'self'", f"form-action 'self' {oidc.provider_origin()}")
    return response


@bp.route("/logout", methods=["POST"])
@permission(PUBLIC)
def logout():
    logout_user()
    session.clear()
    flash(_("Du er logget ut."), "success")
    return redirect(url_for("accounts.login"))


def _profile_page(*, password_form=None, token_form=None, new_token=None, status=200):
    user = current_user._get_current_object()
    tokens = db.session.scalars(
        sa.select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()
    led = db.session.scalars(sa.select(Unit).where(Unit.manager_id == user.id)
                             .order_by(Unit.path)).all()
    return render_template(
        "accounts/profile.html", user=user, tokens=tokens, now=utcnow(), led_units=led,
        password_form=password_form or ChangePasswordForm(),
        token_form=token_form or TokenForm(formdata=None), new_token=new_token,
        revoke_form=FlaskForm(),
    ), status


def end_of_day(day) -> datetime | None:
    """An expiry date means "valid through that day" in Oslo; stored as UTC."""
    if day is None:
        return None
    local = datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo("Europe/Oslo"))
    return local.astimezone(UTC)


@bp.route("/profil")
@permission(AUTHENTICATED)
def profile():
    return _profile_page()


@bp.route("/profil/tokens", methods=["POST"])
@permission(AUTHENTICATED)
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return _profile_page(token_form=form, status=400)
    try:
        _token, raw = services.create_token(
            db.session, user=current_user, name=form.name.data, actor=current_user,
            now=utcnow(), scope=form.scope.data, expires_at=end_of_day(form.expires_on.data))
    except DomainError as error:
        db.session.rollback()
        getattr(form, error.field or "name").errors.append(error.message)
        return _profile_page(token_form=form, status=400)
    db.session.commit()
    # Shown in this response only: never flashed, since the session cookie is not secret.
    return _profile_page(new_token=raw)


@bp.route("/profil/tokens/<int:token_id>/trekk-tilbake", methods=["POST"])
@permission(AUTHENTICATED)
def revoke_token(token_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.id == token_id,
                                                        ApiToken.user_id == current_user.id))
    if token is None:
        abort(404)
    services.revoke_token(db.session, token=token, actor=current_user, now=utcnow())
    db.session.commit()
    flash(_("Tokenet «%(name)s» er trukket tilbake og virker ikke lenger.", name=token.name),
          "success")
    return redirect(url_for("accounts.profile"))


@bp.route("/profil/passord", methods=["POST"])
@permission(AUTHENTICATED)
def change_password():
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        try:
            services.change_password(
                db.session,
                user=user,
                current_password=form.current_password.data,
                new_password=form.new_password.data,
                now=utcnow(),
            )
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "new_password").errors.append(error.message)
        else:
            db.session.commit()
            # Every other session has ended with the new session version; this one goes on.
            login_user(user)
            flash(_("Passordet er byttet. Du er logget ut på alle andre enheter."), "success")
            return redirect(url_for("accounts.profile"))
    return _profile_page(password_form=form)


@bp.route("/sprak", methods=["POST"])
@permission(PUBLIC)
def set_language():
    form = LanguageForm()
    target = form.next.data if is_safe_redirect(form.next.data) else url_for("home.index")
    if not form.validate_on_submit():
        flash(_("Ukjent språk."), "danger")
        return redirect(target)
    session["lang"] = form.lang.data
    if current_user.is_authenticated:
        services.set_locale(db.session, user=current_user, locale=form.lang.data)
        db.session.commit()
    return redirect(target)


# The other login routes live in their own modules on this blueprint.
from app.accounts import reset_views, sso_views  # noqa: E402, F401

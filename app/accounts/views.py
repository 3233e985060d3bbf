"""Login, logout, the profile page, password change and the language switch."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.accounts import services
from app.accounts.forms import ChangePasswordForm, LanguageForm, LoginForm
from app.errors import DomainError, TooManyRequestsError
from app.extensions import db, limiter
from app.orm import utcnow
from app.security import AUTHENTICATED, PUBLIC, is_safe_redirect, permission

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
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@permission(PUBLIC)
def logout():
    logout_user()
    session.clear()
    flash(_("Du er logget ut."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/profil")
@permission(AUTHENTICATED)
def profile():
    return render_template(
        "accounts/profile.html", user=current_user, password_form=ChangePasswordForm()
    )


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
    return render_template("accounts/profile.html", user=user, password_form=form), 200


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

"""Forgotten password: ask for a link, then choose a new password with it."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.accounts import reset
from app.accounts.forms import ForgotPasswordForm, ResetPasswordForm
from app.accounts.views import bp
from app.errors import DomainError
from app.extensions import db, limiter
from app.orm import utcnow
from app.security import PUBLIC, permission


def _settings() -> dict:
    cfg = current_app.config
    return {"secret": cfg["SECRET_KEY"], "max_age": cfg["PASSWORD_RESET_MAX_AGE"]}


@bp.route("/glemt-passord", methods=["GET", "POST"])
@permission(PUBLIC)
@limiter.limit("10 per minute; 60 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        cfg = current_app.config
        base = cfg["KURS_BASE_URL"].rstrip("/")
        reset.request_reset(
            db.session, email=form.email.data,
            link_for=lambda token: base + url_for("accounts.reset_password", token=token),
            max_per_hour=cfg["PASSWORD_RESET_MAX_PER_HOUR"], now=utcnow(),
            domain=urlsplit(base).hostname or "localhost", **_settings())
        db.session.commit()
        # The same answer whether or not the address has an account.
        flash(_("Hvis adressen har en konto her, får den en e-post med en lenke om litt. "
                "Lenken virker i %(minutes)d minutter.",
                minutes=cfg["PASSWORD_RESET_MAX_AGE"] // 60), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/glemt-passord/<token>", methods=["GET", "POST"])
@permission(PUBLIC)
@limiter.limit("30 per minute", methods=["POST"])
def reset_password(token: str):
    form = ResetPasswordForm()
    try:
        user = reset.user_for_token(db.session, token, **_settings())
    except DomainError as error:
        return render_template("accounts/reset_password.html", form=None,
                               problem=error.message), 404
    if form.validate_on_submit():
        try:
            reset.reset_password(db.session, token=token, new_password=form.new_password.data,
                                 now=utcnow(), **_settings())
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "new_password").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Passordet er lagret. Logg inn med det nye passordet."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form, user=user, problem=None)

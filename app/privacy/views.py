"""Own-data export (profile page) and the admin's anonymisation of a leaver."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.accounts import admin_queries
from app.errors import DomainError
from app.extensions import db
from app.orm import utcnow
from app.privacy.anonymise import anonymise_person
from app.privacy.export import build_export
from app.security import AUTHENTICATED, permission

bp = Blueprint("privacy", __name__, template_folder="templates")


def export_response(user) -> Response:
    now = utcnow()
    data = build_export(db.session, user=user, now=now)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="kurs-mine-data-{now:%Y-%m-%d}.json"')
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/profil/mine-data.json")
@permission(AUTHENTICATED)
def my_data():
    return export_response(current_user._get_current_object())


@bp.route("/admin/personer/<int:user_id>/anonymiser", methods=["POST"])
@permission("admin.users")
def anonymise(user_id: int):
    user = admin_queries.person(db.session, actor=current_user, user_id=user_id)
    if user is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if request.form.get("confirm") != "yes":
        flash(_("Kryss av for at du forstår at anonymiseringen ikke kan angres."), "danger")
        return redirect(url_for("accounts_admin.person", user_id=user.id) + "#anonymise")
    try:
        anonymise_person(db.session, actor=current_user, user=user, now=utcnow(),
                         storage_dir=current_app.config["KURS_STORAGE_DIR"])
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("accounts_admin.person", user_id=user.id))
    db.session.commit()
    flash(_("Personen er anonymisert. Statistikk og antall kursbevis er beholdt."), "success")
    return redirect(url_for("accounts_admin.person", user_id=user.id))

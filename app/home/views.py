"""Home, health, the privacy notice and the accessibility statement."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, jsonify, render_template
from flask_login import current_user

from app.certificates.queries import home_items
from app.database import database_status
from app.extensions import db
from app.home import learning
from app.home.queries import home_figures
from app.orm import utcnow
from app.security import AUTHENTICATED, PUBLIC, permission

OSLO = ZoneInfo("Europe/Oslo")

bp = Blueprint("home", __name__, template_folder="templates")


@bp.route("/")
@permission(AUTHENTICATED)
def index():
    user = current_user._get_current_object()
    now = utcnow()
    figures = home_figures(db.session, user)
    progress, recommended = learning.progress_and_recommendations(db.session, user, now)
    return render_template(
        "home/index.html", user=user, figures=figures, now=now,
        today=now.astimezone(OSLO).date(),
        enrolments=learning.my_enrolments(db.session, user, now),
        sessions=learning.next_sessions(db.session, user, now),
        progress=progress, recommended=recommended,
        certificates_home=home_items(db.session, user, now),
    )


@bp.route("/health")
@permission(PUBLIC)
def health():
    status = database_status()
    body = {"status": "ok" if status == "ok" else "error", "database": status}
    return jsonify(body), 200 if status == "ok" else 503


@bp.route("/personvern")
@permission(PUBLIC)
def privacy():
    from app.privacy.retention import Periods

    periods = Periods.from_config(current_app.config)
    return render_template("home/privacy.html", retention=periods,
                           seminar_days=dict((k, n) for k, n, _u in periods.as_rows())[
                               "registration_answers"])


@bp.route("/tilgjengelighet")
@permission(PUBLIC)
def accessibility():
    return render_template("home/accessibility.html")

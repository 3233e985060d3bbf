"""The admin's view of the outbox: what waits, what failed and why."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.accounts.models import User
from app.accounts.scope import organisation_ids
from app.extensions import db
from app.orm import utcnow
from app.outbox.models import OutboxEmail, OutboxStatus
from app.outbox.services import requeue, status_counts
from app.security import permission

bp = Blueprint("outbox", __name__, url_prefix="/admin/utboks", template_folder="templates")

PAGE_SIZE = 100


def _in_scope():
    """Mail to people of the admin's organisations, and mail to addresses without an
    account (external participants); never another organisation's mail."""
    orgs = organisation_ids(current_user, "admin")
    return sa.or_(
        OutboxEmail.user_id.is_(None),
        OutboxEmail.user_id.in_(sa.select(User.id).where(User.organisation_id.in_(orgs))),
    )


@bp.route("/")
@permission("admin.outbox")
def index():
    status = request.args.get("status")
    query = sa.select(OutboxEmail).where(_in_scope())
    if status in {s.value for s in OutboxStatus}:
        query = query.where(OutboxEmail.status == status)
    emails = db.session.scalars(
        query.order_by(OutboxEmail.created_at.desc(), OutboxEmail.id.desc()).limit(PAGE_SIZE)
    ).all()
    return render_template(
        "outbox/index.html",
        emails=emails,
        counts=status_counts(db.session, _in_scope()),
        status=status,
        form=FlaskForm(),
        mail_configured=bool(current_app.config.get("MAIL_SERVER")),
    )


@bp.route("/<int:email_id>/send-igjen", methods=["POST"])
@permission("admin.outbox")
def retry(email_id: int):
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    email = db.session.scalar(sa.select(OutboxEmail).where(OutboxEmail.id == email_id,
                                                            _in_scope()))
    if email is None:
        abort(404)
    requeue(db.session, email=email, now=utcnow())
    db.session.commit()
    flash(_("Meldingen er lagt i kø igjen."), "success")
    return redirect(url_for("outbox.index", status="failed"))

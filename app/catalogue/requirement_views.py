"""Mandatory courses (/forvaltning/krav): HR and admins list, add, and switch requirements
on and off. The rules are in ``app.catalogue.requirements``."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.accounts.models import Organisation
from app.catalogue import requirements
from app.catalogue.forms import ActionForm, RequirementForm
from app.errors import DomainError
from app.extensions import db
from app.security import permission

bp = Blueprint("requirements", __name__, url_prefix="/forvaltning/krav",
               template_folder="templates")

PERMISSION = "requirements.manage"


def _organisations() -> dict[int, str]:
    ids = requirements.keeper_organisations(current_user)
    return dict(db.session.execute(
        sa.select(Organisation.id, Organisation.name)
        .where(Organisation.id.in_(ids)).order_by(Organisation.name)).all())


def _form(organisations: dict[int, str]) -> RequirementForm:
    form = RequirementForm()
    form.organisation.choices = [SelectChoice(i, name) for i, name in organisations.items()]
    chosen = form.organisation.data if form.organisation.data in organisations else \
        next(iter(organisations))
    form.course.choices = [SelectChoice(0, _("Velg et kurs"))] + [
        SelectChoice(i, title) for i, title in requirements.course_choices(db.session, chosen)]
    form.unit.choices = [SelectChoice(0, "–")] + [
        SelectChoice(i, name) for i, name in requirements.unit_choices(db.session, chosen)]
    return form


def _page(form: RequirementForm, organisations: dict[int, str], status: int = 200):
    rows = requirements.requirements_of(db.session, set(organisations))
    return render_template("catalogue/admin/requirements.html", form=form, rows=rows,
                           organisations=organisations, action_form=ActionForm()), status


@bp.route("/", methods=["GET", "POST"])
@permission(PERMISSION)
def index():
    organisations = _organisations()
    if not organisations:
        abort(403)  # HR scoped to a part of the organisation does not set its rules
    form = _form(organisations)
    if not form.is_submitted():
        return _page(form, organisations)
    if not form.validate():
        return _page(form, organisations, 422)
    try:
        requirements.add_requirement(
            db.session, actor=current_user, organisation_id=form.organisation.data,
            course_id=form.course.data, group=form.group.data,
            unit_id=form.unit.data or None, due_months=form.due_months.data)
    except DomainError as error:
        db.session.rollback()
        if error.status == 404:
            abort(404)
        target = getattr(form, error.field, None) if error.field else None
        if target is not None:
            target.errors = [*target.errors, error.message]
        else:
            form.form_errors.append(error.message)
        return _page(form, organisations, 409 if error.status == 409 else 422)
    db.session.commit()
    flash(_("Kravet er lagt til. Rapportene og forsiden viser det med en gang."), "success")
    return redirect(url_for("requirements.index"))


@bp.route("/<int:requirement_id>/aktiv", methods=["POST"])
@permission(PERMISSION)
def set_active(requirement_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    try:
        requirements.set_active(db.session, actor=current_user, requirement_id=requirement_id,
                                active=active)
    except DomainError as error:
        db.session.rollback()
        if error.status == 404:
            abort(404)
        raise
    db.session.commit()
    flash(_("Kravet er slått på.") if active else _("Kravet er slått av."), "success")
    return redirect(url_for("requirements.index"))

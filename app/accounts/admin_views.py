"""Admin pages for people: the list, a person, roles, deactivation, service accounts and
their tokens, the unit tree and the audit log. The HR import adds its pages from
``hr_views``. Everything is limited to the organisations where the admin is admin."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from app.accounts import admin_queries as queries
from app.accounts import admin_services, services
from app.accounts.admin_forms import (
    AuditFilterForm,
    GrantRoleForm,
    PeopleFilterForm,
    ServiceAccountForm,
)
from app.accounts.forms import TokenForm
from app.accounts.models import ApiToken, RoleAssignment
from app.accounts.views import end_of_day
from app.common.numbers import whole_number
from app.errors import DomainError
from app.extensions import db
from app.orm import utcnow
from app.security import permission

bp = Blueprint("accounts_admin", __name__, url_prefix="/admin", template_folder="templates")


def _int_arg(name: str) -> int | None:
    return whole_number(request.args.get(name, ""))


def _person_or_404(user_id: int):
    user = queries.person(db.session, actor=current_user, user_id=user_id)
    if user is None:
        abort(404)
    return user


def _valid_post() -> None:
    if not FlaskForm().validate_on_submit():
        abort(400)


# People -------------------------------------------------------------------------------


def _people_list(kind: str, create_form=None, status=200):
    form = PeopleFilterForm(request.args)
    unit_id = _int_arg("unit")
    units = queries.filter_units(db.session, actor=current_user, selected=unit_id)
    form.unit.choices = [SelectChoice("", _("Alle enheter"))] + [
        SelectChoice(str(u.id), "\u00a0\u00a0" * u.depth + u.name) for u in units]
    form.validate()
    f = queries.PeopleFilter(
        q=(form.q.data or "").strip() if not form.q.errors else "", unit_id=unit_id,
        role=form.role.data if not form.role.errors else "",
        level=form.level.data if not form.level.errors else "",
        status=form.status.data if not form.status.errors else "active",
        kind=kind, page=_int_arg("page") or 1)
    page = queries.people(db.session, actor=current_user, f=f)
    return render_template("accounts/admin/people.html", form=form, page=page, kind=kind,
                           create_form=create_form, args=request.args.to_dict()), status


@bp.route("/personer")
@permission("admin.users")
def people():
    return _people_list("people")


@bp.route("/tjenestekontoer")
@permission("admin.users")
def service_accounts():
    return _people_list("service", create_form=_service_form())


def _service_form(formdata=None):
    form = ServiceAccountForm(formdata=formdata)
    form.organisation.choices = [
        SelectChoice(o.id, o.name)
        for o in queries.admin_organisations(db.session, actor=current_user)]
    return form


@bp.route("/tjenestekontoer", methods=["POST"])
@permission("admin.users")
def create_service_account():
    form = _service_form(request.form)
    if not form.validate_on_submit():
        return _people_list("service", create_form=form, status=400)
    organisation = next(o for o in queries.admin_organisations(db.session, actor=current_user)
                        if o.id == form.organisation.data)
    try:
        user = admin_services.create_service_account(
            db.session, actor=current_user, organisation=organisation, name=form.name.data,
            roles=form.roles.data or [], now=utcnow())
    except DomainError as error:
        db.session.rollback()
        getattr(form, error.field or "name").errors.append(error.message)
        return _people_list("service", create_form=form, status=400)
    db.session.commit()
    flash(_("Tjenestekontoen er laget. Lag et token til den nedenfor."), "success")
    return redirect(url_for("accounts_admin.person", user_id=user.id))


def _person_page(user, *, role_form=None, token_form=None, new_token=None, status=200):
    return render_template(
        "accounts/admin/person.html", person=user,
        role_form=role_form or GrantRoleForm(formdata=None),
        token_form=token_form or TokenForm(formdata=None), new_token=new_token,
        post_form=FlaskForm(), now=utcnow(),
        **queries.person_details(db.session, user)), status


@bp.route("/personer/<int:user_id>")
@permission("admin.users")
def person(user_id: int):
    return _person_page(_person_or_404(user_id))


@bp.route("/personer/<int:user_id>/roller", methods=["POST"])
@permission("admin.users")
def grant_role(user_id: int):
    user = _person_or_404(user_id)
    form = GrantRoleForm()
    if not form.validate_on_submit():
        return _person_page(user, role_form=form, status=400)
    unit = None
    if form.unit_code.data:
        unit = queries.unit_by_code(db.session, organisation_id=user.organisation_id,
                                    code=form.unit_code.data)
        if unit is None:
            form.unit_code.errors.append(_("Fant ingen enhet med denne koden."))
            return _person_page(user, role_form=form, status=400)
    try:
        admin_services.grant_role(db.session, actor=current_user, user=user,
                                  role=form.role.data, unit=unit)
    except DomainError as error:
        db.session.rollback()
        getattr(form, error.field or "role").errors.append(error.message)
        return _person_page(user, role_form=form, status=error.status)
    db.session.commit()
    flash(_("Rollen er gitt."), "success")
    return redirect(url_for("accounts_admin.person", user_id=user.id))


@bp.route("/personer/<int:user_id>/roller/<int:assignment_id>/fjern", methods=["POST"])
@permission("admin.users")
def revoke_role(user_id: int, assignment_id: int):
    _valid_post()
    user = _person_or_404(user_id)
    assignment = db.session.scalar(sa.select(RoleAssignment).where(
        RoleAssignment.id == assignment_id, RoleAssignment.user_id == user.id))
    if assignment is None:
        abort(404)
    try:
        admin_services.revoke_role(db.session, actor=current_user, assignment=assignment)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("Rollen er fjernet."), "success")
    return redirect(url_for("accounts_admin.person", user_id=user.id))


@bp.route("/personer/<int:user_id>/deaktiver", methods=["POST"])
@permission("admin.users")
def deactivate(user_id: int):
    _valid_post()
    user = _person_or_404(user_id)
    try:
        admin_services.deactivate(db.session, actor=current_user, user=user, now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("%(name)s er deaktivert og logget ut overalt. Tokenene virker ikke lenger.",
                name=user.name), "success")
    return redirect(url_for("accounts_admin.person", user_id=user.id))


@bp.route("/personer/<int:user_id>/aktiver", methods=["POST"])
@permission("admin.users")
def reactivate(user_id: int):
    _valid_post()
    user = _person_or_404(user_id)
    admin_services.reactivate(db.session, actor=current_user, user=user)
    db.session.commit()
    flash(_("%(name)s er aktiv igjen.", name=user.name), "success")
    return redirect(url_for("accounts_admin.person", user_id=user.id))


@bp.route("/personer/<int:user_id>/tokens", methods=["POST"])
@permission("admin.users")
def create_token(user_id: int):
    user = _person_or_404(user_id)
    if not user.is_service_account:
        # Admins do not make tokens that act as a person; people make their own.
        abort(404)
    form = TokenForm()
    if not form.validate_on_submit():
        return _person_page(user, token_form=form, status=400)
    try:
        _token, raw = services.create_token(
            db.session, user=user, name=form.name.data, actor=current_user, now=utcnow(),
            scope=form.scope.data, expires_at=end_of_day(form.expires_on.data))
    except DomainError as error:
        db.session.rollback()
        getattr(form, error.field or "name").errors.append(error.message)
        return _person_page(user, token_form=form, status=400)
    db.session.commit()
    return _person_page(user, new_token=raw)


@bp.route("/personer/<int:user_id>/tokens/<int:token_id>/trekk-tilbake", methods=["POST"])
@permission("admin.users")
def revoke_token(user_id: int, token_id: int):
    _valid_post()
    user = _person_or_404(user_id)
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.id == token_id,
                                                        ApiToken.user_id == user.id))
    if token is None:
        abort(404)
    services.revoke_token(db.session, token=token, actor=current_user, now=utcnow())
    db.session.commit()
    flash(_("Tokenet «%(name)s» er trukket tilbake.", name=token.name), "success")
    return redirect(url_for("accounts_admin.person", user_id=user.id))


# Units and the audit log -------------------------------------------------------------------


@bp.route("/enheter")
@permission("admin.users")
def units():
    page, root = queries.units(db.session, actor=current_user, under=_int_arg("under"),
                               page=_int_arg("page") or 1)
    return render_template("accounts/admin/units.html", page=page, root=root,
                           args=request.args.to_dict())


@bp.route("/logg")
@permission("admin.audit")
def audit_log():
    form = AuditFilterForm(request.args)
    form.validate()

    def clean(field):
        return None if field.errors else field.data

    f = queries.AuditFilter(
        action=clean(form.action) or "", actor=clean(form.actor) or "",
        object_type=clean(form.object_type) or "", object_id=clean(form.object_id) or "",
        since=clean(form.since), until=clean(form.until), page=_int_arg("page") or 1)
    page = queries.audit_events(db.session, actor=current_user, f=f)
    return render_template("accounts/admin/audit.html", form=form, page=page,
                           args=request.args.to_dict())


# The HR import's pages live in their own module on this blueprint.
from app.accounts import hr_views  # noqa: E402, F401

"""The IT project register at /prosjekter: the overview everyone in the organisation sees,
each project's page with its methodology documents, registering and editing, and the IT
service's governance view with its rules and exports."""

from __future__ import annotations

import math

import sqlalchemy as sa
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.common.numbers import whole_number
from app.errors import DomainError
from app.extensions import db
from app.orm import utcnow
from app.security import AUTHENTICATED, permission
from app.toolbox import governance, project_services, queries, rules, storage
from app.toolbox.forms import (
    ConfirmForm,
    DocumentForm,
    ProjectFilterForm,
    ProjectForm,
    RepresentativeForm,
    SettingsForm,
)
from app.toolbox.labels import CATEGORY_LABELS, PHASE_LABELS
from app.toolbox.models import Category, MethodologyDocument, Phase, ToolboxItem
from app.toolbox.views import (
    _status,
    _user,
    bp,
    read_upload,
    send_stored,
    show_error,
    storage_root,
)

PER_PAGE = 50


def _unit_choices(units, blank=None):
    options = [("", blank)] if blank is not None else []
    return options + [(u.id, "\u2003" * u.depth + u.name) for u in units]


def _project_input(form: ProjectForm) -> project_services.ProjectInput:
    return project_services.ProjectInput(
        name=form.name.data, purpose=form.purpose.data, unit_id=form.unit_id.data,
        phase=form.phase.data, leader_email=form.leader_email.data,
        owner_email=form.owner_email.data, contact_email=form.contact_email.data,
        contact_phone=form.contact_phone.data, starts_on=form.starts_on.data,
        planned_end_on=form.planned_end_on.data,
        buys_equipment_or_software=form.buys_equipment_or_software.data,
        network=form.network.data or "none")


@bp.route("/prosjekter")
@permission(AUTHENTICATED)
def projects():
    user = _user()
    form = ProjectFilterForm(formdata=request.args)
    units = queries.units_of(db.session, queries.visible_organisations(user))
    form.unit.choices = [("", _("Alle enheter"))] + [
        (u.code, "\u2003" * u.depth + u.name) for u in units]
    form.validate()
    unit = next((u for u in units if u.code == form.unit.data), None)
    phase = form.phase.data if form.phase.data in PHASE_LABELS else None
    network = form.network.data if form.network.data in ("tk_nett", "elevnett", "none") else None
    page = max(1, form.page.data or 1) if not form.page.errors else 1
    q = (form.q.data or "").strip()[:100] or None
    found, total = queries.list_projects(db.session, user, q=q, unit=unit, phase=phase,
                                         network=network, page=page, per_page=PER_PAGE)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "toolbox/projects.html", form=form, projects=found, total=total, page=page,
        pages=max(1, math.ceil(total / PER_PAGE)), args=args,
        filtered=bool(q or unit or phase or network))


def _project_or_404(project_id: int):
    row = queries.project_with_rights(db.session, _user(), project_id)
    if row is None:
        abort(404)
    return row


@bp.route("/prosjekter/<int:project_id>")
@permission(AUTHENTICATED)
def project(project_id: int):
    found, can_edit, can_govern, in_team = _project_or_404(project_id)
    documents = queries.project_documents(db.session, found)
    # Held for the whole view: the identity map keeps objects only while referenced.
    settings = queries.settings_for(db.session, found.organisation_id)
    verdict = governance.verdict_for(db.session, found, documents, settings)
    required = set(rules.required_documents(
        settings.required_documents if settings else None, found.phase))
    representative_form = None
    if can_govern:
        representative_form = RepresentativeForm(it_representative_id=found.it_representative_id)
        people = queries.it_service_people(db.session, settings)
        if found.it_representative and found.it_representative not in people:
            people.insert(0, found.it_representative)
        representative_form.it_representative_id.choices = [("", _("Ingen"))] + [
            (p.id, f"{p.name} ({p.title or p.email})") for p in people]
    by_category = {c.value: [] for c in Category}
    for document in documents:
        by_category[str(document.category)].append(document)
    return render_template(
        "toolbox/project.html", project=found, can_edit=can_edit, can_govern=can_govern,
        in_team=in_team, verdict=verdict, required=required, by_category=by_category,
        representative_required=rules.representative_required(
            found.buys_equipment_or_software, found.network),
        representative_form=representative_form, confirm=ConfirmForm())


def _prepare_project_form(form: ProjectForm, organisation_ids) -> None:
    units = queries.units_of(db.session, organisation_ids)
    form.unit_id.choices = _unit_choices(units, blank=_("Velg enhet"))


@bp.route("/prosjekter/ny", methods=["GET", "POST"])
@permission(AUTHENTICATED)
def new_project():
    user = _user()
    form = ProjectForm()
    _prepare_project_form(form, queries.visible_organisations(user))
    if not form.is_submitted():
        form.leader_email.data = user.email
        form.unit_id.data = user.unit_id
        form.phase.data = Phase.PLANNING.value
    if form.validate_on_submit():
        try:
            created = project_services.register_project(
                db.session, actor=user, data=_project_input(form), now=utcnow())
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Prosjektet «%(name)s» er registrert.", name=created.name), "success")
            return redirect(url_for("toolbox.project", project_id=created.id))
    return render_template("toolbox/project_form.html", form=form, project=None), _status(form)


@bp.route("/prosjekter/<int:project_id>/rediger", methods=["GET", "POST"])
@permission(AUTHENTICATED)
def edit_project(project_id: int):
    user = _user()
    found, can_edit, _govern, _team = _project_or_404(project_id)
    if not can_edit:
        abort(403)
    form = ProjectForm(obj=found)
    _prepare_project_form(form, {found.organisation_id})
    if not form.is_submitted():
        form.leader_email.data = found.leader.email
        form.owner_email.data = found.owner.email if found.owner else ""
        form.version.data = found.version
    if form.validate_on_submit():
        try:
            expected = whole_number(str(form.version.data))
            project_services.update_project(
                db.session, actor=user, project=found, data=_project_input(form),
                expected_version=expected, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            if error.status == 409:
                flash(error.message, "danger")
                return redirect(url_for("toolbox.project", project_id=project_id))
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Endringene er lagret."), "success")
            return redirect(url_for("toolbox.project", project_id=found.id))
    return render_template("toolbox/project_form.html", form=form, project=found), _status(form)


@bp.route("/prosjekter/<int:project_id>/representant", methods=["POST"])
@permission("projects.govern")
def assign_representative(project_id: int):
    user = _user()
    found, _edit, can_govern, _team = _project_or_404(project_id)
    if not can_govern:
        abort(403)
    form = RepresentativeForm()
    if form.validate_on_submit():
        try:
            project_services.assign_representative(
                db.session, actor=user, project=found,
                representative_id=form.it_representative_id.data, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("IT-representanten er lagret.") if found.it_representative_id
                  else _("IT-representanten er fjernet."), "success")
    return redirect(url_for("toolbox.project", project_id=project_id))


# Methodology documents -----------------------------------------------------------------


def _document_form(form: DocumentForm, organisation_id: int) -> None:
    items = db.session.scalars(sa.select(ToolboxItem)
                               .where(ToolboxItem.organisation_id == organisation_id)
                               .order_by(ToolboxItem.title))
    form.toolbox_item_id.choices = [("", _("Ingen mal"))] + [(i.id, i.title) for i in items]


def _team_project(project_id: int):
    found, _edit, _govern, in_team = _project_or_404(project_id)
    if not in_team:
        abort(403)
    return found


@bp.route("/prosjekter/<int:project_id>/dokumenter/ny", methods=["GET", "POST"])
@permission(AUTHENTICATED)
def new_document(project_id: int):
    user = _user()
    found = _team_project(project_id)
    form = DocumentForm()
    _document_form(form, found.organisation_id)
    if not form.is_submitted() and request.args.get("kategori") in CATEGORY_LABELS:
        form.category.data = request.args["kategori"]
    if form.validate_on_submit():
        try:
            project_services.add_document(
                db.session, actor=user, project=found, category=form.category.data,
                toolbox_item_id=form.toolbox_item_id.data, status=form.status.data,
                url=form.url.data, file=read_upload(form.file), note=form.note.data,
                storage_root=storage_root(), now=utcnow())
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Dokumentet er lagt til."), "success")
            return redirect(url_for("toolbox.project", project_id=found.id))
    return render_template("toolbox/document_form.html", form=form, project=found,
                           document=None), _status(form)


def _document_or_404(project, document_id: int) -> MethodologyDocument:
    document = db.session.scalar(sa.select(MethodologyDocument).where(
        MethodologyDocument.id == document_id, MethodologyDocument.project_id == project.id))
    if document is None:
        abort(404)
    return document


@bp.route("/prosjekter/<int:project_id>/dokumenter/<int:document_id>",
          methods=["GET", "POST"])
@permission(AUTHENTICATED)
def edit_document(project_id: int, document_id: int):
    user = _user()
    found = _team_project(project_id)
    document = _document_or_404(found, document_id)
    form = DocumentForm(obj=document)
    _document_form(form, found.organisation_id)
    if form.validate_on_submit():
        try:
            obsolete = project_services.update_document(
                db.session, actor=user, document=document,
                toolbox_item_id=form.toolbox_item_id.data, status=form.status.data,
                url=form.url.data, file=read_upload(form.file), note=form.note.data,
                storage_root=storage_root(), now=utcnow())
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            storage.remove(storage_root(), obsolete)
            flash(_("Dokumentet er oppdatert."), "success")
            return redirect(url_for("toolbox.project", project_id=found.id))
    return render_template("toolbox/document_form.html", form=form, project=found,
                           document=document, confirm=ConfirmForm()), _status(form)


@bp.route("/prosjekter/<int:project_id>/dokumenter/<int:document_id>/slett", methods=["POST"])
@permission(AUTHENTICATED)
def remove_document(project_id: int, document_id: int):
    user = _user()
    found = _team_project(project_id)
    document = _document_or_404(found, document_id)
    if ConfirmForm().validate_on_submit():
        key = project_services.remove_document(db.session, actor=user, document=document,
                                               now=utcnow())
        db.session.commit()
        storage.remove(storage_root(), key)
        flash(_("Dokumentet er fjernet."), "success")
    return redirect(url_for("toolbox.project", project_id=project_id))


@bp.route("/prosjekter/<int:project_id>/dokumenter/<int:document_id>/fil")
@permission(AUTHENTICATED)
def document_file(project_id: int, document_id: int):
    found = _team_project(project_id)
    document = _document_or_404(found, document_id)
    if not document.storage_key:
        abort(404)
    extension = storage.extension_of(document.storage_key)
    title = f"{found.name} {CATEGORY_LABELS[str(document.category)]}"
    return send_stored(document.storage_key, document.content_type or "application/octet-stream",
                       storage.download_name(title, extension))


# Governance ----------------------------------------------------------------------------


def _governance_rows():
    include_closed = request.args.get("avsluttede") == "1"
    colour = request.args.get("status") if request.args.get("status") in rules.SEVERITY else None
    return governance.governance_rows(db.session, _user(), include_closed=include_closed,
                                      colour=colour), include_closed, colour


@bp.route("/prosjekter/styring")
@permission("projects.govern")
def governance_view():
    (rows, units), include_closed, colour = _governance_rows()
    return render_template("toolbox/governance.html", rows=rows, units=units,
                           include_closed=include_closed, colour=colour,
                           args={k: v for k, v in request.args.items() if v})


@bp.route("/prosjekter/styring.csv")
@permission("projects.govern")
def governance_csv():
    (rows, _units), _closed, _colour = _governance_rows()
    return _export(governance.to_csv(rows), "text/csv; charset=utf-8", "csv")


@bp.route("/prosjekter/styring.xlsx")
@permission("projects.govern")
def governance_xlsx():
    (rows, units), _closed, _colour = _governance_rows()
    return _export(governance.to_xlsx(rows, units), storage.CONTENT_TYPES["xlsx"], "xlsx")


def _export(data: bytes, mimetype: str, extension: str):
    name = f"it-prosjekter-{utcnow():%Y-%m-%d}.{extension}"
    response = make_response(data)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/prosjekter/styring/regler", methods=["GET", "POST"])
@permission("projects.govern")
def governance_rules():
    user = _user()
    organisation_id = user.organisation_id
    settings = queries.settings_for(db.session, organisation_id)
    form = SettingsForm(it_service_unit_id=settings.it_service_unit_id if settings else None)
    form.it_service_unit_id.choices = _unit_choices(
        queries.units_of(db.session, {organisation_id}), blank=_("Ikke valgt"))
    current = rules.normalise_required(settings.required_documents if settings else None)
    if form.validate_on_submit():
        wanted = {phase.value: request.form.getlist(f"krav-{phase.value}") for phase in Phase}
        try:
            project_services.save_settings(
                db.session, actor=user, organisation_id=organisation_id,
                it_service_unit_id=form.it_service_unit_id.data, required=wanted, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
            current = rules.normalise_required(wanted)
        else:
            db.session.commit()
            flash(_("Reglene er lagret."), "success")
            return redirect(url_for("toolbox.governance_rules"))
    return render_template("toolbox/rules.html", form=form, current=current,
                           categories=[c.value for c in Category])


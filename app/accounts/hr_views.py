"""The HR import in the browser: upload, preview, confirm.

The upload is stored under its SHA-256 and the preview is a GET of that hash, so the page
can be reloaded and shared with a colleague. The confirm step names the plan's fingerprint:
it applies exactly the previewed file, and only if the database still gives the same plan.
"""

from __future__ import annotations

import logging
from datetime import date
from io import BytesIO

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.accounts import admin_queries as queries
from app.accounts import hr_csv, hr_export, hr_files, hr_import
from app.accounts.admin_forms import HrConfirmForm, HrUploadForm
from app.accounts.admin_views import bp
from app.accounts.hr_apply import apply_previewed
from app.accounts.models import Organisation
from app.common.models import AuditEvent
from app.extensions import db
from app.orm import utcnow
from app.security import permission

log = logging.getLogger(__name__)

#: Rows of each kind the preview lists; the counts are always complete.
PREVIEW_ROWS = 200


def _storage() -> str:
    return current_app.config["KURS_STORAGE_DIR"]


def _organisation_or_404(organisation_id: int) -> Organisation:
    if organisation_id not in queries.admin_orgs(current_user):
        abort(404)
    return db.get_or_404(Organisation, organisation_id)


def _upload_form(*, submitted: bool) -> HrUploadForm:
    form = HrUploadForm() if submitted else HrUploadForm(formdata=None)
    form.organisation.choices = [
        SelectChoice(o.id, o.name)
        for o in queries.admin_organisations(db.session, actor=current_user)]
    return form


def _upload_page(form, status=200):
    orgs = [str(o) for o in queries.admin_orgs(current_user)]
    recent = db.session.execute(
        sa.select(AuditEvent, Organisation.name)
        .join(Organisation, sa.cast(Organisation.id, sa.String) == AuditEvent.object_id)
        .where(AuditEvent.action == "accounts.hr_import",
               AuditEvent.object_type == "Organisation", AuditEvent.object_id.in_(orgs))
        .order_by(AuditEvent.at.desc()).limit(5)
    ).all()
    return render_template("accounts/admin/hr_upload.html", form=form, recent=recent,
                           columns=hr_csv.COLUMNS), status


@bp.route("/hr-import")
@permission("admin.hr_import")
def hr_upload():
    return _upload_page(_upload_form(submitted=False))


@bp.route("/hr-import", methods=["POST"])
@permission("admin.hr_import")
def hr_upload_post():
    form = _upload_form(submitted=True)
    if not form.validate_on_submit():
        return _upload_page(form, status=400)
    upload = form.file.data
    data = upload.read(current_app.config["HR_IMPORT_MAX_BYTES"] + 1)
    if not (upload.filename or "").lower().endswith((".csv", ".txt")):
        form.file.errors.append(_("Velg en CSV-fil (.csv)."))
    elif len(data) > current_app.config["HR_IMPORT_MAX_BYTES"]:
        form.file.errors.append(_("Filen er større enn %(mb)d MB.",
                                  mb=current_app.config["HR_IMPORT_MAX_BYTES"] // 2**20))
    elif not data.strip():
        form.file.errors.append(_("Filen er tom."))
    if form.file.errors:
        return _upload_page(form, status=400)
    organisation = _organisation_or_404(form.organisation.data)
    digest = hr_files.store(_storage(), organisation.id, data)
    log.info("hr file uploaded org=%s actor=%s file=%s", organisation.id, current_user.id,
             digest[:12])
    return redirect(url_for("accounts_admin.hr_preview", organisation_id=organisation.id,
                            digest=digest))


def _plan(organisation: Organisation, digest: str):
    data = hr_files.load(_storage(), organisation.id, digest)
    if data is None:
        abort(404)
    parsed = hr_csv.parse(data)
    result = hr_import.plan(db.session, organisation=organisation, parsed=parsed,
                            today=date.today())
    return parsed, result


def _preview(organisation, digest, parsed, result, *, form=None, stale=False, status=200):
    return render_template(
        "accounts/admin/hr_preview.html", organisation=organisation, digest=digest,
        parsed=parsed, plan=result, counts=result.counts(), limit=PREVIEW_ROWS,
        form=form or HrConfirmForm(fingerprint=result.fingerprint), stale=stale,
        mass_deactivation=_mass_deactivation(result)), status


def _mass_deactivation(result) -> bool:
    """More than a tenth of the HR file's people would go: perhaps a truncated export."""
    staying = len(result.changed) + result.unchanged
    return len(result.deactivated) > 5 and len(result.deactivated) * 9 > staying


@bp.route("/hr-import/<int:organisation_id>/<digest>")
@permission("admin.hr_import")
def hr_preview(organisation_id: int, digest: str):
    organisation = _organisation_or_404(organisation_id)
    parsed, result = _plan(organisation, digest)
    return _preview(organisation, digest, parsed, result)


@bp.route("/hr-import/<int:organisation_id>/<digest>", methods=["POST"])
@permission("admin.hr_import")
def hr_apply(organisation_id: int, digest: str):
    organisation = _organisation_or_404(organisation_id)
    form = HrConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    data = hr_files.load(_storage(), organisation.id, digest)
    if data is None:
        abort(404)
    parsed = hr_csv.parse(data)
    result, counts = apply_previewed(
        db.session, organisation=organisation, parsed=parsed, fingerprint=form.fingerprint.data,
        actor=current_user, now=utcnow(), today=date.today(), file_hash=digest)
    if counts is None:
        db.session.rollback()
        # Invalid now, or not the plan that was previewed: show what the file does now.
        return _preview(organisation, digest, parsed, result, stale=result.valid,
                        status=409 if result.valid else 400)
    db.session.commit()
    hr_files.remove(_storage(), organisation.id, digest)
    flash(_("Importert: %(created)d nye, %(changed)d endret, %(deactivated)d deaktivert, "
            "%(units)d nye enheter.", created=counts["created"], changed=counts["changed"],
            deactivated=counts["deactivated"], units=counts["units_created"]), "success")
    return redirect(url_for("accounts_admin.hr_upload"))


@bp.route("/hr-import/<int:organisation_id>/dagens.csv")
@permission("admin.hr_import")
def hr_current(organisation_id: int):
    organisation = _organisation_or_404(organisation_id)
    data = hr_export.current_csv(db.session, organisation_id=organisation.id)
    return send_file(BytesIO(data), mimetype="text/csv", as_attachment=True,
                     download_name=f"hr-{organisation.slug}-{date.today().isoformat()}.csv")

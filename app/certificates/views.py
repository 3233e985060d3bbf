"""Public verification, downloads, and the organisers' and HR's certificate pages."""

from __future__ import annotations

import io

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.scope import organisation_ids
from app.catalogue.models import Course
from app.certificates import archive, queries, services
from app.certificates.credentials import active_key, jwks
from app.certificates.forms import (
    CompletionImportForm,
    ExternalCompletionForm,
    ReissueForm,
    RevokeForm,
    ZipForm,
)
from app.certificates.imports import import_completions
from app.certificates.issuing import read_pdf
from app.certificates.models import Certificate
from app.certificates.settings import from_config
from app.enrolment.models import Offering
from app.errors import DomainError
from app.extensions import db
from app.jobs.services import enqueue
from app.orm import utcnow
from app.security import AUTHENTICATED, PUBLIC, permission

bp = Blueprint("certificates", __name__, template_folder="templates")

#: The largest CSV file HR may upload.
IMPORT_MAX_BYTES = 2 * 1024 * 1024


def _settings():
    return from_config(current_app.config)


@bp.route("/verify/<code>")
@permission(PUBLIC)
def verify(code: str):
    cert = queries.certificate_by_code(db.session, code)
    if cert is None:
        return render_template("certificates/verify.html", cert=None), 404
    return render_template("certificates/verify.html", cert=cert,
                           status=queries.certificate_status(cert, utcnow()),
                           anonymised=cert.completion.user.anonymised_at is not None,
                           signed=active_key(db.session) is not None)


@bp.route("/.well-known/jwks.json")
@permission(PUBLIC)
def jwks_json():
    response = jsonify(jwks(db.session))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def pdf_response(cert: Certificate):
    data = read_pdf(_settings().storage_dir, cert)
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=archive.entry_name(cert))


@bp.route("/kursbevis/<int:cert_id>/pdf")
@permission(AUTHENTICATED)
def download(cert_id: int):
    cert = db.session.get(Certificate, cert_id)
    if cert is None or not queries.may_download(current_user, cert):
        abort(404)
    return pdf_response(cert)


@bp.route("/kursbevis/administrer")
@permission("certificates.manage")
def manage():
    return render_template("certificates/manage.html",
                           offerings=queries.managed_offerings(db.session, current_user))


def _managed_offering(offering_id: int) -> Offering:
    offering = db.session.get(Offering, offering_id)
    if offering is None or offering.organisation_id not in queries.managed_organisations(
            current_user):
        abort(404)
    return offering


@bp.route("/kursbevis/tilbud/<int:offering_id>")
@permission("certificates.manage")
def offering(offering_id: int):
    item = _managed_offering(offering_id)
    roster = queries.offering_roster(db.session, item)
    issued = sum(1 for row in roster if row.certificate is not None)
    return render_template("certificates/offering.html", offering=item, roster=roster,
                           issued=issued, inline_limit=archive.INLINE_LIMIT,
                           revoke_form=RevokeForm(), reissue_form=ReissueForm(),
                           zip_form=ZipForm(), now=utcnow())


@bp.route("/kursbevis/tilbud/<int:offering_id>/kursbevis.zip")
@permission("certificates.manage")
def offering_zip(offering_id: int):
    item = _managed_offering(offering_id)
    certs = archive.offering_certificates(db.session, item)
    if len(certs) > archive.INLINE_LIMIT:
        flash(_("Så mange kursbevis lages som en jobb. Trykk «Lag ZIP-fil med alle»."), "warning")
        return redirect(url_for(".offering", offering_id=item.id))
    data = archive.zip_bytes(certs, _settings())
    return send_file(io.BytesIO(data), mimetype="application/zip", as_attachment=True,
                     download_name=f"kursbevis-tilbud-{item.id}.zip")


@bp.route("/kursbevis/tilbud/<int:offering_id>/zip", methods=["POST"])
@permission("certificates.manage")
def offering_zip_job(offering_id: int):
    item = _managed_offering(offering_id)
    if not ZipForm().validate_on_submit():
        abort(400)
    job = enqueue(db.session, kind="certificates.zip", params={"offering_id": item.id},
                  actor=current_user, now=utcnow())
    db.session.commit()
    flash(_("ZIP-filen lages nå. Siden viser når den er klar."), "success")
    return redirect(url_for("jobs.show", job_id=job.id))


def _managed_certificate(cert_id: int) -> Certificate:
    cert = db.session.get(Certificate, cert_id)
    if cert is None or not queries.may_manage(current_user, cert):
        abort(404)
    return cert


def _back(cert: Certificate):
    offering_id = cert.completion.offering_id
    return redirect(url_for(".offering", offering_id=offering_id) if offering_id
                    else url_for(".manage"))


@bp.route("/kursbevis/<int:cert_id>/trekk-tilbake", methods=["POST"])
@permission("certificates.manage")
def revoke(cert_id: int):
    cert = _managed_certificate(cert_id)
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(_("Oppgi hvorfor kursbeviset trekkes tilbake."), "danger")
        return _back(cert)
    try:
        services.revoke_certificate(db.session, actor=current_user, certificate=cert,
                                    reason=form.reason.data, now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _back(cert)
    db.session.commit()
    flash(_("Kursbevis %(serial)s er trukket tilbake.", serial=cert.serial), "success")
    return _back(cert)


@bp.route("/kursbevis/<int:cert_id>/utsted-pa-nytt", methods=["POST"])
@permission("certificates.manage")
def reissue(cert_id: int):
    cert = _managed_certificate(cert_id)
    if not ReissueForm().validate_on_submit():
        abort(400)
    try:
        new = services.reissue_certificate(db.session, actor=current_user, certificate=cert,
                                           now=utcnow(), settings=_settings())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _back(cert)
    db.session.commit()
    flash(_("Nytt kursbevis %(serial)s er utstedt.", serial=new.serial), "success")
    return _back(cert)


@bp.route("/fullforinger")
@permission("completions.register")
def completions():
    return render_template("certificates/completions.html",
                           rows=queries.external_completions(db.session, current_user))


@bp.route("/fullforinger/registrer", methods=["GET", "POST"])
@permission("completions.register")
def register():
    form = ExternalCompletionForm()
    if form.validate_on_submit():
        person = queries.find_person(db.session, current_user, form.person.data)
        # Courses of the organisations where the person registering holds the role: another
        # organisation's course slug finds nothing (a partner's course is imported first).
        course = db.session.scalar(sa.select(Course).where(
            Course.slug == form.course.data.strip(),
            Course.organisation_id.in_(organisation_ids(current_user, "hr", "admin"))))
        if person is None:
            form.person.errors.append(_("Fant ingen person med det i enhetene du har "
                                        "tilgang til."))
        if course is None:
            form.course.errors.append(_("Fant ikke kurset."))
        if person is not None and course is not None:
            try:
                services.register_external(
                    db.session, actor=current_user, user=person, course=course,
                    completed_on=form.completed_on.data, evidence=form.evidence.data,
                    with_certificate=form.with_certificate.data, now=utcnow(),
                    settings=_settings())
            except DomainError as error:
                db.session.rollback()
                getattr(form, error.field or "person").errors.append(error.message)
            else:
                db.session.commit()
                flash(_("Gjennomføringen er registrert for %(name)s.", name=person.name),
                      "success")
                return redirect(url_for(".completions"))
    return render_template("certificates/register.html", form=form)


@bp.route("/fullforinger/import", methods=["GET", "POST"])
@permission("completions.register")
def import_csv():
    form = CompletionImportForm()
    report = None
    if form.validate_on_submit():
        raw = form.file.data.read(IMPORT_MAX_BYTES + 1)
        if len(raw) > IMPORT_MAX_BYTES:
            form.file.errors.append(_("Filen er større enn 2 MB."))
        else:
            report = import_completions(db.session, actor=current_user, raw=raw, now=utcnow(),
                                        settings=_settings())
            if report.errors:
                db.session.rollback()
            else:
                db.session.commit()
                flash(_("%(created)s gjennomføringer registrert, %(skipped)s fantes fra før.",
                        created=report.created, skipped=report.skipped), "success")
                return redirect(url_for(".completions"))
    return render_template("certificates/import.html", form=form, report=report)

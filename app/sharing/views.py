"""The partner catalogue at /deling: packages shared with my organisation, our own
packages and their sharing scope, import, update after reading the diff, fork, upload and
download; the open catalogue of public packages; attachment downloads."""

from __future__ import annotations

import io
import logging

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.catalogue.models import Course
from app.catalogue.queries import visible_course
from app.errors import DomainError
from app.extensions import db
from app.orm import utcnow
from app.security import AUTHENTICATED, PUBLIC, permission
from app.sharing import queries, services
from app.sharing.forms import ActionForm, ScopeForm, UpdateForm, UploadForm
from app.sharing.labels import sharing_labels
from app.sharing.markdown import render_markdown
from app.sharing.models import CourseAttachment, SharingScope
from app.sharing.problems import PackageError
from app.sharing.storage import current_store

log = logging.getLogger(__name__)

bp = Blueprint("sharing", __name__, template_folder="templates", url_prefix="/deling")
bp.context_processor(sharing_labels)


def actor():
    return current_user._get_current_object()


def zip_response(data: bytes, name: str):
    return send_file(io.BytesIO(data), mimetype="application/zip", as_attachment=True,
                     download_name=name)


@bp.route("")
@permission("sharing.catalogue")
def catalogue():
    org_id = actor().organisation_id
    partners = queries.partner_entries(db.session, org_id)
    own = queries.own_entries(db.session, org_id)
    return render_template("sharing/catalogue.html", partners=partners, own=own,
                           updates=[e for e in partners if e.update_available],
                           form=ActionForm())


@bp.route("/pakker/<uid>")
@permission("sharing.catalogue")
def package(uid: str):
    user = actor()
    entry = queries.package_entry(db.session, uid, user.organisation_id)
    if entry is None:
        abort(404)
    own = entry.package.publisher_organisation_id == user.organisation_id
    return render_template("sharing/package.html", entry=entry, own=own, form=ActionForm(),
                           scope_form=ScopeForm(scope=str(entry.package.scope)))


@bp.route("/pakker/<uid>/<version>/importer", methods=["POST"])
@permission("sharing.catalogue")
def import_version(uid: str, version: str):
    user = actor()
    if not ActionForm().validate_on_submit():
        abort(400)
    found = services.visible_version(db.session, uid=uid, version=version,
                                     organisation_id=user.organisation_id)
    try:
        received = services.import_version(db.session, actor=user, version=found,
                                           store=current_store(), now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("sharing.package", uid=uid))
    db.session.commit()
    if received.course_action == "created":
        flash(_("«%(title)s» er importert som kurset %(slug)s. Det er publisert i kurskatalogen.",
                title=received.course.title, slug=received.course.slug), "success")
    else:
        flash(_("Kurset bruker allerede denne versjonen."), "info")
    return redirect(url_for("sharing.package", uid=uid))


@bp.route("/pakker/<uid>/<version>.zip")
@permission("sharing.catalogue")
def download(uid: str, version: str):
    found = services.visible_version(db.session, uid=uid, version=version,
                                     organisation_id=actor().organisation_id)
    return zip_response(current_store().read(found.storage_key),
                        f"{found.package.slug}-{found.version}.zip")


@bp.route("/pakker/<uid>/deling", methods=["POST"])
@permission("sharing.catalogue")
def set_scope(uid: str):
    user = actor()
    entry = queries.package_entry(db.session, uid, user.organisation_id)
    form = ScopeForm()
    if entry is None or entry.package.publisher_organisation_id not in \
            services.editor_organisations(user):
        abort(404)
    if not form.validate_on_submit():
        abort(400)
    try:
        services.set_scope(db.session, actor=user, package=entry.package,
                           scope=SharingScope(form.scope.data), now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("Delingen er endret."), "success")
    return redirect(url_for("sharing.package", uid=uid))


@bp.route("/last-opp", methods=["GET", "POST"])
@permission("sharing.catalogue")
def upload():
    form = UploadForm()
    problems: list[str] = []
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            received = services.upload_package(db.session, actor=actor(), data=data,
                                               store=current_store(), now=utcnow(),
                                               scope=SharingScope(form.scope.data))
        except PackageError as error:
            db.session.rollback()
            problems = error.texts(_)
        except DomainError as error:
            db.session.rollback()
            problems = [error.message]
        else:
            db.session.commit()
            flash(_("%(uid)s versjon %(version)s er mottatt; kurset %(slug)s er %(action)s.",
                    uid=received.package.uid, version=received.version.version,
                    slug=received.course.slug, action={
                        "created": _("opprettet"), "updated": _("oppdatert"),
                        "unchanged": _("uendret")}[received.course_action]), "success")
            return redirect(url_for("sharing.package", uid=received.package.uid))
    return render_template("sharing/upload.html", form=form, problems=problems)


@bp.route("/kurs/<slug>/oppdatering", methods=["GET", "POST"])
@permission("sharing.catalogue")
def update(slug: str):
    user = actor()
    course = services.editable_course(db.session, actor=user, slug=slug)
    store = current_store()
    form = UpdateForm()
    if form.validate_on_submit():
        try:
            received = services.update_course(db.session, actor=user, course=course,
                                              to_version=form.to_version.data, store=store,
                                              now=utcnow())
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
            return redirect(url_for("sharing.update", slug=slug))
        db.session.commit()
        flash(_("Kurset er oppdatert til versjon %(version)s. Påmeldinger, oppmøte og "
                "kursbevis er som før.", version=received.version.version), "success")
        return redirect(url_for("sharing.package", uid=received.package.uid))
    pending = services.pending_update(db.session, course=course, store=store)
    if pending is None:
        flash(_("Kurset har den nyeste versjonen."), "info")
        return redirect(url_for("sharing.catalogue"))
    form.to_version.data = pending.latest.version
    return render_template("sharing/update.html", course=course, update=pending, form=form)


@bp.route("/kurs/<slug>/kopier", methods=["POST"])
@permission("sharing.catalogue")
def fork(slug: str):
    user = actor()
    course = services.editable_course(db.session, actor=user, slug=slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.fork_course(db.session, actor=user, course=course, store=current_store(),
                             now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("sharing.catalogue"))
    db.session.commit()
    flash(_("Kurset er nå deres egen pakke. Endringene publiseres som en ny versjon."),
          "success")
    return redirect(url_for("authoring.edit", slug=slug))


@bp.route("/apen")
@permission(PUBLIC)
def open_catalogue():
    return render_template("sharing/open.html", entries=queries.public_entries(db.session))


@bp.route("/apen/<uid>/<version>.zip")
@permission(PUBLIC)
def open_download(uid: str, version: str):
    found = services.visible_version(db.session, uid=uid, version=version, organisation_id=None)
    return zip_response(current_store().read(found.storage_key),
                        f"{found.package.slug}-{found.version}.zip")


@bp.route("/vedlegg/<int:attachment_id>")
@permission(AUTHENTICATED)
def attachment(attachment_id: int):
    """A course attachment, always as a download (never shown inline)."""
    row = db.get_or_404(CourseAttachment, attachment_id)
    course = db.session.get(Course, row.course_id)
    user = actor()
    if course.organisation_id not in services.editor_organisations(user) and \
            db.session.scalar(sa.select(Course.id).where(Course.id == course.id,
                                                         visible_course(user))) is None:
        abort(404)
    store = current_store()
    return send_file(store.path(store.attachment_key(row.sha256)), mimetype=row.media_type,
                     as_attachment=True, download_name=row.name)


@bp.route("/forhandsvisning", methods=["POST"])
@permission("sharing.author")
def preview():
    """Markdown as sanitised HTML, for the live preview of the editors' text fields."""
    text = request.form.get("text", "")[:200000]
    return jsonify({"html": str(render_markdown(text))})

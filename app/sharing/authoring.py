"""Writing an own course package: /kurs/<slug>/rediger (details, modules in Markdown with a
live preview, their order, attachments, quiz, programme) and publishing a new version.
Imported partner courses are read-only here until they are forked."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.errors import ConflictError, DomainError
from app.extensions import db
from app.orm import utcnow
from app.security import permission
from app.sharing import drafts, services
from app.sharing.forms import (
    AttachmentForm,
    DetailsForm,
    ModuleForm,
    MoveForm,
    NewPackageForm,
    PublishForm,
    TomlForm,
)
from app.sharing.labels import sharing_labels
from app.sharing.markdown import render_markdown
from app.sharing.models import Package, SharingScope
from app.sharing.problems import Collector, PackageError
from app.sharing.programfile import parse_program
from app.sharing.quizfile import parse_quiz
from app.sharing.storage import current_store

bp = Blueprint("authoring", __name__, template_folder="templates")
bp.context_processor(sharing_labels)


class ReadOnly(Exception):
    pass


def _load(slug: str):
    """(course, draft) for an editor of the course's organisation; imported courses are
    read-only (redirect), unknown slugs 404."""
    user = current_user._get_current_object()
    course = services.editable_course(db.session, actor=user, slug=slug)
    if services.is_read_only(db.session, course):
        raise ReadOnly(course)
    return user, course, drafts.current_draft(db.session, course=course, store=current_store())


@bp.errorhandler(ReadOnly)
def read_only(error: ReadOnly):
    course = error.args[0]
    flash(_("«%(title)s» er importert fra en partner og kan ikke redigeres her. Lag en egen "
            "kopi av kurset for å endre det.", title=course.title), "warning")
    return redirect(url_for("sharing.package", uid=course.source_package_uid))


def _fail(error: DomainError, slug: str):
    db.session.rollback()
    flash(error.message, "danger")
    return redirect(url_for("authoring.edit", slug=slug))


def _details_form(draft) -> DetailsForm:
    c = draft.content
    completion = c["completion"]
    return DetailsForm(data={
        "revision": draft.revision, "title": c["title"], "summary": c["summary"],
        "description": c["description"], "language": c["language"], "licence": c["licence"],
        "audience": c["audience"], "mandatory_for": c["mandatory_for"],
        "validity_months": c["validity_months"],
        "completion_attendance": completion["attendance"],
        "completion_attendance_percent": completion["attendance_percent"],
        "completion_quiz": completion["quiz"], "completion_modules": completion["modules"]})


def _edit_page(course, draft, *, details=None, status=200, publish_form=None):
    package = db.session.scalar(db.select(Package).where(
        Package.uid == course.source_package_uid)) if course.source_package_uid else None
    return render_template(
        "sharing/edit.html", course=course, draft=draft, package=package,
        problems=[p.text(_) for p in drafts.check_draft(db.session, course=course, draft=draft,
                                                        store=current_store())],
        details=details or _details_form(draft),
        publish_form=publish_form or PublishForm(
            data={"revision": draft.revision,
                  "scope": str(package.scope) if package and package.versions else "partners"}),
        attachment_form=AttachmentForm(data={"revision": draft.revision}),
        move_form=MoveForm(data={"revision": draft.revision}),
        preview=render_markdown(draft.content["description"])), status


@bp.route("/deling/ny", methods=["GET", "POST"])
@permission("sharing.author")
def new_package():
    form = NewPackageForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        course = drafts.create_package(db.session, actor=user, organisation=user.organisation,
                                       title=form.title.data.strip(), kind=form.kind.data,
                                       language=form.language.data, now=utcnow())
        db.session.commit()
        flash(_("Pakken er opprettet. Skriv modulene, og publiser når den er klar."), "success")
        return redirect(url_for("authoring.edit", slug=course.slug))
    return render_template("sharing/new.html", form=form)


@bp.route("/kurs/<slug>/rediger")
@permission("sharing.author")
def edit(slug: str):
    _user, course, draft = _load(slug)
    return _edit_page(course, draft)


@bp.route("/kurs/<slug>/rediger/detaljer", methods=["POST"])
@permission("sharing.author")
def details(slug: str):
    user, course, draft = _load(slug)
    form = DetailsForm()
    if not form.validate_on_submit():
        return _edit_page(course, draft, details=form, status=200)
    try:
        drafts.save_details(db.session, actor=user, draft=draft, revision=int(form.revision.data),
                            now=utcnow(), details={
                                "title": form.title.data.strip(),
                                "summary": form.summary.data.strip(),
                                "description": (form.description.data or "").strip(),
                                "language": form.language.data, "licence": form.licence.data,
                                "audience": form.audience.data,
                                "mandatory_for": form.mandatory_for.data,
                                "validity_months": form.validity_months.data,
                                "completion": {
                                    "attendance": form.completion_attendance.data,
                                    "attendance_percent": form.completion_attendance_percent.data,
                                    "quiz": form.completion_quiz.data,
                                    "modules": form.completion_modules.data}})
    except DomainError as error:
        return _fail(error, slug)
    db.session.commit()
    flash(_("Detaljene er lagret i utkastet."), "success")
    return redirect(url_for("authoring.edit", slug=slug))


def _module_page(course, draft, form, name, preview, status=200):
    return render_template("sharing/module.html", course=course, draft=draft, form=form,
                           name=name, preview=preview), status


@bp.route("/kurs/<slug>/rediger/moduler/ny", methods=["GET", "POST"])
@bp.route("/kurs/<slug>/rediger/moduler/<name>", methods=["GET", "POST"])
@permission("sharing.author")
def module(slug: str, name: str | None = None):
    user, course, draft = _load(slug)
    current = None
    if name is not None:
        current = next((m for m in draft.content["modules"] if m["name"] == name), None)
        if current is None:
            abort(404)
    form = ModuleForm(data={"revision": draft.revision, **(
        {"title": current["title"], "minutes": current["minutes"], "body": current["body"]}
        if current else {})})
    if request.method == "POST" and request.form.get("action") == "preview":
        form.validate_on_submit()
        return _module_page(course, draft, form, name, render_markdown(form.body.data or ""))
    if form.validate_on_submit():
        try:
            saved = drafts.save_module(db.session, actor=user, draft=draft,
                                       revision=int(form.revision.data), name=name,
                                       title=form.title.data, minutes=form.minutes.data,
                                       body=form.body.data, now=utcnow())
        except ConflictError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
            return _module_page(course, draft, form, name, render_markdown(form.body.data), 409)
        except DomainError as error:
            return _fail(error, slug)
        db.session.commit()
        flash(_("Modulen «%(title)s» er lagret i utkastet.", title=form.title.data), "success")
        return redirect(url_for("authoring.module", slug=slug, name=saved))
    return _module_page(course, draft, form, name, render_markdown(form.body.data or ""))


def _simple(slug: str, form_class, action):
    user, course, draft = _load(slug)
    form = form_class()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "danger")
        return redirect(url_for("authoring.edit", slug=slug))
    try:
        message = action(user, course, draft, form)
    except (DomainError, PackageError) as error:
        if isinstance(error, PackageError):
            error = DomainError("invalid", "; ".join(error.texts(_)))
        return _fail(error, slug)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("authoring.edit", slug=slug))


@bp.route("/kurs/<slug>/rediger/moduler/<name>/flytt", methods=["POST"])
@permission("sharing.author")
def module_move(slug: str, name: str):
    def action(user, course, draft, form):
        step = -1 if form.step.data == "-1" else 1
        drafts.move_module(db.session, actor=user, draft=draft, revision=int(form.revision.data),
                           name=name, step=step, now=utcnow())
        return _("Rekkefølgen er endret.")
    return _simple(slug, MoveForm, action)


@bp.route("/kurs/<slug>/rediger/moduler/<name>/slett", methods=["POST"])
@permission("sharing.author")
def module_delete(slug: str, name: str):
    def action(user, course, draft, form):
        drafts.delete_module(db.session, actor=user, draft=draft,
                             revision=int(form.revision.data), name=name, now=utcnow())
        return _("Modulen er fjernet fra utkastet.")
    return _simple(slug, MoveForm, action)


@bp.route("/kurs/<slug>/rediger/vedlegg", methods=["POST"])
@permission("sharing.author")
def attachment_add(slug: str):
    def action(user, course, draft, form):
        upload = form.file.data
        name = drafts.add_attachment(db.session, actor=user, draft=draft,
                                     revision=int(form.revision.data),
                                     filename=upload.filename or "vedlegg", title=form.title.data
                                     or "", data=upload.read(), store=current_store(),
                                     now=utcnow())
        return _("Vedlegget %(name)s er lagt til.", name=name)
    return _simple(slug, AttachmentForm, action)


@bp.route("/kurs/<slug>/rediger/vedlegg/<name>")
@permission("sharing.author")
def attachment_download(slug: str, name: str):
    _user, _course, draft = _load(slug)
    item = next((a for a in draft.content["attachments"] if a["name"] == name), None)
    if item is None:
        abort(404)
    store = current_store()
    return send_file(store.path(store.attachment_key(item["sha256"])),
                     mimetype=item["media_type"], as_attachment=True, download_name=name)


@bp.route("/kurs/<slug>/rediger/vedlegg/<name>/slett", methods=["POST"])
@permission("sharing.author")
def attachment_delete(slug: str, name: str):
    def action(user, course, draft, form):
        drafts.delete_attachment(db.session, actor=user, draft=draft,
                                 revision=int(form.revision.data), name=name, now=utcnow())
        return _("Vedlegget er fjernet fra utkastet.")
    return _simple(slug, MoveForm, action)


def _toml_page(slug: str, part: str):
    user, course, draft = _load(slug)
    if part == "program" and str(course.kind) != "seminar" and not draft.content.get("program"):
        abort(404)
    form = TomlForm(data={"revision": draft.revision, "text": draft.content.get(part) or ""})
    problems: list[str] = []
    status = 200
    if form.validate_on_submit():
        try:
            drafts.save_toml_part(db.session, actor=user, draft=draft,
                                  revision=int(form.revision.data), part=part,
                                  text=form.text.data or "", now=utcnow())
        except PackageError as error:
            db.session.rollback()
            problems, status = error.texts(_), 200
        except ConflictError as error:
            db.session.rollback()
            problems, status = [error.message], 409
        else:
            db.session.commit()
            flash(_("Lagret i utkastet."), "success")
            return redirect(url_for(f"authoring.{part}", slug=slug))
    collector = Collector()
    parsed = None
    if form.text.data and not problems:
        parser = parse_quiz if part == "quiz" else parse_program
        parsed = parser(collector, form.text.data.encode())
    return render_template(f"sharing/{part}.html", course=course, draft=draft, form=form,
                           problems=problems, parsed=parsed), status


@bp.route("/kurs/<slug>/rediger/quiz", methods=["GET", "POST"])
@permission("sharing.author")
def quiz(slug: str):
    return _toml_page(slug, "quiz")


@bp.route("/kurs/<slug>/rediger/program", methods=["GET", "POST"])
@permission("sharing.author")
def program(slug: str):
    return _toml_page(slug, "program")


@bp.route("/kurs/<slug>/rediger/publiser", methods=["POST"])
@permission("sharing.author")
def publish(slug: str):
    user, course, draft = _load(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        return _edit_page(course, draft, publish_form=form)
    try:
        received = drafts.publish_draft(
            db.session, actor=user, course=course, draft=draft, revision=int(form.revision.data),
            bump=form.bump.data, change_note=form.change_note.data,
            scope=SharingScope(form.scope.data), store=current_store(), now=utcnow())
    except PackageError as error:
        db.session.rollback()
        flash(_("Utkastet kan ikke publiseres før feilene er rettet: %(problems)s",
                problems="; ".join(error.texts(_))), "danger")
        return redirect(url_for("authoring.edit", slug=slug))
    except DomainError as error:
        return _fail(error, slug)
    db.session.commit()
    flash(_("Versjon %(version)s er publisert.", version=received.version.version), "success")
    return redirect(url_for("authoring.edit", slug=slug))

"""The virtual toolbox at /verktoykasse: templates by category, their versions and the
sessions where they are taught. The project register's pages are in ``project_views``
(the same blueprint)."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import (
    Blueprint,
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

from app.errors import DomainError
from app.extensions import db
from app.orm import utcnow
from app.security import AUTHENTICATED, permission
from app.toolbox import labels, queries, services, storage
from app.toolbox.forms import ItemForm, NewItemForm, VersionForm
from app.toolbox.models import Category, ToolboxFile
from app.toolbox.text import render_markdown

log = logging.getLogger(__name__)

bp = Blueprint("toolbox", __name__, template_folder="templates")


@bp.app_context_processor
def inject_toolbox_helpers():
    return {
        "category_label": lambda v: labels.CATEGORY_LABELS.get(str(v), str(v)),
        "phase_label": lambda v: labels.PHASE_LABELS.get(str(v), str(v)),
        "network_label": lambda v: labels.NETWORK_LABELS.get(str(v), str(v)),
        "network_short": lambda v: labels.NETWORK_SHORT.get(str(v), str(v)),
        "network_in_text": lambda v: labels.NETWORK_IN_TEXT.get(str(v), str(v)),
        "document_status_label": lambda v: labels.DOCUMENT_STATUS_LABELS.get(str(v), str(v)),
        "colour_label": lambda v: labels.COLOUR_LABELS.get(str(v), str(v)),
        "finding_label": lambda v: labels.FINDING_LABELS.get(str(v), str(v)),
        "markdown": render_markdown,
    }


def storage_root() -> str:
    return current_app.config["KURS_STORAGE_DIR"]


def max_file_bytes() -> int:
    return current_app.config.get("TOOLBOX_MAX_FILE_BYTES", storage.DEFAULT_MAX_BYTES)


def read_upload(field) -> storage.CheckedFile | None:
    """The uploaded file of ``field`` checked, or None when none was chosen. A rejected file
    becomes the field's error (raised as DomainError for the caller to show)."""
    upload = field.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    limit = max_file_bytes()
    return storage.check_upload(upload.read(limit + 1), upload.filename, max_bytes=limit)


def show_error(form, error: DomainError) -> None:
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*(target.errors or []), error.message]
    else:
        form.form_errors.append(error.message)


def _status(form) -> int:
    """422 when a submitted form is shown again with errors, so that clients can tell."""
    return 422 if form.errors or form.form_errors else 200


def _user():
    return current_user._get_current_object()


def _item_or_404(item_id: int):
    item = queries.visible_item(db.session, _user(), item_id)
    if item is None:
        abort(404)
    return item


def _session_choices(form, organisation_id: int) -> None:
    form.session_ids.choices = [
        (s.id, f"{s.offering.course.title} – {s.title} ({s.starts_at:%d.%m.%Y})")
        for s in queries.sessions_to_link(db.session, organisation_id)
    ]


@bp.route("/verktoykasse")
@permission(AUTHENTICATED)
def index():
    user = _user()
    rows = queries.toolbox_items(db.session, user)
    taught = queries.sessions_for_items(db.session, [item.id for item, _v in rows])
    by_category = {c.value: [] for c in Category}
    for item, version in rows:
        by_category[str(item.category)].append((item, version))
    return render_template(
        "toolbox/index.html", by_category=by_category, taught=taught,
        can_manage=queries.manages_toolbox(user, user.organisation_id),
    )


@bp.route("/verktoykasse/<int:item_id>")
@permission(AUTHENTICATED)
def item(item_id: int):
    user = _user()
    found = _item_or_404(item_id)
    return render_template(
        "toolbox/item.html", item=found,
        versions=queries.item_versions(db.session, found),
        sessions=queries.sessions_for_items(db.session, [found.id]).get(found.id, []),
        can_manage=queries.manages_toolbox(user, found.organisation_id),
        can_upload=services.may_add_version(user, found),
    )


@bp.route("/verktoykasse/<int:item_id>/last-ned")
@permission(AUTHENTICATED)
def download_latest(item_id: int):
    found = _item_or_404(item_id)
    number = db.session.scalar(sa.select(sa.func.max(ToolboxFile.number))
                               .where(ToolboxFile.item_id == found.id))
    if number is None:
        abort(404)
    return download(item_id, number)


@bp.route("/verktoykasse/<int:item_id>/versjoner/<int:number>")
@permission(AUTHENTICATED)
def download(item_id: int, number: int):
    found = _item_or_404(item_id)
    version = db.session.scalar(sa.select(ToolboxFile).where(ToolboxFile.item_id == found.id,
                                                              ToolboxFile.number == number))
    if version is None:
        abort(404)
    return send_stored(version.storage_key, version.content_type,
                       storage.download_name(found.title, version.extension, f"v{number}"))


def send_stored(key: str, content_type: str, name: str):
    """A stored file as an attachment under a safe name; never shown inline."""
    try:
        path = storage.resolve(storage_root(), key)
    except ValueError:
        abort(404)
    if not path.is_file():
        log.error("stored file missing key=%s", key)
        abort(404)
    return send_file(path, mimetype=content_type, as_attachment=True, download_name=name,
                     max_age=0)


@bp.route("/verktoykasse/ny", methods=["GET", "POST"])
@permission("toolbox.manage")
def new_item():
    user = _user()
    form = NewItemForm()
    _session_choices(form, user.organisation_id)
    if form.validate_on_submit():
        try:
            created = services.create_item(
                db.session, actor=user, organisation_id=user.organisation_id,
                title=form.title.data, category=form.category.data,
                description=form.description.data, learn_more=form.learn_more.data,
                owner_email=form.owner_email.data, session_ids=form.session_ids.data or [],
                first_file=read_upload(form.file), change_note=form.change_note.data,
                storage_root=storage_root(), now=utcnow())
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Malen «%(title)s» er lagt i verktøykassen.", title=created.title),
                  "success")
            return redirect(url_for("toolbox.item", item_id=created.id))
    return render_template("toolbox/item_form.html", form=form, item=None), _status(form)


@bp.route("/verktoykasse/<int:item_id>/rediger", methods=["GET", "POST"])
@permission("toolbox.manage")
def edit_item(item_id: int):
    user = _user()
    found = _item_or_404(item_id)
    if not queries.manages_toolbox(user, found.organisation_id):
        abort(403)
    form = ItemForm(obj=found)
    _session_choices(form, found.organisation_id)
    if not form.is_submitted():
        form.owner_email.data = found.owner.email if found.owner else ""
        form.session_ids.data = [s.id for s in found.sessions]
    if form.validate_on_submit():
        try:
            services.update_item(
                db.session, actor=user, item=found, title=form.title.data,
                category=form.category.data, description=form.description.data,
                learn_more=form.learn_more.data, owner_email=form.owner_email.data,
                session_ids=form.session_ids.data or [], now=utcnow())
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Endringene er lagret."), "success")
            return redirect(url_for("toolbox.item", item_id=found.id))
    return render_template("toolbox/item_form.html", form=form, item=found), _status(form)


@bp.route("/verktoykasse/<int:item_id>/ny-versjon", methods=["GET", "POST"])
@permission(AUTHENTICATED)
def new_version(item_id: int):
    user = _user()
    found = _item_or_404(item_id)
    if not services.may_add_version(user, found):
        abort(403)
    form = VersionForm()
    if form.validate_on_submit():
        try:
            version = services.add_version(
                db.session, actor=user, item=found, checked=read_upload(form.file),
                change_note=form.change_note.data, storage_root=storage_root(), now=utcnow())
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Versjon %(n)s er lastet opp. De eldre versjonene kan fortsatt lastes ned.",
                    n=version.number), "success")
            return redirect(url_for("toolbox.item", item_id=found.id))
    return render_template("toolbox/version_form.html", form=form, item=found), _status(form)


from app.toolbox import project_views  # noqa: E402, F401  (the register's routes, same blueprint)

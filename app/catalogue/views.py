"""The catalogue (/kurs), a course's page and its modules, for every logged-in person."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.dates import format_date, format_interval
from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.catalogue import fragments, queries
from app.catalogue.forms import ActionForm, CatalogueFilterForm
from app.catalogue.labels import (
    AUDIENCE_LABELS,
    COURSE_STATUS_LABELS,
    KIND_LABELS,
    LANGUAGE_LABELS,
    label,
)
from app.catalogue.markdown import render_markdown
from app.catalogue.models import Module
from app.catalogue.services import manageable_organisations, mark_read
from app.common.numbers import whole_number
from app.enrolment import rules as enrol_rules
from app.enrolment.access import manages_offering
from app.enrolment.labels import (
    FORMAT_LABELS,
    OFFERING_STATUS_LABELS,
    STATUS_COLOURS,
    STATUS_LABELS,
)
from app.extensions import db
from app.orm import utcnow
from app.security import AUTHENTICATED, permission
from app.sharing.models import CourseAttachment

bp = Blueprint("catalogue", __name__, url_prefix="/kurs", template_folder="templates")
OSLO = ZoneInfo("Europe/Oslo")


def register_blueprints(app: Flask) -> None:
    from app.catalogue.admin import bp as admin_bp
    from app.catalogue.requirement_views import bp as requirements_bp

    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(requirements_bp)
    # Globals rather than a context processor: macros imported without context (which
    # Jinja caches) can use them, and no dict is built for every render.
    app.jinja_env.globals.update(template_helpers())
    app.jinja_env.globals.update(offering_items=fragments.offering_items,
                                 course_card_head=fragments.course_card_head)
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["day"] = day


@lru_cache(maxsize=4096)
def _format_day(value: date, locale: str) -> str:
    return format_date(value, "long", locale=locale)


def day(value) -> str:
    """A date (or the Norwegian date of a moment) in words, e.g. "5. mars 2027"; cached,
    since a catalogue page formats the same few dates many times."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(OSLO).date()
    return _format_day(value, str(get_locale() or "nb"))


@lru_cache(maxsize=2048)
def _format_period(first: date, last: date, locale: str) -> str:
    return format_interval(first, last, "yMMMMd", locale=locale)


def period(start, end) -> str:
    """When an offering runs: one day in words, or a compact interval ("12.–13. jan. 2027")."""
    first = start.astimezone(OSLO).date()
    last = end.astimezone(OSLO).date() if end else first
    if last <= first:
        return day(first)
    return _format_period(first, last, str(get_locale() or "nb"))


_SENTINEL = 987654321


@lru_cache(maxsize=64)
def _url_parts(endpoint: str, key: str, script_root: str) -> tuple[str, str]:
    before, _mark, after = url_for(endpoint, **{key: _SENTINEL}).partition(str(_SENTINEL))
    return before, after


def fast_url(endpoint: str, key: str, value) -> str:
    """``url_for(endpoint, key=value)`` for one-argument routes, built from a cached
    template: a catalogue page makes dozens of links, and routing each costs more than the
    rest of the line."""
    before, after = _url_parts(endpoint, key, request.script_root)
    return f"{before}{value}{after}"


def template_helpers() -> dict:
    return {
        "period": period,
        "fast_url": fast_url,
        "audience_label": lambda v: label(AUDIENCE_LABELS, v),
        "kind_label": lambda v: label(KIND_LABELS, v),
        "language_label": lambda v: label(LANGUAGE_LABELS, v),
        "course_status_label": lambda v: label(COURSE_STATUS_LABELS, v),
        "format_label": lambda v: label(FORMAT_LABELS, v),
        "offering_status_label": lambda v: label(OFFERING_STATUS_LABELS, v),
        "enrolment_label": lambda v: label(STATUS_LABELS, v),
        "enrolment_colour": lambda v: STATUS_COLOURS.get(str(v), "neutral"),
        "window_of": lambda offering, now: enrol_rules.enrol_window(
            status=offering.status, opens_at=offering.enrol_opens_at,
            closes_at=offering.enrol_closes_at, starts_at=offering.starts_at, now=now),
    }


def _filters(form: CatalogueFilterForm) -> queries.Filters:
    valid = form.validate()
    organiser = form.organiser.data if form.organiser.data and valid else ""
    return queries.Filters(
        q=(form.q.data or "").strip() if not form.q.errors else "",
        audience=form.audience.data or "" if not form.audience.errors else "",
        format=form.format.data or "" if not form.format.errors else "",
        organiser=whole_number(organiser),
        language=form.language.data or "" if not form.language.errors else "",
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None,
    )


@bp.route("")
@permission(AUTHENTICATED)
def index():
    user = current_user._get_current_object()
    now = utcnow()
    organisers = queries.organiser_options(db.session, user, now)
    form = CatalogueFilterForm(request.args, organisers)
    filters = _filters(form)
    page = request.args.get("side", "1")
    result = queries.catalogue(db.session, user, filters,
                               page=whole_number(page) or 1, now=now)
    args = {k: v for k, v in request.args.items() if k != "side" and v}
    filtered, filtered_more = bool(args), bool(set(args) - {"q"})
    return render_template(
        "catalogue/index.html", result=result, args=args, filtered=filtered, now=now,
        filter_form=fragments.filter_form(form, organisers, filtered, filtered_more))


@bp.route("/<slug>")
@permission(AUTHENTICATED)
def course(slug: str):
    user = current_user._get_current_object()
    now = utcnow()
    page = queries.course_page(db.session, user, slug, now=now)
    if page is None:
        abort(404)
    can_edit = page.course.organisation_id in manageable_organisations(user)
    # The package's attachments, as downloads at /deling/vedlegg/<id> (one statement).
    attachments = list(db.session.scalars(
        sa.select(CourseAttachment).where(CourseAttachment.course_id == page.course.id)
        .order_by(CourseAttachment.position, CourseAttachment.id)))
    return render_template(
        "catalogue/course.html", page=page, course=page.course, now=now, can_edit=can_edit,
        form=ActionForm(), manages=lambda offering: manages_offering(user, offering),
        attachments=attachments,
    )


def _module_or_404(slug: str, position: int):
    user = current_user._get_current_object()
    page = queries.course_page(db.session, user, slug, now=utcnow())
    if page is None:
        abort(404)
    for module, read in page.modules:
        if module.position == position:
            return page, module, read
    abort(404)


@bp.route("/<slug>/moduler/<int:position>")
@permission(AUTHENTICATED)
def module(slug: str, position: int):
    page, current, read = _module_or_404(slug, position)
    modules = [m for m, _read in page.modules]
    index = modules.index(current)
    return render_template(
        "catalogue/module.html", page=page, course=page.course, module=current, read=read,
        previous=modules[index - 1] if index > 0 else None,
        following=modules[index + 1] if index + 1 < len(modules) else None,
        read_count=sum(1 for _m, r in page.modules if r), form=ActionForm(),
    )


@bp.route("/<slug>/moduler/<int:position>/lest", methods=["POST"])
@permission(AUTHENTICATED)
def mark_module_read(slug: str, position: int):
    _page, current, _read = _module_or_404(slug, position)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    module_obj: Module = current
    mark_read(db.session, user=current_user, module=module_obj, now=utcnow())
    db.session.commit()
    flash(_("Modulen er markert som lest."), "success")
    return redirect(url_for("catalogue.module", slug=slug, position=position))

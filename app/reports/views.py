"""The report pages under /rapporter. Each reads one part (app.reports.parts), renders it,
and then writes the access log (who, which filter, how many people) in a transaction of
its own: the one write a GET makes (design.md)."""

from __future__ import annotations

import io
from types import SimpleNamespace

import sqlalchemy as sa
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
from markupsafe import Markup

from app.accounts.models import Organisation
from app.catalogue.models import Course, Requirement
from app.common.numbers import whole_number
from app.common.translations import locale_code
from app.database import commit_keeping_loaded, end_the_reads_before_writing
from app.extensions import db
from app.orm import utcnow
from app.privacy.access import log_access
from app.reports import exports, figures, landing, parts, queries, services
from app.reports.scope import (
    ARGUMENTS,
    LEVELS,
    OSLO,
    FilterError,
    Filters,
    organisations_in_reach,
    parse_filters,
    sees_whole_organisation,
)
from app.security import permission

bp = Blueprint("reports", __name__, url_prefix="/rapporter", template_folder="templates")


@bp.context_processor
def inject_formats():
    return {"fig": figures, "levels": LEVELS}


def _filters() -> Filters:
    return parse_filters(request.args)


@bp.errorhandler(FilterError)
def filter_error(error: FilterError):
    """A filter that cannot be read (from after to, a date typed into the address): the
    report's filters again with what was asked and the field marked, instead of an error
    page. Nothing is counted, shown or logged for it."""
    def raw(key: str) -> str | None:
        return next((request.args[name].strip() for name in ARGUMENTS[key]
                     if request.args.get(name, "").strip()), None)

    def number(key: str) -> int | None:
        value = raw(key)
        return whole_number(value)

    shown = SimpleNamespace(organisation_id=number("organisation_id"),
                            unit_id=number("unit_id"), level=raw("level"),
                            course=raw("course"), date_from=raw("date_from"),
                            date_to=raw("date_to"), query_args=dict)
    return render_template("reports/filter_error.html", filters=shown,
                           error=(error.field, error.message), organisations=_organisations(),
                           active=request.endpoint), 400


def _organisations() -> list[tuple[int, str]]:
    ids = organisations_in_reach(current_user)
    if len(ids) < 2:
        return []
    return [tuple(r) for r in db.session.execute(
        sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
        .order_by(Organisation.name))]


def _page(template: str, *, kind: str, filters: Filters, people: int,
          subjects=(), organisations: list[tuple[int, str]] | None = None, **context) -> str:
    """Render, then log the view (``record``)."""
    actor = SimpleNamespace(id=current_user.id)
    if organisations is None:
        organisations = _organisations()
    html = render_template(template, filters=filters, organisations=organisations,
                           wide=sees_whole_organisation(current_user), **context)
    record(kind, actor=actor, filters=filters, people=people, subjects=subjects)
    return html


def record(kind: str, *, actor, filters: Filters, people: int, subjects=()) -> None:
    end_the_reads_before_writing(db.session)
    log_access(db.session, actor=actor, kind=kind, now=utcnow(), filters=filters.as_dict(),
               row_count=people, subject_ids=subjects, address=request.remote_addr)
    # The log row is the request's only write: the reader stays loaded, and is kept.
    commit_keeping_loaded(db.session)


@bp.route("")
@permission("reports.view")
def index():
    filters = _filters()
    figures_now = landing.landing(db.session, current_user, filters, now=utcnow())
    organisations = _organisations()
    # The figures' markup is kept with them: it depends on nothing else but the filters
    # (part of their key), the organisations on offer and the language.
    key = (locale_code(), request.script_root, tuple(organisations))
    overview = figures_now.rendered.get(key)
    if overview is None:
        overview = figures_now.rendered[key] = Markup(render_template(  # noqa: S704 (an autoescaped template)  # nosec B704
            "reports/_overview.html", filters=filters, organisations=organisations,
            coverage=figures_now.coverage, summary=figures_now.summary,
            computed_at=figures_now.computed_at))
    return _page("reports/index.html", kind="reports.overview", filters=filters,
                 people=figures_now.coverage.people, organisations=organisations,
                 overview=overview)


@bp.route("/dekning")
@permission("reports.view")
def coverage():
    filters, now = _filters(), utcnow()
    report = parts.coverage(db.session, current_user, filters, now=now)
    if filters.unit_id is not None and not report.roots:
        abort(404)
    return _page("reports/coverage.html", kind="reports.coverage", filters=filters,
                 people=report.people, coverage=report, chart=figures.coverage_chart(report))


@bp.route("/dekning/kurs/<int:course_id>")
@permission("reports.view")
def people(course_id: int):
    filters, now = _filters(), utcnow()
    status = request.args.get("status")
    if status not in (None, "", "completed", "missing"):
        status = None
    course = db.session.get(Course, course_id)
    reach = organisations_in_reach(current_user)
    # Only a course of an organisation in reach, or one that it requires: another
    # organisation's course ids give nothing away, not even a title.
    if course is None or (course.organisation_id not in reach and not db.session.scalar(
            sa.select(sa.exists().where(Requirement.course_id == course.id,
                                        Requirement.organisation_id.in_(reach))))):
        abort(404)
    rows = parts.queries.people_behind(db.session, current_user, filters, course_id=course_id,
                                       now=now, status=status or None)
    return _page("reports/people.html", kind="reports.people", filters=filters,
                 people=len(rows), subjects=[r[0] for r in rows], course=course, rows=rows,
                 status=status or "", limit=queries.PAGE_ROWS)


@bp.route("/mangler")
@permission("reports.view")
def gaps():
    filters, now = _filters(), utcnow()
    report = parts.gaps(db.session, current_user, filters, now=now)
    return _page("reports/gaps.html", kind="reports.gaps", filters=filters,
                 people=len(report.people), subjects=report.people, report=report)


@bp.route("/mangler/paminnelse", methods=["POST"])
@permission("reports.view")
def remind():
    user_id = whole_number(request.form.get("person", ""))
    course_id = whole_number(request.form.get("course", ""))
    if user_id is None or course_id is None:
        abort(400)
    result = services.remind_gap(db.session, actor=current_user, user_id=user_id,
                                 course_id=course_id, now=utcnow())
    db.session.commit()
    if not result.queued:
        flash(_("%(person)s har allerede fått en påminnelse om %(course)s i dag.",
                person=result.person.name, course=result.course.title), "info")
    elif result.manager is not None:
        flash(_("Påminnelse om %(course)s er sendt til %(person)s og lederen %(manager)s.",
                course=result.course.title, person=result.person.name,
                manager=result.manager.name), "success")
    else:
        flash(_("Påminnelse om %(course)s er sendt til %(person)s.",
                course=result.course.title, person=result.person.name), "success")
    back = request.form.get("next", "")
    if not back.startswith("/rapporter/mangler"):
        back = url_for("reports.gaps")
    return redirect(back)


@bp.route("/utlop")
@permission("reports.view")
def expiry():
    filters, now = _filters(), utcnow()
    items = parts.expiry(db.session, current_user, filters, now=now)
    groups = {window: [i for i in items if i.window == window]
              for window in figures.WINDOW_LABELS}
    subjects = {i.user_id for i in items}
    return _page("reports/expiry.html", kind="reports.expiry", filters=filters,
                 people=len(subjects), subjects=subjects, groups=groups)


@bp.route("/metodikk")
@permission("reports.view")
def methodology():
    filters = _filters()
    rows = parts.methodology(db.session, current_user, filters)
    return _page("reports/methodology.html", kind="reports.methodology", filters=filters,
                 people=len(rows), subjects=[r.user_id for r in rows], rows=rows)


@bp.route("/evalueringer")
@permission("reports.view")
def evaluations():
    from app.evaluation import figures as evaluation_figures
    from app.evaluation.aggregates import THRESHOLD
    from app.evaluation.filters import ALL, Period
    from app.evaluation.reports import overview

    filters = _filters()
    report = overview(db.session, current_user, period=Period(ALL, filters.since, filters.until),
                      organisation_id=filters.organisation_id)
    return _page("reports/evaluations.html", kind="reports.evaluations", filters=filters,
                 people=0, report=report, fmt=evaluation_figures, threshold=THRESHOLD)


@bp.route("/trend")
@permission("reports.view")
def trend():
    filters, now = _filters(), utcnow()
    report = parts.trend(db.session, current_user, filters, now=now)
    return _page("reports/trend.html", kind="reports.trend", filters=filters,
                 people=sum(sum(values) for _cid, _title, values in report.series),
                 trend=report, chart=figures.trend_chart(report))


MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@bp.route("/eksport.<fmt>")
@permission("reports.view")
def export(fmt: str):
    """The whole report as a file. The access log is written first (who, filter, and
    every person the file names), then the file is built from tuples."""
    if fmt not in MIMETYPES:
        abort(404)
    filters, now = _filters(), utcnow()
    actor = SimpleNamespace(id=current_user.id)
    subjects = exports.people_ids(db.session, current_user, filters)
    part = request.args.get("del") or "all"
    body = io.BytesIO()
    if fmt == "csv":
        for chunk in exports.csv_part(db.session, current_user, filters, now=now,
                                      part=part if part in exports.PARTS else "coverage"):
            body.write(chunk)
    elif fmt == "xlsx":
        exports.write_xlsx(body, exports.build(db.session, current_user, filters, now=now))
    else:
        body.write(exports.pdf_bytes(db.session, current_user, filters, now=now))
    record(f"reports.export.{fmt}", actor=actor, filters=filters, people=len(subjects),
           subjects=subjects)
    body.seek(0)
    name = f"kompetanse-{now.astimezone(OSLO).date().isoformat()}.{fmt}"
    return send_file(body, mimetype=MIMETYPES[fmt], as_attachment=True, download_name=name)

"""The results pages: per organisation (with the comparison of courses), per course, per
offering, across partners' shared courses, and the CSV/XLSX export.

Every page reads through ``app.evaluation.scope`` (what the person may see) and
``app.evaluation.aggregates`` (nothing for fewer than five respondents per offering).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Organisation
from app.accounts.scope import organisation_ids
from app.common import spreadsheet
from app.evaluation import export, figures, queries, reports
from app.evaluation.aggregates import THRESHOLD
from app.evaluation.filters import ALL, LAST_12_MONTHS, parse_period
from app.evaluation.scope import RESULT_ROLES, full_condition, manages_questions, sees_packages
from app.evaluation.views import bp
from app.extensions import db
from app.orm import utcnow
from app.security import permission


@bp.context_processor
def inject_formats():
    return {
        "fmt": figures,
        "measure_labels": figures.MEASURE_LABELS,
        "follow_up_labels": figures.FOLLOW_UP_LABELS,
    }


def _period():
    return parse_period(request.args.get("periode"), now=utcnow())


def _period_choices() -> list[tuple[str, str]]:
    this_year = utcnow().year
    years = [(str(y), str(y)) for y in range(this_year, this_year - 5, -1)]
    return [(ALL, _("Hele perioden")), (LAST_12_MONTHS, _("Siste 12 måneder")), *years]


def _organisations() -> list[Organisation]:
    """The organisations where the person holds a results role (for the filter)."""
    ids = organisation_ids(current_user, *RESULT_ROLES)
    if len(ids) < 2:
        return []
    return list(
        db.session.scalars(
            sa.select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name)
        )
    )


def _organisation_id(choices: list[Organisation]) -> int | None:
    slug = request.args.get("organisasjon")
    return next((o.id for o in choices if o.slug == slug), None)


def _common(period, **extra) -> dict:
    return {
        "period": period,
        "period_choices": _period_choices(),
        "threshold": THRESHOLD,
        **extra,
    }


@bp.route("/resultater")
@permission("evaluation.results")
def results():
    period = _period()
    organisations = _organisations()
    organisation_id = _organisation_id(organisations)
    report = reports.overview(
        db.session, current_user, period=period, organisation_id=organisation_id
    )
    return render_template(
        "evaluation/results/overview.html",
        report=report,
        organisations=organisations,
        organisation=request.args.get("organisasjon", ""),
        sees_packages=sees_packages(current_user),
        **_common(period),
    )


@bp.route("/resultater/kurs/<slug>")
@permission("evaluation.results")
def course_results(slug: str):
    course = queries.course_in_scope(db.session, slug=slug, condition=full_condition(current_user))
    if course is None:
        abort(404)
    period = _period()
    report = reports.course_report(db.session, current_user, course, period=period)
    return render_template(
        "evaluation/results/course.html",
        course=course,
        report=report,
        manages=manages_questions(current_user, course),
        **_common(period),
    )


@bp.route("/resultater/gjennomforing/<int:offering_id>")
@permission("evaluation.results")
def offering_results(offering_id: int):
    found = queries.offering_in_scope(
        db.session, offering_id=offering_id, condition=full_condition(current_user)
    )
    if found is None:
        abort(404)
    offering, course = found
    report = reports.offering_report(db.session, current_user, offering, course)
    return render_template(
        "evaluation/results/offering.html",
        offering=offering,
        course=course,
        report=report,
        threshold=THRESHOLD,
    )


@bp.route("/resultater/delte")
@permission("evaluation.results")
def shared_results():
    period = _period()
    packages = reports.shared_report(db.session, current_user, period=period)
    return render_template(
        "evaluation/results/shared.html",
        packages=packages,
        sees_packages=sees_packages(current_user),
        **_common(period),
    )


@bp.route("/resultater/eksport.csv")
@permission("evaluation.results")
def export_csv():
    return _export("csv")


@bp.route("/resultater/eksport.xlsx")
@permission("evaluation.results")
def export_xlsx():
    return _export("xlsx")


def _export(fmt: str):
    period = _period()
    organisation_id = _organisation_id(_organisations())
    course_id = None
    if request.args.get("kurs"):
        course = queries.course_in_scope(
            db.session, slug=request.args["kurs"], condition=full_condition(current_user)
        )
        if course is None:
            abort(404)
        course_id = course.id
    tables = export.result_tables(
        db.session,
        current_user,
        period=period,
        organisation_id=organisation_id,
        course_id=course_id,
    )
    stem = f"evalueringer-{date.today().isoformat()}"
    if fmt == "csv":
        _title, headers, rows = tables[0]
        body, mimetype = spreadsheet.csv_bytes(headers, rows), "text/csv"
    else:
        body = spreadsheet.xlsx_bytes(
            [spreadsheet.fitted_sheet(title, headers, rows) for title, headers, rows in tables])
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'},
    )

"""Attendance reports per seminar and per person, as pages, CSV, XLSX and PDF."""

from __future__ import annotations

from flask import Response, abort, render_template
from flask_babel import format_datetime
from flask_babel import gettext as _

from app.common import spreadsheet
from app.extensions import db
from app.orm import utcnow
from app.security import permission
from app.seminars import pdf, reports, rules
from app.seminars.documents import seminar_title
from app.seminars.views import bp, organised_offering, period, send_pdf, user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def status_labels() -> dict[str, str]:
    return {"present": _("Til stede"), "late": _("For sent"), "excused": _("Gyldig fravær"),
            "absent": _("Ikke møtt")}


def short_codes() -> dict[str, str]:
    """One letter per status for the narrow columns of the summary PDF."""
    return {"present": _("T"), "late": _("S"), "excused": _("G"), "absent": _("F")}


def yes_no(value: bool | None) -> str:
    return {True: _("Ja"), False: _("Nei"), None: ""}[value]


def kind_label(kind: str) -> str:
    return {"user": _("Påmeldt"), "walk_in": _("Walk-in"),
            "participant": _("Ekstern")}[kind]


def session_label(s) -> str:
    return f"{format_datetime(s.starts_at, 'dd.MM HH:mm')} {s.title}"


def _xlsx(title: str, header, rows) -> bytes:
    return spreadsheet.xlsx_bytes([spreadsheet.fitted_sheet(title, header, rows)])


def _download(data: bytes, mimetype: str, name: str) -> Response:
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/samlinger/<int:offering_id>/rapport")
@permission("seminars.organise")
def report(offering_id: int):
    offering = organised_offering(offering_id)
    data = reports.seminar_report(db.session, offering, now=utcnow())
    return render_template("seminars/report.html", offering=offering, report=data,
                           period=period(offering, data.sessions), labels=status_labels(),
                           kind_label=kind_label, statuses=rules.STATUS_ORDER)


def _seminar_table(data: reports.SeminarReport):
    labels = status_labels()
    header = [_("Navn"), _("Enhet / organisasjon"), _("Type")]
    header += [session_label(s) for s in data.sessions]
    header += [_("Økter holdt"), _("Deltatt"), _("Oppmøte %"), _("Ikke møtt"),
               _("Oppfyller oppmøtekravet")]
    rows = [
        [r.name, r.detail, kind_label(r.kind),
         *[labels.get(str(r.marks.get(s.id)), "") for s in data.sessions],
         r.summary.held, r.summary.attended, r.summary.percent, yes_no(r.summary.no_show),
         yes_no(r.meets_rule)]
        for r in data.rows
    ]
    return header, rows


@bp.route("/samlinger/<int:offering_id>/rapport.csv")
@permission("seminars.organise")
def report_csv(offering_id: int):
    offering = organised_offering(offering_id)
    header, rows = _seminar_table(reports.seminar_report(db.session, offering, now=utcnow()))
    return _download(spreadsheet.csv_bytes(header, rows), "text/csv",
                     f"oppmote-{offering.id}.csv")


@bp.route("/samlinger/<int:offering_id>/rapport.xlsx")
@permission("seminars.organise")
def report_xlsx(offering_id: int):
    offering = organised_offering(offering_id)
    header, rows = _seminar_table(reports.seminar_report(db.session, offering, now=utcnow()))
    return _download(_xlsx(_("Oppmøte"), header, rows), XLSX,
                     f"oppmote-{offering.id}.xlsx")


@bp.route("/samlinger/<int:offering_id>/oppmote.pdf")
@permission("seminars.organise")
def summary_pdf(offering_id: int):
    offering = organised_offering(offering_id)
    data = reports.seminar_report(db.session, offering, now=utcnow())
    codes = short_codes()
    labels = status_labels()
    legend = " · ".join(f"{codes[str(s)]} = {labels[str(s)]}" for s in rules.STATUS_ORDER)
    rows = [
        pdf.SummaryRow(r.name, r.detail, [codes.get(str(r.marks.get(s.id)), "")
                                          for s in data.sessions],
                       r.summary.percent, r.meets_rule)
        for r in data.rows
    ]
    body = pdf.attendance_summary(seminar=seminar_title(offering),
                                  period=period(offering, data.sessions),
                                  sessions=[session_label(s) for s in data.sessions],
                                  rows=rows, legend=legend)
    return send_pdf(body, f"oppmoteoversikt-{offering.id}.pdf")


def _person(user_id: int):
    person = reports.person_in_reach(db.session, user(), user_id)
    if person is None:
        abort(404)
    return person, reports.person_report(db.session, user(), person, now=utcnow())


@bp.route("/samlinger/personer/<int:user_id>")
@permission("seminars.report")
def person(user_id: int):
    person, seminars = _person(user_id)
    return render_template("seminars/person.html", person=person, seminars=seminars,
                           labels=status_labels(), seminar_title=seminar_title)


def _person_table(seminars):
    header = [_("Samling"), _("Første dag"), _("Økter holdt"), _("Deltatt"), _("Oppmøte %"),
              _("Ikke møtt"), _("Oppfyller oppmøtekravet")]
    rows = [
        [seminar_title(s.offering),
         format_datetime(s.sessions[0].starts_at, "dd.MM.yyyy") if s.sessions else "",
         s.summary.held, s.summary.attended, s.summary.percent, yes_no(s.summary.no_show),
         yes_no(s.meets_rule)]
        for s in seminars
    ]
    return header, rows


@bp.route("/samlinger/personer/<int:user_id>.csv")
@permission("seminars.report")
def person_csv(user_id: int):
    _person_obj, seminars = _person(user_id)
    header, rows = _person_table(seminars)
    return _download(spreadsheet.csv_bytes(header, rows), "text/csv",
                     f"samlinger-person-{user_id}.csv")


@bp.route("/samlinger/personer/<int:user_id>.xlsx")
@permission("seminars.report")
def person_xlsx(user_id: int):
    _person_obj, seminars = _person(user_id)
    header, rows = _person_table(seminars)
    return _download(_xlsx(_("Samlinger"), header, rows), XLSX,
                     f"samlinger-person-{user_id}.xlsx")

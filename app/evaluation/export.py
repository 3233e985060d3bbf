"""CSV and XLSX files of the evaluation results: aggregates only, never one person's answers.

CSV is UTF-8 with a BOM and ``;`` between fields, so that Excel set to Norwegian opens it
as columns. A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return) is prefixed with an apostrophe, so that no spreadsheet runs it as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import sqlalchemy as sa
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from app.catalogue.models import Course
from app.evaluation.aggregates import first_results, follow_up_results
from app.evaluation.models import EvaluationKind
from app.evaluation.queries import answer_rows
from app.evaluation.reports import organisation_condition
from app.evaluation.scope import full_condition

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text that a spreadsheet would read as a formula, made harmless; others as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([neutralise(_csv_cell(v)) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        # Norwegian Excel reads a decimal comma.
        return f"{value:.2f}".replace(".", ",")
    return value


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence]]]) -> bytes:
    """One sheet per (title, headers, rows): the header row frozen, a filter, sensible
    column widths, numbers as numbers."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([neutralise(h) for h in headers])
        for row in rows:
            sheet.append([neutralise(v) for v in row])
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = sheet.dimensions
        for index, header in enumerate(headers, start=1):
            values = [header, *(r[index - 1] for r in rows)]
            width = max(len(str(v)) if v is not None else 0 for v in values)
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
            for cell in sheet[get_column_letter(index)][1:]:
                if isinstance(cell.value, float):
                    cell.number_format = "0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The tables of an export ---------------------------------------------------------------


def result_tables(session, user, *, period, organisation_id=None, course_id=None):
    """[(sheet title, headers, rows)]: courses, offerings, comments. Every figure obeys the
    anonymity rule (``aggregates``); an offering under the threshold shows its counts only.
    """
    condition = sa.and_(full_condition(user), organisation_condition(organisation_id))
    if course_id is not None:
        condition = sa.and_(condition, Course.id == course_id)
    first = answer_rows(session, kind=EvaluationKind.FIRST, condition=condition, period=period)
    follow = answer_rows(session, kind=EvaluationKind.FOLLOW_UP, condition=condition, period=period)
    courses = {**first.courses, **follow.courses}
    offering_titles = {**first.offerings, **follow.offerings}

    def grouped(rows, key):
        groups: dict = {}
        for r in rows:
            groups.setdefault(key(r), []).append(r)
        return groups

    headers = [
        _("Svar"),
        _("Svar ikke tatt med (under fem per gjennomføring)"),
        _("Relevans (1–5)"),
        _("Nytte (1–5)"),
        _("Undervisning (1–5)"),
        _("Anbefaling, NPS (−100 til 100)"),
        _("Oppfølging: svar"),
        _("Oppfølging: ja"),
        _("Oppfølging: delvis"),
        _("Oppfølging: nei"),
    ]

    def figures_of(first_rows, follow_rows):
        a, b = first_results(first_rows), follow_up_results(follow_rows)
        s, f = a.summary, b.summary
        return [
            s.n if s else 0,
            a.split.withheld,
            round(s.means["relevance"].value, 2) if s else None,
            round(s.means["usefulness"].value, 2) if s else None,
            round(s.means["teaching"].value, 2) if s else None,
            s.nps.score if s else None,
            f.n if f else 0,
            f.counts["yes"] if f else None,
            f.counts["partly"] if f else None,
            f.counts["no"] if f else None,
        ]

    f_course, u_course = (
        grouped(first.rows, lambda r: r.course),
        grouped(follow.rows, lambda r: r.course),
    )
    course_rows = [
        [courses[c].title, *figures_of(f_course.get(c, []), u_course.get(c, []))]
        for c in sorted(courses, key=lambda c: courses[c].title.casefold())
    ]
    f_off, u_off = grouped(first.rows, lambda r: r.group), grouped(follow.rows, lambda r: r.group)
    offering_course = {r.group: r.course for r in [*first.rows, *follow.rows]}
    offering_month = {r.group: r.period for r in [*first.rows, *follow.rows]}
    offering_rows = [
        [
            courses[offering_course[o]].title,
            offering_titles[o],
            offering_month[o].strftime("%Y-%m"),
            *figures_of(f_off.get(o, []), u_off.get(o, [])),
        ]
        for o in sorted(
            offering_titles, key=lambda o: (courses[offering_course[o]].title, offering_month[o], o)
        )
    ]
    comment_rows = []
    for c in sorted(courses, key=lambda c: courses[c].title.casefold()):
        for text in first_results(f_course.get(c, [])).comments:
            comment_rows.append([courses[c].title, _("Første evaluering"), text])
        for text in follow_up_results(u_course.get(c, [])).comments:
            comment_rows.append([courses[c].title, _("Oppfølging"), text])
    return [
        (_("Kurs"), [_("Kurs"), *headers], course_rows),
        (
            _("Gjennomføringer"),
            [_("Kurs"), _("Gjennomføring"), _("Måned"), *headers],
            offering_rows,
        ),
        (_("Kommentarer"), [_("Kurs"), _("Evaluering"), _("Kommentar")], comment_rows),
    ]

"""The competence report as files: CSV, XLSX (one sheet per part) and PDF.

Rows are tuples straight from the queries (the big per-person table is streamed with
``yield_per``); nothing here builds an ORM object per row. The builders know nothing of
HTTP: the views, the CLI and the API call them alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.common.spreadsheet import Column, Sheet, csv_stream, xlsx_write
from app.enrolment.labels import STATUS_LABELS
from app.reports import figures, parts, queries
from app.reports import pdf as report_pdf
from app.reports.scope import Filters, sees_whole_organisation

#: Rows fetched from the database at a time for the streamed tables.
BATCH = 5000
PARTS = ("coverage", "people", "gaps", "expiry", "methodology", "evaluations", "trend")


@dataclass
class Export:
    """What a file holds, and what the access log records about it."""

    sheets: list[Sheet]
    coverage: parts.Coverage
    trend: parts.Trend
    people: int


def _level(value) -> str:
    return str(figures.LEVEL_LABELS.get(str(value), value))


def coverage_sheet(coverage: parts.Coverage) -> Sheet:
    return Sheet(_("Dekning"), [
        Column(_("Enhet"), 34), Column(_("Enhetskode"), 12), Column(_("Nivå"), 6, "number"),
        Column(_("Kurs"), 34), Column(_("Obligatorisk for"), 16, "number"),
        Column(_("Gjennomført"), 14, "number"), Column(_("Andel (%)"), 10, "number"),
    ], coverage.rows())


def people_sheet(session: Session, user: User, filters: Filters, *, now: datetime) -> Sheet:
    def rows():
        # Labels translated once, not once per row (a lazy string is translated on use).
        levels = {str(k): str(v) for k, v in figures.LEVEL_LABELS.items()}
        done, missing = _("Gjennomført"), _("Mangler")
        stmt = queries.status_statement(user, filters, now=now)
        result = session.execute(stmt, execution_options={"yield_per": BATCH})
        for number, name, email, unit, level, course, completed, expires in result:
            yield (number, name, email, unit, levels.get(str(level), level), course,
                   done if completed else missing, completed, expires)

    return Sheet(_("Personer"), [
        Column(_("Ansattnummer"), 14), Column(_("Navn"), 28), Column(_("E-post"), 34),
        Column(_("Enhet"), 30), Column(_("Ledernivå"), 16), Column(_("Kurs"), 34),
        Column(_("Status"), 12), Column(_("Gjennomført"), 13, "date"),
        Column(_("Gyldig til"), 13, "date"),
    ], rows())


def gaps_sheet(gaps: parts.Gaps) -> Sheet:
    def rows():
        for g in gaps.rows:
            offering = g.next_offering
            signed = g.signed_offering
            yield (g.name, g.email, g.unit, g.course, g.lack.due, g.lack.since,
                   g.lack.days(gaps.today), offering[2] if offering else None,
                   offering[3] if offering else None,
                   str(STATUS_LABELS[g.signed_status]) if g.signed_status else None,
                   signed[2] if signed else None)

    return Sheet(_("Mangler"), [
        Column(_("Navn"), 28), Column(_("E-post"), 34), Column(_("Enhet"), 30),
        Column(_("Kurs"), 34), Column(_("Frist"), 12, "date"),
        Column(_("Mangler siden"), 14, "date"), Column(_("Dager"), 8, "number"),
        Column(_("Neste gjennomføring"), 18, "date"), Column(_("Ledige plasser"), 14, "number"),
        Column(_("Påmelding"), 20), Column(_("Påmeldt til"), 13, "date"),
    ], rows())


def expiry_sheet(items: list[parts.Expiring]) -> Sheet:
    return Sheet(_("Utløp"), [
        Column(_("Navn"), 28), Column(_("E-post"), 34), Column(_("Enhet"), 30),
        Column(_("Kurs"), 34), Column(_("Gjennomført"), 13, "date"),
        Column(_("Gyldig til"), 13, "date"), Column(_("Kursbevis"), 16),
        Column(_("Utløper"), 16),
    ], ((i.name, i.email, i.unit, i.course, i.completed_at, i.expires_at, i.serial,
         str(figures.WINDOW_LABELS.get(i.window, i.window))) for i in items))


def methodology_sheet(rows: list[parts.MethodologyRow]) -> Sheet:
    return Sheet(_("Metodikk"), [
        Column(_("Navn"), 28), Column(_("E-post"), 34), Column(_("Enhet"), 30),
        Column(_("IT-prosjektleder"), 16), Column(_("Prosjekter"), 11, "number"),
        Column(_("Sist på samling"), 16, "date"),
    ], ((r.name, r.email, r.unit, _("Ja") if r.is_project_leader else _("Nei"), r.projects,
         r.last_attended) for r in rows))


def evaluation_rows(session: Session, user: User, filters: Filters) -> list[tuple] | None:
    """The evaluation part: per course, then each of its offerings, with the evaluation
    pages' figures and anonymity rule (``app.evaluation.export.result_tables``); filtered
    by the month the offerings ended. None for a reader who does not see the evaluations
    (a leader's reach is units, and evaluations are of courses)."""
    if not sees_whole_organisation(user):
        return None
    from app.evaluation.export import result_tables
    from app.evaluation.filters import ALL, Period

    tables = result_tables(session, user, period=Period(ALL, filters.since, filters.until),
                           organisation_id=filters.organisation_id)
    (_t, _h, courses), (_t2, _h2, offerings) = tables[0], tables[1]
    everything = _("Alle gjennomføringer")
    rows = []
    for title, *figures_ in courses:
        rows.append((title, everything, None, *figures_))
        rows.extend((o[0], o[1], o[2], *o[3:]) for o in offerings if o[0] == title)
    return rows


EVALUATION_FIGURES = 10


def evaluation_sheet(rows: list[tuple]) -> Sheet:
    return Sheet(_("Evalueringer"), [
        Column(_("Kurs"), 34), Column(_("Gjennomføring"), 30), Column(_("Måned"), 9),
        Column(_("Svar"), 7, "number"),
        Column(_("Svar ikke tatt med (under fem per gjennomføring)"), 16, "number"),
        Column(_("Relevans (1–5)"), 10, "number"), Column(_("Nytte (1–5)"), 10, "number"),
        Column(_("Undervisning (1–5)"), 12, "number"),
        Column(_("Anbefaling, NPS (−100 til 100)"), 14, "number"),
        Column(_("Oppfølging: svar"), 11, "number"), Column(_("Oppfølging: ja"), 11, "number"),
        Column(_("Oppfølging: delvis"), 11, "number"), Column(_("Oppfølging: nei"), 11, "number"),
    ], rows)


def trend_sheet(trend: parts.Trend) -> Sheet:
    return Sheet(_("Utvikling"), [
        Column(_("Kurs"), 34), Column(_("Måned"), 10), Column(_("Gjennomføringer"), 16, "number"),
    ], ((title, month, values[i]) for _cid, title, values in trend.series
        for i, month in enumerate(trend.months)))


def build(session: Session, user: User, filters: Filters, *, now: datetime) -> Export:
    """Every part, read in the order the sheets come (the per-person table streams)."""
    coverage = parts.coverage(session, user, filters, now=now)
    gaps = parts.gaps(session, user, filters, now=now, limit=None)
    expiring = parts.expiry(session, user, filters, now=now)
    method = parts.methodology(session, user, filters)
    evaluations = evaluation_rows(session, user, filters)
    trend = parts.trend(session, user, filters, now=now)
    sheets = [coverage_sheet(coverage), people_sheet(session, user, filters, now=now),
              gaps_sheet(gaps), expiry_sheet(expiring), methodology_sheet(method),
              *([evaluation_sheet(evaluations)] if evaluations is not None else []),
              trend_sheet(trend)]
    return Export(sheets=sheets, coverage=coverage, trend=trend, people=coverage.people)


def csv_part(session: Session, user: User, filters: Filters, *, now: datetime,
             part: str = "coverage") -> Iterator[bytes]:
    """One part as CSV (a CSV file holds one table): the coverage by default, as the API
    and ``flask report competence --format csv`` give it."""
    if part == "people":
        sheet = people_sheet(session, user, filters, now=now)
    elif part == "gaps":
        sheet = gaps_sheet(parts.gaps(session, user, filters, now=now, limit=None))
    elif part == "expiry":
        sheet = expiry_sheet(parts.expiry(session, user, filters, now=now))
    elif part == "methodology":
        sheet = methodology_sheet(parts.methodology(session, user, filters))
    elif part == "evaluations":
        sheet = evaluation_sheet(evaluation_rows(session, user, filters) or [])
    elif part == "trend":
        sheet = trend_sheet(parts.trend(session, user, filters, now=now))
    else:
        sheet = coverage_sheet(parts.coverage(session, user, filters, now=now))
    return csv_stream([c.title for c in sheet.columns], sheet.rows)


def write_xlsx(target, export: Export) -> None:
    xlsx_write(target, export.sheets)


def people_ids(session: Session, user: User, filters: Filters) -> list[int]:
    """The people a full file names (for the access log's subjects)."""
    return list(session.scalars(
        sa.select(User.id).select_from(User)
        .join(queries.PERSON_UNIT, queries.PERSON_UNIT.id == User.unit_id)
        .where(queries.people_condition(user, filters))))


def describe(filters: Filters, coverage: parts.Coverage) -> str:
    """The filter in words, for the files' title page and first lines."""
    bits = []
    if filters.unit_id is not None and coverage.roots:
        bits.append(_("enhet %(name)s", name=coverage.roots[0].name))
    if filters.level:
        bits.append(_("ledernivå %(level)s", level=_level(filters.level)))
    if filters.course:
        bits.append(_("kurs %(slug)s", slug=filters.course))
    if filters.date_from:
        bits.append(_("gjennomført fra %(date)s", date=format_date(filters.date_from, "short")))
    if filters.date_to:
        bits.append(_("gjennomført til %(date)s", date=format_date(filters.date_to, "short")))
    return ", ".join(bits) if bits else _("ingen (alt du har tilgang til)")


def pdf_bytes(session: Session, user: User, filters: Filters, *, now: datetime) -> bytes:
    coverage = parts.coverage(session, user, filters, now=now)
    trend = parts.trend(session, user, filters, now=now)
    content = report_pdf.PdfContent(
        title=_("Kompetanserapport"),
        scope=_("Enheter: %(units)s", units=", ".join(r.name for r in coverage.roots)
                or "–"),
        filters=describe(filters, coverage),
        extracted=format_datetime(now, "short"),
        coverage=coverage,
        gaps=parts.gaps(session, user, filters, now=now, limit=report_pdf.PDF_ROWS),
        expiry=parts.expiry(session, user, filters, now=now),
        methodology=parts.methodology(session, user, filters),
        evaluations=evaluation_rows(session, user, filters),
        trend=trend,
        coverage_chart=figures.coverage_chart(coverage),
        trend_chart=figures.trend_chart(trend),
    )
    return report_pdf.build_pdf(content)

"""The competence report as a PDF for the city council: a title page with the filter and
the time of extraction, the charts, and tables whose header row repeats on every page;
every page numbered. Takes the assembled parts (plain values) and returns bytes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table

from app.common.charts import Chart
from app.common.pdf import FONT, FONT_BOLD, build_document, register_fonts, table_style
from app.enrolment.labels import STATUS_LABELS
from app.evaluation import figures as evaluation_figures
from app.reports import figures, parts

#: People listed per table in the PDF; the XLSX holds them all.
PDF_ROWS = 200
COURSES_PER_TABLE = 5
PAGE = landscape(A4)
WIDTH = PAGE[0] - 30 * mm


@dataclass(frozen=True)
class PdfContent:
    title: str
    scope: str
    filters: str
    extracted: str
    coverage: parts.Coverage
    gaps: parts.Gaps
    expiry: list[parts.Expiring]
    methodology: list[parts.MethodologyRow]
    #: exports.evaluation_rows: per course and offering; None when the reader does not
    #: see evaluations.
    evaluations: list[tuple] | None
    trend: parts.Trend
    coverage_chart: Chart | None
    trend_chart: Chart | None


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    return {
        "cover": ParagraphStyle("cover", fontName=FONT_BOLD, fontSize=24, leading=30,
                                spaceAfter=12),
        "h1": ParagraphStyle("h1", fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=6,
                             spaceBefore=4),
        "body": ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, spaceAfter=4),
        #: Said where a table stops short of the file's whole content.
        "note": ParagraphStyle("note", fontName=FONT_BOLD, fontSize=10, leading=14,
                               spaceBefore=4, spaceAfter=4),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10),
        "head": ParagraphStyle("head", fontName=FONT_BOLD, fontSize=8, leading=10),
    }


def _p(text, style) -> Paragraph:
    return Paragraph(escape("" if text is None else str(text)), style)


def _date(value) -> str:
    return format_date(value, "short") if value else "–"


def _table(header: Sequence[str], rows: Sequence[Sequence], widths: Sequence[float],
           styles, numeric: Sequence[int] = ()) -> Table:
    data = [[_p(h, styles["head"]) for h in header]]
    data += [[_p(v, styles["cell"]) for v in row] for row in rows]
    extra = [("ALIGN", (i, 0), (i, -1), "RIGHT") for i in numeric]
    return Table(data, colWidths=widths, repeatRows=1, style=table_style(extra))


def _more(story, total: int, styles) -> None:
    if total > PDF_ROWS:
        story.append(_p(_("Viser %(shown)s av %(total)s. Excel-filen har alle.",
                          shown=PDF_ROWS, total=total), styles["note"]))


def _coverage(story, content: PdfContent, styles) -> None:
    coverage = content.coverage
    story.append(_p(_("Dekning av obligatoriske kurs"), styles["h1"]))
    story.append(_p(_("Gjennomført av dem kurset er obligatorisk for (med gyldig kursbevis), "
                      "summert for hver enhet og alt under den. Ordet i cellen sier om "
                      "dekningen er god (minst 90 %), delvis (60–89 %) eller lav."),
                    styles["body"]))
    if content.coverage_chart is not None:
        story.append(content.coverage_chart.drawing())
        story.append(Spacer(1, 4 * mm))
    units = [u for u in coverage.units if u.depth - coverage.roots[0].depth < 2] \
        if coverage.roots else []
    for start in range(0, len(coverage.courses), COURSES_PER_TABLE):
        courses = coverage.courses[start:start + COURSES_PER_TABLE]
        header = [_("Enhet"), _("Personer"), *[title for _id, _slug, title in courses]]
        rows = []
        for unit in units:
            indent = "\u00a0\u00a0\u00a0" * (unit.depth - coverage.roots[0].depth)
            cells = []
            for course_id, _slug, _title in courses:
                c = unit.cell(course_id)
                cells.append(f"{c.completed} / {c.required} ({figures.percent(c.percent)}, "
                             f"{figures.BAND_LABELS[c.band]})" if c.required else "–")
            rows.append([indent + unit.name, unit.people, *cells])
        first = 70 * mm
        rest = (WIDTH - first - 18 * mm) / max(1, len(courses))
        story.append(_table(header, rows, [first, 18 * mm] + [rest] * len(courses), styles,
                            numeric=[1]))
        story.append(Spacer(1, 4 * mm))
    deeper = len(coverage.units) - len(units)
    if deeper:
        story.append(_p(ngettext(
            "Tabellen viser enhetene to nivåer ned; %(num)s enhet under dem står i "
            "Excel-filen.",
            "Tabellen viser enhetene to nivåer ned; %(num)s enheter under dem står i "
            "Excel-filen.", deeper), styles["note"]))


def _offering_cell(gap: parts.Gap) -> str:
    """The offering the person signed up for (and how), else the next one with a seat:
    the same cell as the page's "Påmeldt eller neste ledige plass"."""
    if gap.signed_offering is not None:
        label = STATUS_LABELS.get(gap.signed_status, gap.signed_status)
        when = gap.signed_offering[2]
        return f"{label} {_date(when) if when else gap.signed_offering[1]}"
    if gap.next_offering is not None:
        free = gap.next_offering[3]
        seats = "" if free is None else " (" + ngettext("%(num)s ledig", "%(num)s ledige",
                                                         free) + ")"
        return _date(gap.next_offering[2]) + seats
    return _("Ingen ledig plass planlagt")


def _gaps(story, content: PdfContent, styles) -> None:
    gaps = content.gaps
    story.append(_p(_("Mangler obligatoriske kurs"), styles["h1"]))
    if not gaps.rows:
        story.append(_p(_("Ingen mangler."), styles["body"]))
        return
    rows = [(g.name, g.unit, g.course, _date(g.lack.due),
             g.lack.days(gaps.today) if g.lack.days(gaps.today) is not None else "–",
             _offering_cell(g))
            for g in gaps.rows[:PDF_ROWS]]
    story.append(_table([_("Navn"), _("Enhet"), _("Kurs"), _("Frist"), _("Dager"),
                         _("Påmeldt eller neste ledige plass")], rows,
                        [52 * mm, 50 * mm, 62 * mm, 22 * mm, 15 * mm, WIDTH - 201 * mm],
                        styles, numeric=[4]))
    if gaps.truncated or len(gaps.rows) > PDF_ROWS:
        story.append(_p(_("Viser de første %(shown)s manglene. Excel-filen har alle.",
                          shown=PDF_ROWS), styles["note"]))


def _expiry(story, content: PdfContent, styles) -> None:
    story.append(_p(_("Kursbevis som utløper"), styles["h1"]))
    counts = parts.expiry_counts(content.expiry)
    story.append(_p(", ".join(f"{figures.WINDOW_LABELS[w]}: {counts[w]}"
                              for w in figures.WINDOW_LABELS), styles["body"]))
    if content.expiry:
        rows = [(i.name, i.unit, i.course, _date(i.expires_at),
                 figures.WINDOW_LABELS.get(i.window, i.window))
                for i in content.expiry[:PDF_ROWS]]
        story.append(_table([_("Navn"), _("Enhet"), _("Kurs"), _("Gyldig til"), _("Utløper")],
                            rows, [60 * mm, 60 * mm, 70 * mm, 28 * mm, WIDTH - 218 * mm],
                            styles))
        _more(story, len(content.expiry), styles)


def _methodology(story, content: PdfContent, styles) -> None:
    story.append(_p(_("IT-prosjektledere og samlingene"), styles["h1"]))
    rows = content.methodology
    attended = sum(1 for r in rows if r.last_attended)
    story.append(_p(_("%(attended)s av %(total)s har vært på en prosjektledersamling.",
                      attended=attended, total=len(rows)), styles["body"]))
    if rows:
        data = [(r.name, r.unit, _("Ja") if r.is_project_leader else _("Nei"), r.projects,
                 _date(r.last_attended) if r.last_attended else _("Ikke vært på samling"))
                for r in rows[:PDF_ROWS]]
        story.append(_table([_("Navn"), _("Enhet"), _("IT-prosjektleder"), _("Prosjekter"),
                             _("Sist på samling")], data,
                            [65 * mm, 70 * mm, 32 * mm, 25 * mm, WIDTH - 192 * mm], styles,
                            numeric=[3]))
        _more(story, len(rows), styles)


def _evaluations(story, content: PdfContent, styles) -> None:
    if content.evaluations is None:
        return
    story.append(_p(_("Evalueringer per kurs"), styles["h1"]))
    story.append(_p(_("Snittet av de faste spørsmålene (1–5) og anbefaling (NPS) per kurs. "
                      "Et tall vises bare fra gjennomføringer der minst 5 deltakere har "
                      "svart; Excel-filen har hver gjennomføring."), styles["body"]))
    everything = _("Alle gjennomføringer")
    courses = [r for r in content.evaluations if r[1] == everything]
    if not courses:
        story.append(_p(_("Ingen evalueringssvar ennå."), styles["body"]))
        return
    score, nps = evaluation_figures.score, evaluation_figures.nps
    rows = [(r[0], r[3], r[4], score(r[5]), score(r[6]), score(r[7]), nps(r[8]), r[9])
            for r in courses]
    story.append(_table([_("Kurs"), _("Svar"), _("Ikke tatt med"), _("Relevans"), _("Nytte"),
                         _("Undervisning"), _("NPS"), _("Oppfølging: svar")], rows,
                        [WIDTH - 7 * 25 * mm] + [25 * mm] * 7, styles,
                        numeric=range(1, 8)))


def _trend(story, content: PdfContent, styles) -> None:
    story.append(_p(_("Gjennomføringer over tid"), styles["h1"]))
    chart = content.trend_chart
    if chart is None:
        story.append(_p(_("Ingen gjennomføringer de siste 24 månedene."), styles["body"]))
        return
    story.append(chart.drawing())
    table = chart.table()
    width = (WIDTH - 40 * mm) / max(1, len(table.headers) - 1)
    story.append(Spacer(1, 3 * mm))
    story.append(_table(table.headers, table.rows, [40 * mm] + [width] * (len(table.headers) - 1),
                        styles, numeric=range(1, len(table.headers))))


def build_pdf(content: PdfContent) -> bytes:
    styles = _styles()
    story = [
        Spacer(1, 30 * mm),
        _p(content.title, styles["cover"]),
        _p(content.scope, styles["body"]),
        _p(_("Filter: %(filters)s", filters=content.filters), styles["body"]),
        _p(_("Hentet ut %(when)s", when=content.extracted), styles["body"]),
        Spacer(1, 8 * mm),
        _p(_("Innhold: dekning av obligatoriske kurs, mangler, kursbevis som utløper, "
             "IT-prosjektledere og samlingene, evalueringer (for HR), gjennomføringer over "
             "tid."), styles["body"]),
        _p(_("Rapporten inneholder personopplysninger. Del den bare med dem som trenger den, "
             "og slett den når den ikke lenger trengs."), styles["body"]),
        PageBreak(),
    ]
    for section in (_coverage, _gaps, _expiry, _methodology, _evaluations, _trend):
        before = len(story)
        section(story, content, styles)
        if len(story) > before:
            story.append(PageBreak())
    story.pop()
    footer = f"{content.title} · {content.extracted}"
    return build_document(story, pagesize=PAGE, footer=footer, title=content.title)

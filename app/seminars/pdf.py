"""PDF builders for organisers: the sign-in sheet of a session, the attendance summary of a
seminar, and the diet and accessibility list. They take plain values and return bytes.

DejaVu Sans prints every Norwegian and Sámi letter (Helvetica shows č đ ŋ ŧ as boxes);
all user text is escaped before reportlab's Paragraph parses its mini-markup. Tables
repeat their header row on every page, and every page says "page X of Y".
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.common.pdf import FONT, FONT_BOLD, register_fonts


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    return {
        "title": ParagraphStyle("title", fontName=FONT_BOLD, fontSize=16, leading=20,
                                spaceAfter=4),
        "meta": ParagraphStyle("meta", fontName=FONT, fontSize=10, leading=13),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11),
        "head": ParagraphStyle("head", fontName=FONT_BOLD, fontSize=9, leading=11),
    }


def _p(text: str | None, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text or ""), style)


def _fit(text: str, width: float, size: float) -> str:
    """``text`` shortened with an ellipsis until it fits ``width`` points."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _numbered_canvas(footer: str):
    """A canvas that writes "footer – page X of Y" on every page once the total is known."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802  (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                width, _height = self._pagesize
                self.setFont(FONT, 8)
                self.setFillColor(colors.HexColor("#4b5563"))
                page = _("Side %(page)s av %(total)s", page=self._pageNumber, total=total)
                room = width - 30 * mm - pdfmetrics.stringWidth(page, FONT, 8) - 6 * mm
                self.drawString(15 * mm, 10 * mm, _fit(footer, room, 8))
                self.drawRightString(width - 15 * mm, 10 * mm, page)
                super().showPage()
            super().save()

    return NumberedCanvas


def _table_style(extra: Sequence = ()) -> TableStyle:
    return TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6eef8")),
        ("LINEBELOW", (0, 0), (-1, 0), 1, colors.HexColor("#1e2b3c")),
        ("GRID", (0, 1), (-1, -1), 0.4, colors.HexColor("#8a939e")),
        ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#1e2b3c")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *extra,
    ])


def _build(story: list, *, pagesize, footer: str, title: str) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=15 * mm,
                            rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=18 * mm,
                            title=title, author="kurs")
    doc.build(story, canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()


@dataclass
class SheetPerson:
    name: str
    #: Unit, or organisation for people from outside.
    detail: str


def signin_sheet(*, seminar: str, session_title: str, when: str, room: str | None,
                 speaker: str | None, people: Sequence[SheetPerson],
                 blank_rows: int = 8) -> bytes:
    """The sheet participants sign at the door: one numbered row each, plus blank rows for
    walk-ins."""
    s = _styles()
    meta = [when] + [x for x in (room and _("Rom: %(room)s", room=room),
                                 speaker and _("Foredragsholder: %(name)s", name=speaker)) if x]
    story = [
        _p(_("Signaturliste"), s["title"]),
        _p(seminar, s["meta"]),
        _p(session_title, ParagraphStyle("session", parent=s["meta"], fontName=FONT_BOLD)),
        *[_p(line, s["meta"]) for line in meta],
        Spacer(1, 5 * mm),
    ]
    rows = [[_p(_("Nr."), s["head"]), _p(_("Navn"), s["head"]),
             _p(_("Enhet / organisasjon"), s["head"]), _p(_("Signatur"), s["head"])]]
    rows += [[str(i), _p(p.name, s["cell"]), _p(p.detail, s["cell"]), ""]
             for i, p in enumerate(people, start=1)]
    rows += [[str(len(people) + i), "", "", ""] for i in range(1, blank_rows + 1)]
    widths = [12 * mm, 60 * mm, 58 * mm, 50 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1,
                  rowHeights=[None] + [9 * mm] * (len(rows) - 1))
    table.setStyle(_table_style([("ALIGN", (0, 1), (0, -1), "RIGHT")]))
    story.append(table)
    return _build(story, pagesize=A4, footer=f"{seminar} – {session_title} – {when}",
                  title=_("Signaturliste") + f" – {session_title}")


@dataclass
class SummaryRow:
    name: str
    detail: str
    #: One short status code per session ("" when not marked).
    cells: Sequence[str]
    percent: int | None
    meets_rule: bool | None


def attendance_summary(*, seminar: str, period: str, sessions: Sequence[str],
                       rows: Sequence[SummaryRow], legend: str) -> bytes:
    """Everyone × every session on landscape pages, with attendance % and the rule."""
    s = _styles()
    story = [
        _p(_("Oppmøteoversikt"), s["title"]),
        _p(seminar, s["meta"]),
        _p(period, s["meta"]),
        *[_p(f"{i}. {label}", s["meta"]) for i, label in enumerate(sessions, start=1)],
        _p(legend, s["meta"]),
        Spacer(1, 4 * mm),
    ]
    yes_no = {True: _("Ja"), False: _("Nei"), None: "–"}
    head = [_p(_("Navn"), s["head"]), _p(_("Enhet / organisasjon"), s["head"])]
    head += [_p(str(i), s["head"]) for i in range(1, len(sessions) + 1)]
    head += [_p(_("Oppmøte"), s["head"]), _p(_("Oppfyller kravet"), s["head"])]
    table_rows = [head] + [
        [_p(r.name, s["cell"]), _p(r.detail, s["cell"]), *r.cells,
         "–" if r.percent is None else f"{r.percent} %", yes_no[r.meets_rule]]
        for r in rows
    ]
    fixed = 62 * mm + 58 * mm + 22 * mm + 28 * mm
    column = max(9 * mm, min(18 * mm, (landscape(A4)[0] - 30 * mm - fixed) / max(len(sessions), 1)))
    widths = [62 * mm, 58 * mm] + [column] * len(sessions) + [22 * mm, 28 * mm]
    table = Table(table_rows, colWidths=widths, repeatRows=1)
    table.setStyle(_table_style([("ALIGN", (2, 1), (-1, -1), "CENTER")]))
    story.append(table)
    return _build(story, pagesize=landscape(A4), footer=f"{seminar} – {period}",
                  title=_("Oppmøteoversikt") + f" – {seminar}")


@dataclass
class NeedsRow:
    name: str
    detail: str
    answers: Sequence[str | None]


def needs_list(*, seminar: str, period: str, questions: Sequence[str],
               rows: Sequence[NeedsRow]) -> bytes:
    """The organisers' list of diet, allergies, accessibility needs and the free question."""
    s = _styles()
    story = [
        _p(_("Kost og tilrettelegging"), s["title"]),
        _p(seminar, s["meta"]),
        _p(period, s["meta"]),
        _p(_("Fortrolig: helseopplysninger. Bare for arrangørene; slettes etter samlingen."),
           s["meta"]),
        Spacer(1, 4 * mm),
    ]
    head = [_p(_("Navn"), s["head"]), _p(_("Enhet / organisasjon"), s["head"])]
    head += [_p(q, s["head"]) for q in questions]
    table_rows = [head] + [
        [_p(r.name, s["cell"]), _p(r.detail, s["cell"]), *[_p(a, s["cell"]) for a in r.answers]]
        for r in rows
    ]
    free = (landscape(A4)[0] - 30 * mm - 100 * mm) / max(len(questions), 1)
    table = Table(table_rows, colWidths=[50 * mm, 50 * mm] + [free] * len(questions),
                  repeatRows=1)
    table.setStyle(_table_style([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(table)
    return _build(story, pagesize=landscape(A4), footer=f"{seminar} – {period}",
                  title=_("Kost og tilrettelegging") + f" – {seminar}")

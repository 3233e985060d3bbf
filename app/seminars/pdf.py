"""PDF builders for organisers: the sign-in sheet of a session, the attendance summary of a
seminar, and the diet and accessibility list. They take plain values and return bytes.

DejaVu Sans prints every Norwegian and Sámi letter (Helvetica shows č đ ŋ ŧ as boxes);
all user text is escaped before reportlab's Paragraph parses its mini-markup. Tables
repeat their header row on every page, and every page says "page X of Y".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from app.common.pdf import FONT, FONT_BOLD, register_fonts
from app.common.pdf import build_document as _build
from app.common.pdf import table_style as _table_style


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
    # The attendance column fits "Attendance" and "Oppmøte" on one line.
    fixed = 60 * mm + 56 * mm + 26 * mm + 28 * mm
    column = max(9 * mm, min(18 * mm, (landscape(A4)[0] - 30 * mm - fixed) / max(len(sessions), 1)))
    widths = [60 * mm, 56 * mm] + [column] * len(sessions) + [26 * mm, 28 * mm]
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

"""What every PDF builder shares: the DejaVu fonts (every Norwegian and Sámi letter).

Registering parses the TrueType files, which costs more than a page, so it happens once
per process. Builders use ``FONT`` and ``FONT_BOLD``; only the faces a document uses are
embedded in it. ``build_document`` lays out a story on pages that say "page X of Y" with
a footer; ``table_style`` is the tables' common look (header row shaded, grid).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import SimpleDocTemplate, TableStyle

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"


@cache
def register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                  boldItalic=FONT_BOLD)


def fit(text: str, width: float, size: float) -> str:
    """``text`` shortened with an ellipsis until it fits ``width`` points."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def numbered_canvas(footer: str):
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
                self.drawString(15 * mm, 10 * mm, fit(footer, room, 8))
                self.drawRightString(width - 15 * mm, 10 * mm, page)
                super().showPage()
            super().save()

    return NumberedCanvas


def table_style(extra: Sequence = ()) -> TableStyle:
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


def build_document(story: list, *, pagesize, footer: str, title: str) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=15 * mm,
                            rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=18 * mm,
                            title=title, author="kurs")
    doc.build(story, canvasmaker=numbered_canvas(footer))
    return buffer.getvalue()

"""The certificate PDF: A4 landscape, DejaVu fonts, a QR code to the verification page.

``build_certificate_pdf`` is a pure function from the texts to bytes. It draws on the
canvas directly (no Paragraph markup), so a name such as ``<b>&Ø`` prints literally. The QR
code is drawn from segno's matrix (computed faster to the same modules, app/certificates/qr.py)
as one path of filled runs: reportlab's own encoder would cost about 30 times a bare page
(docs/performance.md).
"""

from __future__ import annotations

import io
import threading
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfgen import canvas

from app.certificates.qr import qr_runs
from app.common.pdf import FONT, register_fonts

INK = Color(0.12, 0.17, 0.24)
ACCENT = Color(0.0, 0.38, 0.73)
SUBTLE = Color(0.29, 0.33, 0.39)
PAGE = landscape(A4)


@dataclass(frozen=True)
class CertificateContent:
    """Every text on the certificate, already in the person's language."""

    title: str
    lead: str
    person_name: str
    completed_text: str
    course_title: str
    #: (label, value) pairs in the facts row: date, hours, issuer, valid until, serial.
    facts: tuple[tuple[str, str], ...]
    verify_text: str
    verify_url: str
    issuer_name: str
    language: str = "nb"


# One face only: every embedded face costs about five bare pages (its subset and tables are
# written into each PDF), so headings are emboldened by stroking the glyph outlines
# (``_text(..., bold=True)``) instead of embedding DejaVu Sans Bold as well.


def _text(c: canvas.Canvas, x: float, y: float, text: str, size: float, colour: Color, *,
          bold: bool = False, centred: bool = False) -> None:
    c.setFont(FONT, size)
    c.setFillColor(colour)
    if bold:
        c.setStrokeColor(colour)
        c.setLineWidth(size / 28)
    # Render mode 2 fills, then strokes the outline: a heavier weight from the one face.
    draw = c.drawCentredString if centred else c.drawString
    draw(x, y, text, mode=2 if bold else 0)


def draw_qr(c: canvas.Canvas, url: str, x: float, y: float, size: float) -> None:
    modules, runs = qr_runs(url)
    cell = size / modules
    c.saveState()
    # One module is one unit, row 0 at the top: the runs become small integer rectangles,
    # written as literal path operators (formatting thousands of floats through reportlab's
    # path object would cost more than the rest of the page).
    c.transform(cell, 0, 0, -cell, x, y + size)
    ops = " ".join(f"{col} {row} {length} 1 re" for row, col, length in runs)
    c.addLiteral(f"0 g {ops} f")
    c.restoreState()


def _fit(text: str, size: float, width: float, smallest: float) -> float:
    while size > smallest and pdfmetrics.stringWidth(text, FONT, size) > width:
        size -= 1
    return size


class _FontSubset(bytes):
    """A font subset as reportlab embeds it, with its FlateDecode form once made."""

    compressed: bytes | None = None


@lru_cache(maxsize=32)
def _font_subset(face, codes: tuple[int, ...]) -> _FontSubset:
    return _FontSubset(ttfonts.TTFontFile.makeSubset(face, list(codes)))


class _FastFlate(pdfdoc.PDFStreamFilterZCompress):
    """FlateDecode at zlib level 1: the same pixels, a file about 5 % larger, and an eighth
    of the certificate's time saved (level 6 spent it on the embedded font subset)."""

    def encode(self, text):
        if isinstance(text, _FontSubset):
            if text.compressed is None:
                text.compressed = zlib.compress(text, 1)
            return text.compressed
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, 1)


_FAST_FLATE = _FastFlate()
_DRAWING = threading.Lock()


@contextmanager
def _certificate_writing():
    """Level 1 compression, and the font subset made and compressed once for all the
    certificates that use the same letters.

    The subset holds the whole ASCII block and the other letters of the page in the order
    they first occur ("ø", "å", "–", a name's "æ" or "Á"), so most certificates embed the
    very same bytes: making and compressing them took over a quarter of a certificate's
    time. The swaps are globals that reportlab reads while it writes the document, so
    certificates are drawn one at a time: one caught half-way by another thread's restore
    would get bytes that a redraw does not reproduce.
    """
    face = pdfmetrics.getFont(FONT).face
    with _DRAWING:
        original = pdfdoc.PDFZCompress
        pdfdoc.PDFZCompress = _FAST_FLATE
        face.makeSubset = lambda subset: _font_subset(face, tuple(subset))
        try:
            yield
        finally:
            del face.makeSubset
            pdfdoc.PDFZCompress = original


def build_certificate_pdf(content: CertificateContent) -> bytes:
    register_fonts()
    with _certificate_writing():
        return _build(content)


def _build(content: CertificateContent) -> bytes:
    buffer = io.BytesIO()
    width, height = PAGE
    c = canvas.Canvas(buffer, pagesize=PAGE, pageCompression=1, invariant=1,
                      lang=content.language)
    c.setTitle(f"{content.title} – {content.person_name}")
    c.setAuthor(content.issuer_name)
    c.setSubject(content.course_title)

    # Frame: a thick accent border and a thin inner line.
    c.setStrokeColor(ACCENT)
    c.setLineWidth(6)
    c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    c.setLineWidth(0.8)
    c.rect(17 * mm, 17 * mm, width - 34 * mm, height - 34 * mm)

    centre = width / 2
    text_width = width - 70 * mm
    _text(c, centre, height - 48 * mm, content.title.upper(), 34, ACCENT, bold=True,
          centred=True)
    _text(c, centre, height - 62 * mm, content.lead, 14, SUBTLE, centred=True)
    size = _fit(content.person_name, 30, text_width, 14)
    _text(c, centre, height - 80 * mm, content.person_name, size, INK, bold=True,
          centred=True)
    _text(c, centre, height - 94 * mm, content.completed_text, 14, SUBTLE, centred=True)
    top = height - 108 * mm
    for i, line in enumerate(simpleSplit(content.course_title, FONT, 22, text_width)[:3]):
        _text(c, centre, top - i * 9 * mm, line, 22, INK, bold=True, centred=True)

    # The facts row: label above value, each column as wide as its longer text.
    qr_size = 36 * mm
    left = 30 * mm
    room = width - 2 * left - qr_size - 8 * mm
    widths = [max(pdfmetrics.stringWidth(label, FONT, 9), pdfmetrics.stringWidth(value, FONT, 11))
              for label, value in content.facts]
    gap = max((room - sum(widths)) / max(len(widths) - 1, 1), 4 * mm)
    scale = min(1.0, room / (sum(widths) + gap * (len(widths) - 1))) if widths else 1.0
    x, base = left, 44 * mm
    for (label, value), w in zip(content.facts, widths, strict=True):
        _text(c, x, base + 6 * mm, label, 9 * scale, SUBTLE)
        _text(c, x, base, value, 11 * scale, INK, bold=True)
        x += (w + gap) * scale

    qr_x = width - left - qr_size
    draw_qr(c, content.verify_url, qr_x, 26 * mm, qr_size)
    _text(c, left, 30 * mm, content.verify_text, 8, SUBTLE)
    _text(c, left, 26 * mm, content.verify_url, 8, SUBTLE)
    c.linkURL(content.verify_url, (qr_x, 26 * mm, qr_x + qr_size, 26 * mm + qr_size))

    c.showPage()
    c.save()
    return buffer.getvalue()

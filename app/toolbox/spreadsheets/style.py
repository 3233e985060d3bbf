"""What both spreadsheet templates share: styles, the guide sheet and deterministic
writing (fixed dates and zip timestamps, so that the same code gives the same bytes)."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.writer.excel import ExcelWriter

#: Fixed, so that building twice gives the same bytes.
BUILT_AT = datetime(2026, 1, 1, 0, 0, 0)

INPUT = PatternFill("solid", fgColor="FFF2CC")
FORMULA = PatternFill("solid", fgColor="F2F2F2")
HEADER = PatternFill("solid", fgColor="1E3A5F")
SECTION = PatternFill("solid", fgColor="DCE6F1")
GOOD = (PatternFill("solid", fgColor="C6EFCE"), Font(color="006100", bold=True))
NEUTRAL = (PatternFill("solid", fgColor="FFEB9C"), Font(color="7A4A00", bold=True))
BAD = (PatternFill("solid", fgColor="FFC7CE"), Font(color="9C0006", bold=True))
WHITE_BOLD = Font(color="FFFFFF", bold=True)
TITLE = Font(size=16, bold=True, color="1E3A5F")
THIN = Border(*(Side(style="thin", color="BFBFBF"),) * 4)
WRAP = Alignment(wrap_text=True, vertical="top")
KRONER = "#,##0"


def guide_sheet(wb: Workbook, title: str, paragraphs: list[str]) -> None:
    ws = wb.active
    ws.title = "Veiledning"
    ws.column_dimensions["A"].width = 110
    ws["A1"] = title
    ws["A1"].font = TITLE
    for row, text in enumerate(paragraphs, start=3):
        cell = ws.cell(row=row, column=1, value=text)
        cell.alignment = WRAP
        if text.endswith(":") or text.isupper():
            cell.font = Font(bold=True)


def to_bytes(wb: Workbook) -> bytes:
    """The workbook as XLSX bytes that depend only on its content (fixed dates and zip
    timestamps), so that the committed templates can be checked against the code."""
    wb.properties.creator = "Trondheim kommune, IT-tjenesten"
    wb.properties.created = BUILT_AT
    wb.properties.modified = BUILT_AT
    wb.properties.lastModifiedBy = "kurs"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=BUILT_AT.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()

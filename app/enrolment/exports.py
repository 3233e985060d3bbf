"""The participant list as CSV and XLSX bytes (builders that know nothing of HTTP).

Cells that a spreadsheet would read as a formula (= + - @, and tab or carriage return in
front) are prefixed with an apostrophe, so a name like ``=HYPERLINK(…)`` stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from app.common.spreadsheet import neutralise

OSLO = ZoneInfo("Europe/Oslo")


def _local(value):
    if isinstance(value, datetime):
        return value.astimezone(OSLO).replace(tzinfo=None)
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """Semicolon-separated UTF-8 with a byte order mark: what Excel in Norway opens
    correctly with a double click."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([
            _local(v).strftime("%d.%m.%Y %H:%M") if isinstance(v, datetime)
            else neutralise("" if v is None else str(v))
            for v in row
        ])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence], *, title: str) -> bytes:
    # openpyxl (about 6 MB in every web worker) is loaded by the first download.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([neutralise(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(_local(v)) for v in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, datetime):
                cell.number_format = "DD.MM.YYYY HH:MM"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 50)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

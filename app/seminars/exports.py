"""CSV and XLSX files of the attendance reports.

CSV is written the way Excel in a Norwegian locale opens it: UTF-8 with a BOM, ``;`` as
the separator. In both formats a cell that starts with = + - @ (or a tab or carriage
return) is prefixed with an apostrophe, so a name like ``=HYPERLINK(…)`` stays text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value that no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(str(h)) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    workbook = Workbook(write_only=True)
    # Excel refuses these characters in sheet names, and names over 31 characters.
    sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Rapport")
    sheet.freeze_panes = "A2"
    sheet.append([neutralise(str(h)) for h in header])
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

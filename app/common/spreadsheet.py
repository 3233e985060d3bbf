"""CSV and XLSX written from streams of tuples, for exports of any size.

- ``neutralise``: a text cell that a spreadsheet would run as a formula (it starts with
  = + - @, or a tab or carriage return) gets an apostrophe in front, so it stays text.
- CSV is UTF-8 with a byte order mark and ``;`` between fields: what Norwegian Excel opens
  right with a double click. Dates as dd.mm.yyyy, decimals with a comma.
- XLSX uses openpyxl's write-only mode (rows go straight to the file, memory stays flat):
  a bold, frozen header row, an autofilter, column widths, real date cells, decimals shown
  with one digit. ``fitted_sheet`` sizes the columns of a small table held in memory.

Every export of the product (reports, participant lists, attendance, evaluations) writes
through here, so a cell is neutralised the same way everywhere.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value that no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def local(value):
    """Timestamps in Oslo time without a zone (spreadsheets have none)."""
    if isinstance(value, datetime):
        return value.astimezone(OSLO).replace(tzinfo=None) if value.tzinfo else value
    return value


def _day(value: date) -> str:
    # An f-string: strftime costs a third of a 100,000-row export.
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def csv_cell(value) -> str:
    kind = type(value)
    if kind is str:
        return "'" + value if value.startswith(FORMULA_START) else value
    if value is None:
        return ""
    if kind is datetime:
        return _day(value.astimezone(OSLO) if value.tzinfo else value)
    if kind is date:
        return _day(value)
    if kind is bool:
        return "ja" if value else "nei"
    if kind is float:
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, str):  # a str subclass, e.g. a lazily translated text
        return csv_cell(str(value))
    return str(value)


class _Line:
    """A file-like that hands back what csv.writer wrote, one row at a time."""

    def __init__(self):
        self.value = ""

    def write(self, text: str) -> None:
        self.value = text


def csv_stream(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """The CSV as chunks of bytes (for a streamed response or a file)."""
    line = _Line()
    writer = csv.writer(line, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in header])
    yield ("\ufeff" + line.value).encode("utf-8")
    buffer = io.StringIO()
    out = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for count, row in enumerate(rows, start=1):
        out.writerow([csv_cell(v) for v in row])
        if count % 2000 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    return b"".join(csv_stream(header, rows))


@dataclass(frozen=True)
class Column:
    title: str
    #: Width in characters.
    width: int = 14
    #: "date" (a real date cell), "decimal" (shown with one digit), "text", "number" or
    #: "percent".
    kind: str = "text"


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]


DATE_FORMAT = "DD.MM.YYYY"
DECIMAL_FORMAT = "0.0"
_NOT_IN_SHEET_TITLES = re.compile(r"[\[\]:*?/\\]")


def sheet_title(title: str) -> str:
    """A sheet name Excel accepts: none of ``[]:*?/\\`` and at most 31 characters."""
    return _NOT_IN_SHEET_TITLES.sub(" ", str(title))[:31] or "Ark"


def fitted_sheet(title: str, header: Sequence[str], rows: Iterable[Sequence]) -> Sheet:
    """A sheet of a small table held in memory: each column as wide as its longest text
    (8 to 60 characters), a column with decimals shown with one digit."""
    rows = [list(row) for row in rows]
    columns = []
    for index, name in enumerate(header):
        values = [row[index] for row in rows]
        width = max([len(str(name)), *(len(str(v)) for v in values if v is not None)])
        kind = "decimal" if any(type(v) is float for v in values) else "text"
        columns.append(Column(str(name), width=min(max(width + 2, 8), 60), kind=kind))
    return Sheet(title, columns, rows)


def xlsx_write(target, sheets: Iterable[Sheet]) -> None:
    """Write the workbook to ``target`` (a path or a binary file object), one sheet each."""
    # openpyxl (about 6 MB in every web worker) is loaded by the first download.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = workbook.create_sheet(title=sheet_title(sheet.title))
        for index, column in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        ws.freeze_panes = "A2"
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(ws, value=neutralise(column.title))
            cell.font = bold
            header.append(cell)
        ws.append(header)
        kinds = [c.kind for c in sheet.columns]
        dated = [i for i, k in enumerate(kinds) if k == "date"]
        decimal = [i for i, k in enumerate(kinds) if k == "decimal"]
        count = 0
        for row in sheet.rows:
            values = [neutralise(v) if isinstance(v, str) else v for v in row]
            for i in dated:
                value = values[i]
                if value is not None:
                    if isinstance(value, datetime):
                        value = local(value).date()
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = DATE_FORMAT
                    values[i] = cell
            for i in decimal:
                if values[i] is not None:
                    cell = WriteOnlyCell(ws, value=values[i])
                    cell.number_format = DECIMAL_FORMAT
                    values[i] = cell
            ws.append(values)
            count += 1
        last = get_column_letter(len(sheet.columns))
        ws.auto_filter.ref = f"A1:{last}{count + 1}"
    workbook.save(target)


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    buffer = io.BytesIO()
    xlsx_write(buffer, sheets)
    return buffer.getvalue()

"""The one CSV and XLSX writer every export goes through."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from app.common import spreadsheet


def test_cells_that_start_like_a_formula_are_neutralised():
    assert spreadsheet.neutralise('=HYPERLINK("http://x")') == "'=HYPERLINK(\"http://x\")"
    for start in "=+-@\t\r":
        assert spreadsheet.neutralise(start + "1") == "'" + start + "1"
    assert spreadsheet.neutralise("Kari") == "Kari"
    assert spreadsheet.neutralise(-5) == -5  # numbers stay numbers


def test_csv_opens_as_columns_in_norwegian_excel():
    data = spreadsheet.csv_bytes(
        ["Navn", "Oppmøte %", "Snitt", "Fullført", "Bestått"],
        [["=1+1", 50, 4.25, date(2026, 11, 3), True],
         ["Áile Hætta", None, None, datetime(2026, 11, 29, 23, 30, tzinfo=UTC), False]])
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").splitlines() == [
        "Navn;Oppmøte %;Snitt;Fullført;Bestått",
        "'=1+1;50;4,2;03.11.2026;ja",
        "Áile Hætta;;;30.11.2026;nei",  # midnight past in Oslo: the next day there
    ]


def test_a_fitted_sheet_keeps_text_as_text_and_numbers_as_numbers():
    header = ["Navn", "Oppmøte %", "Snitt"]
    rows = [["=1+1", 50, 4.25], ["Áile Hætta med et svært langt navn" * 3, None, 3.0]]
    book = load_workbook(io.BytesIO(spreadsheet.xlsx_bytes(
        [spreadsheet.fitted_sheet("Oppmøte: [vår]", header, rows)])))
    sheet = book.active
    assert sheet.title == "Oppmøte   vår "  # Excel refuses : [ ] in sheet names
    assert [c.value for c in sheet[1]] == header and sheet["A1"].font.b
    assert [c.value for c in sheet[2]] == ["'=1+1", 50, 4.25]
    assert sheet["C2"].number_format == "0.0" and sheet["B2"].number_format == "General"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:C3"
    assert sheet.column_dimensions["A"].width == 60  # the longest name, capped
    assert sheet.column_dimensions["B"].width == 11  # the header's length and two


def test_sheet_titles_excel_would_refuse_are_made_acceptable():
    assert spreadsheet.sheet_title("Kurs/Samlinger?*") == "Kurs Samlinger  "
    assert len(spreadsheet.sheet_title("x" * 40)) == 31
    assert spreadsheet.sheet_title("") == "Ark"

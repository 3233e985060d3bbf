"""Issue 8's "done when" in a browser: HR reads coverage for a sector, drills into a unit,
downloads the XLSX and the PDF and they open; a leader sees only their own unit; someone
without a report role gets 403."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.e2e.test_journeys import assert_accessible, log_in

SECTOR, UNIT = "Helse og velferd", "Hjemmetjenesten Lerkendal"


def _download(page: Page, name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    with open(info.value.path(), "rb") as f:
        return f.read()


@pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
                    reason="poppler-utils is not installed")
def test_hr_drills_from_a_sector_to_a_unit_and_downloads_the_files(page: Page, live_server,
                                                                  tmp_path):
    log_in(page, live_server, "hr@trondheim.example")
    page.get_by_role("link", name="Kompetanserapporter").first.click()
    page.get_by_role("link", name="Dekning", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dekning av obligatoriske kurs")
    assert_accessible(page)
    page.get_by_role("link", name=SECTOR, exact=True).click()
    rows = page.locator("table.coverage-matrix tbody th[scope=row]")
    expect(rows.first).to_contain_text(SECTOR)
    page.get_by_role("link", name=UNIT, exact=True).click()
    expect(rows.first).to_contain_text(UNIT)
    expect(page.locator("table.coverage-matrix")).not_to_contain_text(SECTOR)
    # A number leads to the people behind it.
    page.locator("table.coverage-matrix tbody td a").first.click()
    expect(page.locator("main table")).to_contain_text(UNIT)
    page.go_back()

    book = load_workbook(io.BytesIO(_download(page, "Last ned Excel (XLSX)")))
    assert book.sheetnames[:5] == ["Dekning", "Personer", "Mangler", "Utløp", "Metodikk"]
    assert book["Dekning"]["A2"].value == UNIT and book["Dekning"].freeze_panes == "A2"

    pdf = _download(page, "Last ned PDF")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    assert "Kompetanserapport" in text and f"enhet {UNIT}" in text
    pages = text.count("\f")
    assert f"Side {pages} av {pages}" in text
    (tmp_path / "r.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(tmp_path / "r.pdf"),
                    str(tmp_path / "p")], check=True)
    assert len(list(tmp_path.glob("p-*.png"))) == pages


def test_a_leader_sees_only_their_unit_and_an_editor_gets_403(page: Page, live_server):
    log_in(page, live_server, "leder@trondheim.example")
    page.goto(live_server + "/rapporter/dekning")
    rows = page.locator("table.coverage-matrix tbody th[scope=row]")
    expect(rows.first).to_contain_text(UNIT)
    expect(page.locator("table.coverage-matrix")).not_to_contain_text(SECTOR)
    page.get_by_role("button", name="Logg ut").click()
    log_in(page, live_server, "redaktor@trondheim.example")
    response = page.goto(live_server + "/rapporter/dekning")
    assert response is not None and response.status == 403

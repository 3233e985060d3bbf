"""The report as files: CSV for Norwegian Excel, an XLSX with one sheet per part that
openpyxl reads back, a PDF that pdftotext reads back; formulas neutralised."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.common.spreadsheet import Column, Sheet, csv_bytes, neutralise, xlsx_bytes
from app.orm import utcnow
from app.privacy.models import AccessLog
from app.reports.scope import OSLO
from tests.enrolment.builders import make_enrolment, make_offering
from tests.evaluation import builders as evaluation_builders
from tests.factories import make_unit, make_user
from tests.reports.builders import complete, make_world


def test_cells_that_start_a_formula_stay_text():
    assert [neutralise(v) for v in ("=SUM(A1)", "+1", "-2", "@x", "\tx", "ok", 3)] == [
        "'=SUM(A1)", "'+1", "'-2", "'@x", "'\tx", "ok", 3]
    data = csv_bytes(["Navn"], [["=HYPERLINK(\"x\")"], [None], [date(2026, 3, 1)]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == [
        "Navn", "\"'=HYPERLINK(\"\"x\"\")\"", '""', "01.03.2026"]


def test_xlsx_sheets_have_a_frozen_header_a_filter_widths_and_real_dates():
    data = xlsx_bytes([Sheet("Del", [Column("Navn", 30), Column("Dato", 12, "date")],
                             iter([("=1+1", datetime(2026, 3, 1, 23, 30,
                                                     tzinfo=datetime.now().astimezone().tzinfo)),
                                   ("Åse", None)]))])
    sheet = load_workbook(io.BytesIO(data))["Del"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B3"
    assert sheet.column_dimensions["A"].width == 30
    assert sheet["A1"].font.bold
    assert sheet["A2"].value == "'=1+1"
    assert isinstance(sheet["B2"].value, datetime) and sheet["B2"].number_format == "DD.MM.YYYY"


def _world_with_history(session):
    world = make_world(session)
    complete(session, world.leaders[1], world.course, at=utcnow() - timedelta(days=40),
             expires=utcnow() + timedelta(days=20))
    make_user(session, unit=world.units[0], leader_level="forstelinjeleder",
              name="=cmd|' /C calc'!A0")
    return world


def test_hr_downloads_an_xlsx_with_one_sheet_per_part(session, client, login_as):
    world = _world_with_history(session)
    login_as(world.hr)
    response = client.get("/rapporter/eksport.xlsx")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Dekning", "Personer", "Mangler", "Utløp", "Metodikk",
                               "Evalueringer", "Utvikling"]
    coverage = [row for row in book["Dekning"].iter_rows(values_only=True)]
    assert coverage[0][:4] == ("Enhet", "Enhetskode", "Nivå", "Kurs")
    assert ("Helse og velferd", "IT i hverdagen", 4, 1) in [
        (r[0], r[3], r[4], r[5]) for r in coverage[1:]]
    people = list(book["Personer"].iter_rows(values_only=True))
    assert len(people) == 1 + 4  # four leaders are required to take the course
    assert any(r[1] == "'=cmd|' /C calc'!A0" for r in people)
    done = next(r for r in people if r[1] == "Leder 1")
    assert done[6] == "Gjennomført" and isinstance(done[7], datetime)
    assert book["Personer"].freeze_panes == "A2"
    expiry = list(book["Utløp"].iter_rows(values_only=True))
    assert expiry[1][0] == "Leder 1"
    log = session.scalars(sa.select(AccessLog).order_by(AccessLog.id.desc())).first()
    assert log.kind == "reports.export.xlsx" and log.row_count == 9


def test_csv_is_the_coverage_for_norwegian_excel(session, client, login_as):
    world = _world_with_history(session)
    login_as(world.hr)
    response = client.get("/rapporter/eksport.csv")
    assert response.mimetype == "text/csv"
    text = response.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Enhet;Enhetskode;Nivå;Kurs;")
    assert "Helse og velferd;" in text
    gaps = client.get("/rapporter/eksport.csv?del=gaps").data.decode("utf-8-sig")
    assert gaps.splitlines()[0].startswith("Navn;E-post;Enhet;Kurs;Frist")
    assert "'=cmd|' /C calc'!A0" in gaps


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_pdf_has_a_title_page_the_filter_charts_tables_and_page_numbers(session, client,
                                                                            login_as):
    world = _world_with_history(session)
    login_as(world.hr)
    response = client.get("/rapporter/eksport.pdf?niva=mellomleder")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.data,
                          capture_output=True, check=True).stdout.decode()
    assert "Kompetanserapport" in text
    assert "Filter: ledernivå Mellomleder" in text and "Hentet ut" in text
    assert "Dekning av obligatoriske kurs" in text and "Helse og velferd" in text
    assert "Mangler obligatoriske kurs" in text and "Leder 2" in text
    assert "Kursbevis som utløper" in text and "Gjennomføringer over tid" in text
    pages = text.count("\f")
    assert f"Side 1 av {pages}" in text and f"Side {pages} av {pages}" in text


def _pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                          capture_output=True, check=True).stdout.decode()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_pdf_gaps_name_the_offering_signed_up_for_or_the_next_with_free_seats(
        session, client, login_as):
    world = make_world(session)
    _head, leader1, leader2 = world.leaders
    winter = make_offering(session, course=world.course, capacity=12, taken=4,
                           starts_in=timedelta(days=20))
    make_enrolment(session, winter, leader1, status="waitlisted")
    login_as(world.hr)
    text = _pdf_text(client.get("/rapporter/eksport.pdf").data)
    assert "Påmeldt eller neste ledige plass" in text
    starts = winter.starts_at.astimezone(OSLO).strftime("%d.%m.%Y")
    lines = {line.split()[0] + " " + line.split()[1]: line for line in text.splitlines()
             if line.strip().startswith("Leder ")}
    assert f"På venteliste {starts}" in lines["Leder 1"]
    assert f"{starts} (8 ledige)" in lines["Leder 2"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_pdf_says_visibly_where_a_table_stops_short_of_the_xlsx(session, client, login_as,
                                                                    monkeypatch):
    monkeypatch.setattr("app.reports.pdf.PDF_ROWS", 2)
    world = make_world(session, units=2)
    make_unit(session, org=world.org, parent=world.units[0], name="Team dypt nede")
    for leader in world.leaders:
        complete(session, leader, world.course, at=utcnow() - timedelta(days=1000),
                 expires=utcnow() + timedelta(days=10))
    for i in range(3):
        make_user(session, unit=world.units[1], leader_level="forstelinjeleder",
                  name=f"Ny leder {i}")
    login_as(world.hr)
    text = " ".join(_pdf_text(client.get("/rapporter/eksport.pdf").data).split())
    assert "Viser de første 2 manglene. Excel-filen har alle." in text
    assert "Viser 2 av 3. Excel-filen har alle." in text  # the three expiring certificates
    assert "Tabellen viser enhetene to nivåer ned; 1 enhet under dem står i Excel-filen." \
        in text
    assert "Team dypt nede" not in text


def _evaluated_world(session):
    """Five answers on one offering of a course, four on another (left out)."""
    world = make_world(session)
    course = evaluation_builders.make_course(session, org=world.org, title="Digital dugnad")
    evaluation_builders.answered_offering(session, course, 5, scores=(5, 4, 3, 10),
                                          title="Vår", ends_at=utcnow() - timedelta(days=40))
    evaluation_builders.answered_offering(session, course, 4, scores=(1, 1, 1, 0),
                                          title="Høst", ends_at=utcnow() - timedelta(days=5))
    return world


def test_hr_files_hold_the_evaluations_per_course_and_offering_without_small_ones(
        session, client, login_as):
    world = _evaluated_world(session)
    login_as(world.hr)
    book = load_workbook(io.BytesIO(client.get("/rapporter/eksport.xlsx").data))
    sheet = book["Evalueringer"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:M4"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("Kurs", "Gjennomføring", "Måned", "Svar",
                           "Svar ikke tatt med (under fem per gjennomføring)", "Relevans (1–5)")
    by_offering = {r[1]: r for r in rows[1:]}
    assert by_offering["Alle gjennomføringer"][3:9] == (5, 4, 5, 4, 3, 100)
    assert by_offering["Vår"][3:9] == (5, 0, 5, 4, 3, 100)
    assert by_offering["Høst"][3:9] == (0, 4, None, None, None, None)
    csv = client.get("/rapporter/eksport.csv?del=evaluations").data.decode("utf-8-sig")
    assert "Digital dugnad;Alle gjennomføringer;;5;4;5,0;4,0;3,0;100;0;;;" in csv


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_pdf_has_the_evaluations_per_course_for_hr_and_not_for_a_leader(
        session, client, login_as):
    world = _evaluated_world(session)
    login_as(world.hr)
    text = " ".join(_pdf_text(client.get("/rapporter/eksport.pdf").data).split())
    assert "Evalueringer per kurs" in text
    assert "Digital dugnad 5 4 5,0 4,0 3,0 +100 0" in text
    login_as(world.leaders[1])
    text = _pdf_text(client.get("/rapporter/eksport.pdf").data)
    assert "Evalueringer per kurs" not in text and "Digital dugnad" not in text
    book = load_workbook(io.BytesIO(client.get("/rapporter/eksport.xlsx").data))
    assert "Evalueringer" not in book.sheetnames


def test_each_page_offers_its_own_part_as_csv_and_the_evaluations_page_its_files(
        session, client, login_as):
    world = _evaluated_world(session)
    login_as(world.hr)
    for page, part in (("mangler", "gaps"), ("utlop", "expiry"), ("metodikk", "methodology"),
                       ("trend", "trend"), ("evalueringer", "evaluations")):
        html = client.get(f"/rapporter/{page}?niva=mellomleder").get_data(as_text=True)
        links = re.findall(r'href="(/rapporter/eksport\.[a-z]+[^"]*)"', html)
        assert any(link.startswith("/rapporter/eksport.csv") and f"del={part}" in link
                   and "niva=mellomleder" in link for link in links), (page, links)
        assert any(link.startswith("/rapporter/eksport.xlsx") for link in links), page
    html = client.get("/rapporter/dekning").get_data(as_text=True)
    assert 'href="/rapporter/eksport.csv"' in html

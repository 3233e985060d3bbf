"""The sign-in sheet and the attendance summary as PDF (read back with pdftotext); the
reports' CSV and XLSX files are tested in tests/seminars/test_reports.py."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from app.orm import utcnow
from app.seminars import pdf, services
from app.seminars.models import AttendanceStatus
from tests.seminars.builders import enrol_many, make_seminar, organiser_of

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (poppler-utils) is not installed")


def text_of(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                          capture_output=True, check=True).stdout.decode()


@needs_pdftotext
def test_the_sign_in_sheet_prints_sami_and_norwegian_names_with_page_numbers(app):
    people = [pdf.SheetPerson("Áile Hætta", "Statsforvalteren i Trøndelag"),
              pdf.SheetPerson("Čđŋŧ Ŋuolgu", "Trøndelag fylkeskommune")]
    people += [pdf.SheetPerson(f"Deltaker {i:03d} Ærlig Øye Åsen", "Byåsen skole")
               for i in range(1, 199)]
    with app.test_request_context():
        data = pdf.signin_sheet(seminar="Prosjektledersamling – Vår", session_title="Gevinster",
                                when="torsdag 4. mars 2027, 09:00–11:30", room="Bystyresalen",
                                speaker="Kari <b>Lund</b> & co", people=people)
    text = text_of(data)
    assert "Áile Hætta" in text and "Čđŋŧ Ŋuolgu" in text
    assert "Deltaker 198 Ærlig Øye Åsen" in text
    assert "Kari <b>Lund</b> & co" in text  # user text is escaped, never markup
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 6
    assert f"Side 1 av {len(pages)}" in pages[0]
    assert f"Side {len(pages)} av {len(pages)}" in pages[-1]
    # The header row repeats on every page, with the signature column.
    assert all("Navn" in p and "Signatur" in p and "Enhet / organisasjon" in p for p in pages)


@needs_pdftotext
def test_the_sign_in_sheet_of_a_session_lists_everyone_on_its_list(client, session, login_as):
    offering = make_seminar(session)
    [s] = offering.sessions
    organiser = login_as(organiser_of(session, offering))
    people = enrol_many(session, offering, 3)
    services.add_participant(session, actor=organiser, course_session=s, name="Áile Hætta",
                             organisation_name="Statsforvalteren i Trøndelag", email=None,
                             now=utcnow())
    response = client.get(f"/samlinger/okter/{s.id}/signaturliste.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    text = text_of(response.data)
    assert all(p.name in text for p in people)
    assert "Áile Hætta" in text and "Statsforvalteren i Trøndelag" in text
    assert s.title in text and "Bystyresalen" in text


@needs_pdftotext
def test_the_attendance_summary_shows_each_person_each_session_and_the_rule(client, session,
                                                                            login_as):
    offering = make_seminar(session, sessions=2)
    first = offering.sessions[0]
    organiser = login_as(organiser_of(session, offering))
    [kari, ola] = enrol_many(session, offering, 2)
    kari.name, ola.name = "Kari Åsen", "Ola Ŋuolgu"
    services.bulk_set(session, actor=organiser, course_session=first,
                      items=[(kari.id, AttendanceStatus.PRESENT),
                             (ola.id, AttendanceStatus.ABSENT)], now=utcnow())
    response = client.get(f"/samlinger/{offering.id}/oppmote.pdf")
    assert response.status_code == 200
    text = text_of(response.data)
    assert "Oppmøteoversikt" in text and "Kari Åsen" in text and "Ola Ŋuolgu" in text
    assert "T = Til stede" in text
    assert "100 %" in text and "0 %" in text



"""HR registers completions from outside the system, one by one or from a CSV file."""

from __future__ import annotations

import io
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import force_locale, format_date

from app.certificates.models import Certificate, Completion, CompletionSource
from app.certificates.texts import local_date
from app.orm import utcnow
from tests.certificates.builders import make_course
from tests.certificates.helpers import pdf_text
from tests.factories import make_unit, make_user


def hr_and_person(session):
    unit = make_unit(session)
    hr = make_user(session, unit=unit, roles=["hr"])
    person = make_user(session, unit=unit, name="Per Papir", employee_number="100042")
    course = make_course(session, org=unit.organisation, validity_months=36)
    return hr, person, course


def test_hr_registers_a_course_taken_elsewhere_with_evidence(web, session, login_as):
    hr, person, course = hr_and_person(session)
    login_as(hr)
    response = web.post("/fullforinger/registrer", {
        "person": "100042", "course": course.slug, "completed_on": "2025-03-31",
        "evidence": "Kursbevis fra KS Læring, arkivert i sak 2025/812",
    })
    assert response.status_code == 302
    completion = session.scalar(sa.select(Completion).where(Completion.user_id == person.id))
    assert completion.source == CompletionSource.EXTERNAL
    assert completion.evidence.startswith("Kursbevis fra KS")
    assert completion.expires_at.year == 2028
    assert session.scalar(sa.select(Certificate).where(Certificate.completion_id
                                                       == completion.id)) is None
    assert "Per Papir" in web.get("/fullforinger").get_data(as_text=True)


def test_hr_may_ask_for_a_certificate_with_the_registration(app, web, session, login_as,
                                                            issue_settings):
    hr, person, course = hr_and_person(session)
    login_as(hr)
    web.post("/fullforinger/registrer", {
        "person": person.email, "course": course.slug, "completed_on": "2026-01-15",
        "evidence": "Deltakerliste på papir", "with_certificate": "y"})
    completion = session.scalar(sa.select(Completion).where(Completion.user_id == person.id))
    cert = session.scalar(sa.select(Certificate).where(Certificate.completion_id
                                                       == completion.id))
    assert cert is not None
    # The certificate is dated the day the course was taken, not the day HR registered it.
    data = (issue_settings.storage_dir / cert.pdf_path).read_bytes()
    assert "15. januar 2026" in pdf_text(data)
    with app.test_request_context(), force_locale("nb"):
        today = format_date(local_date(utcnow()), "long")
    assert today not in pdf_text(data)
    assert "15. januar 2026" in web.get(f"/verify/{cert.code}").get_data(as_text=True)
    api = web.client.get(f"/api/v1/certificates/{cert.code}").get_json()
    assert api["completed_on"] == "2026-01-15"


def test_hr_cannot_register_for_people_outside_their_reach(web, session, login_as):
    hr, _person, course = hr_and_person(session)
    stranger = make_user(session, employee_number="999")  # another organisation
    login_as(hr)
    page = web.post("/fullforinger/registrer", {
        "person": "999", "course": course.slug, "completed_on": "2025-03-31",
        "evidence": "x"}).get_data(as_text=True)
    assert "Fant ingen person" in page
    assert session.scalar(sa.select(Completion).where(Completion.user_id
                                                      == stranger.id)) is None


def test_a_future_date_is_refused_next_to_the_field(web, session, login_as):
    hr, person, course = hr_and_person(session)
    login_as(hr)
    page = web.post("/fullforinger/registrer", {
        "person": "100042", "course": course.slug,
        "completed_on": (date.today() + timedelta(days=3)).isoformat(),
        "evidence": "x"}).get_data(as_text=True)
    assert "kan ikke være fram i tid" in page


def upload(web, text: str, encoding="utf-8"):
    return web.post("/fullforinger/import", {
        "file": (io.BytesIO(text.encode(encoding)), "fullforinger.csv")},
        content_type="multipart/form-data")


def test_a_csv_file_is_imported_and_importing_it_again_adds_nothing(web, session, login_as):
    hr, person, course = hr_and_person(session)
    other = make_user(session, unit=person.unit, employee_number="100043")
    login_as(hr)
    csv = ("ansattnummer;kurs;dato;dokumentasjon;kursbevis\n"
           f"100042;{course.slug};31.03.2025;Kursbevis fra KS;nei\n"
           f"100043;{course.slug};2025-04-01;Papirliste;ja\n")
    assert upload(web, csv, "cp1252").status_code == 302
    assert upload(web, csv).status_code == 302
    rows = session.scalars(sa.select(Completion).where(Completion.course_id
                                                       == course.id)).all()
    assert sorted(c.user_id for c in rows) == sorted([person.id, other.id])
    assert "0 gjennomføringer registrert, 2 fantes fra før" in web.get("/fullforinger") \
        .get_data(as_text=True)


def test_one_bad_row_stops_the_file_and_the_report_names_line_and_problem(web, session,
                                                                          login_as):
    hr, _person, course = hr_and_person(session)
    login_as(hr)
    csv = ("ansattnummer,kurs,dato,dokumentasjon\n"
           f"100042,{course.slug},2025-03-31,Kursbevis\n"
           f"777,{course.slug},31/03/2025,\n")
    page = upload(web, csv).get_data(as_text=True)
    assert "Ingenting er lagret" in page
    assert "Linje 3" in page and "fant ingen person «777»" in page
    assert "dokumentasjon mangler" in page
    assert session.scalar(sa.select(sa.func.count()).select_from(Completion)
                          .where(Completion.course_id == course.id)) == 0

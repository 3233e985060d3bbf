"""The participant list of organisers and HR: enrol on someone's behalf, many at once with
a preview, move between waitlist and seats, cancel with a reason, export, e-mail."""

from __future__ import annotations

import io
from datetime import date, timedelta

import sqlalchemy as sa
from openpyxl import load_workbook

from app.enrolment.models import Enrolment, Offering
from app.outbox.models import OutboxEmail
from tests.enrolment.builders import make_course, make_enrolment, make_offering
from tests.factories import make_org, make_unit, make_user


def setup(session, capacity=3, role="organiser"):
    org = make_org(session)
    unit = make_unit(session, org=org, name="Byåsen skole")
    offering = make_offering(session, course=make_course(session, org=org, title="IT i hverdagen"),
                             capacity=capacity)
    manager = make_user(session, org=org, unit=unit, roles=[role], name="Ola Strand")
    return offering, manager, unit


def statuses(session, offering):
    return dict(session.execute(sa.select(Enrolment.user_id, Enrolment.status)
                                .where(Enrolment.offering_id == offering.id)).all())


def test_an_organiser_sees_the_list_and_enrols_someone_by_e_mail_or_employee_number(
        web, session, login_as):
    offering, organiser, unit = setup(session)
    kari = make_user(session, unit=unit, name="Kari Nordmann", email="kari@example.org")
    per = make_user(session, unit=unit, name="Per Hansen", employee_number="40017")
    login_as(organiser)
    url = f"/forvaltning/tilbud/{offering.id}/deltakere"
    response = web.post(url, {"person": "KARI@example.org"}, follow_redirects=True)
    assert "Kari Nordmann: Påmeldt." in response.get_data(as_text=True)
    web.post(url, {"person": "40017"})
    web.post(url, {"person": "ingen@example.org"})
    assert statuses(session, offering) == {kari.id: "enrolled", per.id: "enrolled"}
    page = web.get(url).get_data(as_text=True)
    assert "Kari Nordmann" in page and "Per Hansen" in page
    response = web.post(url, {"person": "kari@example.org"})
    assert "Kari Nordmann er allerede påmeldt" in response.get_data(as_text=True)


def test_hr_of_another_organisation_and_a_plain_participant_do_not_reach_the_list(
        web, session, login_as):
    offering, _organiser, unit = setup(session)
    login_as(make_user(session, roles=["hr"]))
    assert web.get(f"/forvaltning/tilbud/{offering.id}/deltakere").status_code == 404
    login_as(make_user(session, unit=unit))
    assert web.get(f"/forvaltning/tilbud/{offering.id}/deltakere").status_code == 403


def test_hr_sees_pending_requests_on_the_list_but_only_deciders_get_behandle(
        web, session, login_as):
    offering, organiser, unit = setup(session)
    offering.requires_approval = True
    leader = make_user(session, unit=unit, leader_level="mellomleder")
    unit.manager_id = leader.id
    worker = make_user(session, unit=unit, name="Kari Venter")
    request = make_enrolment(session, offering, worker, status="requested")
    hr = make_user(session, org=offering.organisation, roles=["hr"])
    url = f"/forvaltning/tilbud/{offering.id}/deltakere"
    decide = f"/godkjenninger/{request.id}"

    login_as(hr)
    page = web.get(url).get_data(as_text=True)
    assert "Kari Venter" in page and "Avgjøres av lederen eller en arrangør" in page
    assert decide not in page and "Behandle forespørsler" not in page
    assert web.get(decide).status_code == 404
    assert web.post(f"{decide}/godkjenn", {}, page=url).status_code == 404
    assert session.get(Enrolment, request.id).status == "requested"

    login_as(organiser)
    page = web.get(url).get_data(as_text=True)
    assert decide in page and "Behandle forespørsler" in page
    assert "Avgjøres av lederen" not in page


def test_the_waitlist_is_managed_from_the_list(web, session, login_as, outbox):
    offering, organiser, unit = setup(session, capacity=1)
    seated = make_enrolment(session, offering, make_user(session, unit=unit))
    waiting_person = make_user(session, unit=unit)
    waiting = make_enrolment(session, offering, waiting_person, status="waitlisted")
    login_as(organiser)
    response = web.post(f"/forvaltning/pameldinger/{waiting.id}/plass", follow_redirects=True)
    assert "Tilbudet er fullt" in response.get_data(as_text=True)
    web.post(f"/forvaltning/pameldinger/{seated.id}/venteliste")
    assert statuses(session, offering) == {seated.user_id: "waitlisted",
                                           waiting_person.id: "enrolled"}
    web.post(f"/forvaltning/pameldinger/{waiting.id}/avmeld", {"reason": "Syk"})
    assert statuses(session, offering)[waiting_person.id] == "cancelled"
    assert "Syk" in outbox.last(waiting_person.email).body_text
    assert statuses(session, offering)[seated.user_id] == "enrolled"  # back in the seat


def test_bulk_enrolment_previews_then_enrols_only_the_list_that_was_previewed(
        web, session, login_as):
    offering, organiser, unit = setup(session, capacity=2)
    people = [make_user(session, unit=unit, email=f"p{i}@example.org") for i in range(3)]
    login_as(organiser)
    url = f"/forvaltning/tilbud/{offering.id}/masseinnmelding"
    text = "p0@example.org, P1@example.org;\np2@example.org ingen@example.org p0@example.org"
    page = web.post(url, {"identifiers": text}).get_data(as_text=True)
    assert "2 får plass, 1 kommer på venteliste, 0 er allerede påmeldt, 1 ble ikke funnet" \
        in page
    assert statuses(session, offering) == {}
    key = page.split('name="confirm" value="')[1].split('"')[0]
    web.post(url, {"identifiers": "p0@example.org", "confirm": key})  # edited after preview
    assert statuses(session, offering) == {}
    web.post(url, {"identifiers": text, "confirm": key})
    assert statuses(session, offering) == {people[0].id: "enrolled",
                                           people[1].id: "enrolled",
                                           people[2].id: "waitlisted"}


def test_all_new_leaders_without_the_course_are_found_for_bulk_enrolment(web, session,
                                                                         login_as):
    offering, organiser, unit = setup(session)
    today = date.today()
    new = make_user(session, unit=unit, leader_level="forstelinjeleder", name="Ny Leder",
                    leader_since=today - timedelta(days=40))
    make_user(session, unit=unit, leader_level="mellomleder", name="Gammel Leder",
              leader_since=today - timedelta(days=900))
    taken_it = make_user(session, unit=unit, leader_level="mellomleder", name="Har Kurset",
                         leader_since=today - timedelta(days=30))
    other = make_offering(session, course=offering.course)
    make_enrolment(session, other, taken_it)
    login_as(organiser)
    page = web.post(f"/forvaltning/tilbud/{offering.id}/masseinnmelding",
                    {"new_leaders": "y", "months": "12"}).get_data(as_text=True)
    assert "Ny Leder" in page
    assert "Gammel Leder" not in page and "Har Kurset" not in page
    assert new.id not in statuses(session, offering)
    key = page.split('name="confirm" value="')[1].split('"')[0]
    web.post(f"/forvaltning/tilbud/{offering.id}/masseinnmelding",
             {"new_leaders": "y", "months": "12", "confirm": key})
    assert statuses(session, offering) == {new.id: "enrolled"}


def test_nobody_the_preview_did_not_show_is_enrolled(web, session, login_as):
    offering, organiser, unit = setup(session, capacity=1)
    today = date.today()
    first = make_user(session, unit=unit, leader_level="forstelinjeleder", name="Første Leder",
                      leader_since=today - timedelta(days=10))
    login_as(organiser)
    url = f"/forvaltning/tilbud/{offering.id}/masseinnmelding"
    form = {"new_leaders": "y", "months": "12"}
    page = web.post(url, form).get_data(as_text=True)
    key = page.split('name="confirm" value="')[1].split('"')[0]
    # Between the preview and the confirmation someone else becomes a new leader.
    make_user(session, unit=unit, leader_level="forstelinjeleder", name="Andre Leder",
              leader_since=today - timedelta(days=1))
    response = web.post(url, {**form, "confirm": key})
    page = response.get_data(as_text=True)
    assert "Listen har endret seg siden du så den." in page
    assert "Andre Leder" in page and statuses(session, offering) == {}
    key = page.split('name="confirm" value="')[1].split('"')[0]
    web.post(url, {**form, "confirm": key})
    assert sorted(statuses(session, offering).values()) == ["enrolled", "waitlisted"]
    assert statuses(session, offering)[first.id] in ("enrolled", "waitlisted")


def test_the_exports_have_every_participant_and_neutralise_formulas(web, session, login_as):
    offering, organiser, unit = setup(session)
    make_enrolment(session, offering, make_user(session, unit=unit,
                                                name='=HYPERLINK("http://x","klikk")'))
    make_enrolment(session, offering, make_user(session, unit=unit, name="Åse Ødegård",
                                                leader_level="mellomleder"),
                   status="waitlisted")
    login_as(organiser)
    csv = web.get(f"/forvaltning/tilbud/{offering.id}/deltakere.csv")
    assert csv.headers["Content-Disposition"].startswith("attachment")
    assert csv.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset, not two
    text = csv.get_data().decode("utf-8")
    assert text.startswith("\ufeffNavn;E-post")
    assert "'=HYPERLINK" in text and "Åse Ødegård" in text and "På venteliste;1" in text
    assert ";Mellomleder;På venteliste;" in text and ";Ikke leder;" in text  # labels, not codes
    xlsx = web.get(f"/forvaltning/tilbud/{offering.id}/deltakere.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert names == ["'=HYPERLINK(\"http://x\",\"klikk\")", "Åse Ødegård"]


def test_an_organiser_e_mails_everyone_with_a_seat(web, session, login_as):
    offering, organiser, unit = setup(session)
    seated = make_enrolment(session, offering, make_user(session, unit=unit))
    waiting = make_enrolment(session, offering, make_user(session, unit=unit),
                             status="waitlisted")
    login_as(organiser)
    web.post(f"/forvaltning/tilbud/{offering.id}/epost",
             {"subject": "Husk PC", "body": "Ta med egen PC."})
    sent = session.scalars(sa.select(OutboxEmail).where(OutboxEmail.subject == "Husk PC")).all()
    assert [m.user_id for m in sent] == [seated.user_id]
    assert "Ta med egen PC." in sent[0].body_text and "Ola Strand" in sent[0].body_text
    web.post(f"/forvaltning/tilbud/{offering.id}/epost",
             {"subject": "Endret rom", "body": "Vi er i Bystyresalen.",
              "include_waitlisted": "y"})
    told = session.scalars(sa.select(OutboxEmail.user_id)
                           .where(OutboxEmail.subject == "Endret rom")).all()
    assert sorted(told) == sorted([seated.user_id, waiting.user_id])


def test_hr_enrols_many_only_within_its_reach(web, session, login_as):
    offering, _organiser, unit = setup(session)
    hr = make_user(session, org=offering.organisation, roles=[("hr", unit)])
    inside = make_user(session, unit=unit, email="inne@example.org")
    other_unit = make_unit(session, org=offering.organisation)
    make_user(session, unit=other_unit, email="ute@example.org")
    login_as(hr)
    url = f"/forvaltning/tilbud/{offering.id}/masseinnmelding"
    page = web.post(url, {"identifiers": "inne@example.org ute@example.org"}).get_data(
        as_text=True)
    assert "Utenfor ditt ansvarsområde" in page
    key = page.split('name="confirm" value="')[1].split('"')[0]
    web.post(url, {"identifiers": "inne@example.org ute@example.org", "confirm": key})
    assert statuses(session, offering) == {inside.id: "enrolled"}
    assert session.scalar(sa.select(Offering.taken).where(Offering.id == offering.id)) == 1

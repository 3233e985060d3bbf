"""A participant's pages: enrolling and cancelling from the browser, the calendar file,
and the messages that bad input gives."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import sqlalchemy as sa

from app.accounts.passwords import hash_password
from app.enrolment.models import Enrolment, EnrolmentStatus, Offering
from app.orm import utcnow
from tests.enrolment.builders import make_course, make_enrolment, make_offering
from tests.factories import make_org, make_unit, make_user


def setup(session, capacity=5, **kw):
    org = make_org(session)
    unit = make_unit(session, org=org)
    course = make_course(session, org=org, title="IT i hverdagen", audiences=["mellomleder"])
    offering = make_offering(session, course=course, capacity=capacity, **kw)
    leader = make_user(session, unit=unit, leader_level="mellomleder", name="Ingrid Berg")
    return offering, leader, unit


def status_of(session, enrolment_id):
    """Read from the database (the page changed it through its own session)."""
    return session.scalar(sa.select(Enrolment.status).where(Enrolment.id == enrolment_id))


def taken(session, offering):
    return session.scalar(sa.select(Offering.taken).where(Offering.id == offering.id))


def statuses(session, offering):
    return dict(session.execute(sa.select(Enrolment.user_id, Enrolment.status)
                                .where(Enrolment.offering_id == offering.id)).all())


def test_a_leader_enrols_from_the_course_page_and_sees_her_seat(web, session, login_as,
                                                                 outbox):
    offering, leader, _unit = setup(session)
    login_as(leader)
    page = web.get(f"/kurs/{offering.course.slug}").get_data(as_text=True)
    assert "Meld meg på" in page
    response = web.post(f"/tilbud/{offering.id}/pamelding",
                        {"next": f"/kurs/{offering.course.slug}"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/kurs/{offering.course.slug}"
    page = web.get(f"/tilbud/{offering.id}").get_data(as_text=True)
    assert "Påmeldt" in page and "Last ned kalenderfil" in page
    assert statuses(session, offering) == {leader.id: "enrolled"}
    assert outbox.last(leader.email).calendar_method == "REQUEST"


def test_the_calendar_file_is_the_persons_own_invite_and_nobody_elses(web, session,
                                                                      login_as):
    offering, leader, unit = setup(session)
    mine = make_enrolment(session, offering, leader)
    login_as(leader)
    response = web.get(f"/pameldinger/{mine.id}/kalender.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "METHOD:REQUEST" in response.get_data(as_text=True)
    login_as(make_user(session, unit=unit))
    assert web.get(f"/pameldinger/{mine.id}/kalender.ics").status_code == 404


def test_a_full_offering_tells_the_person_their_place_on_the_waitlist(web, session, login_as):
    offering, leader, unit = setup(session, capacity=1)
    make_enrolment(session, offering, make_user(session, unit=unit))
    login_as(leader)
    response = web.post(f"/tilbud/{offering.id}/pamelding", follow_redirects=True)
    assert "nummer 1 på ventelisten" in response.get_data(as_text=True)
    assert statuses(session, offering)[leader.id] == "waitlisted"


def test_a_closed_window_says_so_and_saves_nothing(web, session, login_as):
    offering, leader, _unit = setup(session, enrol_closes_at=utcnow() - timedelta(hours=1))
    login_as(leader)
    page = web.get(f"/tilbud/{offering.id}").get_data(as_text=True)
    assert "Påmeldingen er stengt." in page and "Meld meg på" not in page
    response = web.post(f"/tilbud/{offering.id}/pamelding", follow_redirects=True)
    assert "Påmeldingen til dette tilbudet er stengt." in response.get_data(as_text=True)
    assert statuses(session, offering) == {}


def test_cancelling_from_the_page_promotes_the_first_waitlisted(web, session, login_as, outbox):
    offering, leader, unit = setup(session, capacity=1)
    mine = make_enrolment(session, offering, leader)
    waiting = make_user(session, unit=unit)
    make_enrolment(session, offering, waiting, status="waitlisted")
    login_as(leader)
    response = web.post(f"/pameldinger/{mine.id}/avmelding", follow_redirects=True)
    assert "Du er avmeldt" in response.get_data(as_text=True)
    assert statuses(session, offering) == {leader.id: "cancelled", waiting.id: "enrolled"}
    assert outbox.last(waiting.email).subject.startswith("Du har fått plass")


def test_after_the_deadline_the_page_says_whom_to_contact_and_cancelling_is_refused(
        web, session, login_as):
    offering, leader, _unit = setup(session, cancel_deadline_at=utcnow() - timedelta(days=1),
                                    contact_name="Ola Strand",
                                    contact_email="ola@example.org")
    mine = make_enrolment(session, offering, leader)
    login_as(leader)
    page = web.get(f"/tilbud/{offering.id}").get_data(as_text=True)
    assert "Avmeldingsfristen gikk ut" in page and "Ola Strand (ola@example.org)" in page
    assert "Meld meg av" not in page
    response = web.post(f"/pameldinger/{mine.id}/avmelding", follow_redirects=True)
    assert "Kontakt Ola Strand" in response.get_data(as_text=True)
    assert statuses(session, offering) == {leader.id: "enrolled"}


def test_someone_elses_enrolment_id_is_not_found_and_nothing_changes(web, session, login_as):
    offering, leader, unit = setup(session)
    hers = make_enrolment(session, offering, make_user(session, unit=unit))
    login_as(leader)
    assert web.post(f"/pameldinger/{hers.id}/avmelding").status_code == 404
    assert web.post("/pameldinger/999999/avmelding").status_code == 404
    assert status_of(session, hers.id) == EnrolmentStatus.ENROLLED
    assert taken(session, offering) == 1


def test_an_offering_of_another_organisation_is_not_found(web, session, login_as):
    offering, _leader, _unit = setup(session)
    login_as(make_user(session))
    assert web.get(f"/tilbud/{offering.id}").status_code == 404
    assert web.post(f"/tilbud/{offering.id}/pamelding").status_code == 404
    assert statuses(session, offering) == {}


def leader_with_team(session, offering, unit):
    leader = make_user(session, unit=unit, leader_level="mellomleder", name="Ingrid Leder")
    unit.manager_id = leader.id
    team = make_unit(session, parent=unit, name="Team Nardo")
    worker = make_user(session, unit=team, name="Ola Ansatt")
    return leader, worker


def test_a_leader_decides_a_request_from_the_list_and_a_decline_needs_a_reason(
        web, session, login_as, outbox):
    offering, _user, unit = setup(session, requires_approval=True)
    leader, worker = leader_with_team(session, offering, unit)
    request = make_enrolment(session, offering, worker, status="requested")
    login_as(leader)
    page = web.get("/godkjenninger").get_data(as_text=True)
    assert "Ola Ansatt" in page
    response = web.post(f"/godkjenninger/{request.id}/avslaa", {"reason": ""})
    assert response.status_code == 200
    assert "Dette feltet er påkrevd." in response.get_data(as_text=True)
    assert status_of(session, request.id) == "requested"
    response = web.post(f"/godkjenninger/{request.id}/godkjenn", follow_redirects=True)
    assert "Godkjent: Ola Ansatt har fått plass." in response.get_data(as_text=True)
    assert status_of(session, request.id) == "enrolled"


def test_nobody_but_the_leader_or_an_organiser_sees_a_request(web, session, login_as):
    offering, user, unit = setup(session, requires_approval=True)
    _leader, worker = leader_with_team(session, offering, unit)
    request = make_enrolment(session, offering, worker, status="requested")
    login_as(user)  # a colleague in the same unit, not its leader
    assert web.get(f"/godkjenninger/{request.id}").status_code == 404
    assert web.post(f"/godkjenninger/{request.id}/godkjenn").status_code == 404
    assert "Ola Ansatt" not in web.get("/godkjenninger").get_data(as_text=True)
    assert status_of(session, request.id) == "requested"


def test_a_leader_enrols_people_of_her_units_from_a_list(web, session, login_as):
    offering, _user, unit = setup(session)
    leader, worker = leader_with_team(session, offering, unit)
    login_as(leader)
    page = web.get(f"/tilbud/{offering.id}/medarbeidere").get_data(as_text=True)
    assert "Ola Ansatt" in page
    outsider = make_user(session, org=offering.organisation)
    web.post(f"/tilbud/{offering.id}/medarbeidere", {"person": [str(worker.id),
                                                               str(outsider.id)]})
    assert statuses(session, offering) == {worker.id: "enrolled"}


def test_the_programme_names_each_session_in_its_row_and_labels_every_value_for_a_phone(
        client, session, login_as):
    """On a narrow screen the table becomes one card per session (app.css, cards-on-phone):
    the session's title heads its card and each value carries its column's name."""
    offering, leader, _unit = setup(session, sessions=2)
    offering.sessions[1].speaker = "Kari Lund"
    login_as(leader)
    page = lxml.html.fromstring(client.get(f"/tilbud/{offering.id}").get_data(as_text=True))
    table = page.xpath("//section[@aria-labelledby='program-heading']//table")[0]
    assert "cards-on-phone" in table.get("class")
    rows = table.xpath("./tbody/tr")
    assert [row.xpath("./th[@scope='row']")[0].text_content().strip() for row in rows] == [
        "Økt 1", "Økt 2"]
    labels = [[td.get("data-label") for td in row.xpath("./td")] for row in rows]
    assert labels == [["Tid", "Sted", "Foredragsholder"]] * 2
    assert rows[1].xpath("./td[@data-label='Foredragsholder']")[0].text_content() == "Kari Lund"


def test_the_offering_page_costs_the_same_few_queries_for_a_participant_and_a_manager(
        client, session, login_as, count_queries):
    offering, leader, unit = setup(session, capacity=50)
    organiser = make_user(session, org=offering.organisation, roles=["organiser", "hr"])
    counts = []
    for extra in (0, 40):
        for _ in range(extra):
            make_enrolment(session, offering, make_user(session, unit=unit))
        for person in (leader, organiser):
            login_as(person)
            with count_queries() as queries:
                assert client.get(f"/tilbud/{offering.id}").status_code == 200
            counts.append(queries.count)
    assert counts[:2] == counts[2:] and max(counts) <= 8, counts


def test_the_e_mail_link_leads_the_leader_through_the_login_to_the_request(
        web, client, session, login_as, outbox):
    offering, _user, unit = setup(session, requires_approval=True)
    leader, worker = leader_with_team(session, offering, unit)
    leader.email, leader.password_hash = "ingrid@example.org", hash_password("riktig-passord")
    login_as(worker)
    web.post(f"/tilbud/{offering.id}/pamelding", page=f"/tilbud/{offering.id}")
    request = session.scalar(sa.select(Enrolment).where(Enrolment.user_id == worker.id))
    link = outbox.last(leader.email).body_text.split("http://")[1].split()[0]
    path = "/" + link.split("/", 1)[1]
    assert path == f"/godkjenninger/{request.id}"

    client.post("/logout", data={"csrf_token": web.token()})
    to_login = client.get(path)
    assert to_login.status_code == 302 and "/login?next=" in to_login.headers["Location"]
    response = web.post("/login", {"email": leader.email, "password": "riktig-passord",
                                   "next": path}, page=to_login.headers["Location"])
    assert response.headers["Location"].endswith(path)
    page = client.get(path).get_data(as_text=True)
    assert "Ola Ansatt" in page and offering.course.title in page
    web.post(f"{path}/avslaa", {"reason": "Ikke i år, vi har turnus"}, page=path)
    assert status_of(session, request.id) == "declined"
    assert "Ikke i år, vi har turnus" in outbox.last(worker.email).body_text

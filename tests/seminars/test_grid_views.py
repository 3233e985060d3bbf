"""The organiser's attendance grid: the list, marks with and without JavaScript, conflicts,
"mark the rest absent", walk-ins and external participants."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.orm import utcnow
from app.seminars import services
from app.seminars.models import Attendance, AttendanceStatus, Participant, WalkIn
from app.seminars.services import PersonRef
from tests.conftest import csrf_token_from
from tests.factories import make_user
from tests.seminars.builders import enrol_many, make_seminar, organiser_of

JSON = {"Accept": "application/json"}


def grid_url(s):
    return f"/samlinger/okter/{s.id}/oppmote"


def status_of(session, s, user):
    return session.scalar(sa.select(Attendance.status).where(
        Attendance.session_id == s.id, Attendance.user_id == user.id
    ).execution_options(populate_existing=True))


def test_the_organiser_sees_everyone_on_the_list_with_counts(client, session, login_as):
    offering = make_seminar(session)
    [s] = offering.sessions
    organiser = login_as(organiser_of(session, offering))
    people = enrol_many(session, offering, 3)
    services.mark(session, actor=organiser, course_session=s,
                  person=PersonRef("user", people[0].id), status=AttendanceStatus.LATE,
                  seen_version=0, now=utcnow())
    services.add_participant(session, actor=organiser, course_session=s, name="Áile Hætta",
                             organisation_name="Statsforvalteren i Trøndelag", email=None,
                             now=utcnow())
    page = client.get(grid_url(s)).get_data(as_text=True)
    for person in people:
        assert person.name in page
    assert "Áile Hætta" in page and "Statsforvalteren i Trøndelag · ekstern" in page
    assert re.search(r'data-count="present">1<', page)  # the external participant
    assert re.search(r'data-count="late">1<', page)
    assert re.search(r'data-count="unmarked">2<', page)
    assert re.search(r'data-count="total">4<', page)
    assert 'aria-pressed="true">For sent' in page


def test_a_kept_row_follows_each_mark_and_each_new_name(client, session, login_as):
    """Rows are kept between requests (app.seminars.grid_html), keyed by what they show."""
    offering = make_seminar(session)
    [s] = offering.sessions
    organiser = login_as(organiser_of(session, offering))
    [kari] = enrol_many(session, offering, 1)

    def row():
        page = client.get(grid_url(s)).get_data(as_text=True)
        return page.split(f'id="p-user-{kari.id}"')[1].split("</li>")[0]

    assert 'data-status="" data-version="0"' in row()
    services.mark(session, actor=organiser, course_session=s, person=PersonRef("user", kari.id),
                  status=AttendanceStatus.PRESENT, seen_version=0, now=utcnow())
    session.flush()
    assert 'data-status="present" data-version="1"' in row()
    assert 'aria-pressed="true">Til stede' in row()
    kari.name = "Kari Nordmann-Øien"
    session.flush()
    assert "Kari Nordmann-Øien" in row() and 'data-name="kari nordmann-øien"' in row()


def test_other_organisations_and_other_roles_do_not_reach_the_grid(client, session, login_as):
    offering = make_seminar(session)
    login_as(make_user(session, roles=["organiser"]))  # organiser elsewhere
    assert client.get(grid_url(offering.sessions[0])).status_code == 404
    login_as(make_user(session, org=offering.organisation, roles=["hr"]))
    assert client.get(grid_url(offering.sessions[0])).status_code == 403


def _grid_statements(client, session, login_as, count_queries, n):
    offering = make_seminar(session)
    organiser = login_as(organiser_of(session, offering))
    people = enrol_many(session, offering, n)
    s = offering.sessions[0]
    services.bulk_set(session, actor=organiser, course_session=s,
                      items=[(p.id, AttendanceStatus.PRESENT) for p in people[::2]], now=utcnow())
    session.add(WalkIn(offering_id=offering.id, user_id=make_user(session).id,
                       session_id=s.id, status="requested"))
    session.flush()
    with count_queries() as q:
        response = client.get(grid_url(s))
    assert response.status_code == 200
    assert response.get_data(as_text=True).count('class="attendance-row"') == n
    return q.count


def test_the_grid_costs_the_same_few_statements_for_ten_and_two_hundred_people(
        client, session, login_as, count_queries):
    small = _grid_statements(client, session, login_as, count_queries, 10)
    large = _grid_statements(client, session, login_as, count_queries, 200)
    assert small == large <= 8


def _token(client, s):
    return csrf_token_from(client.get(grid_url(s)).get_data(as_text=True))


def test_a_tap_saves_at_once_and_answers_json(client, session, login_as):
    offering = make_seminar(session)
    [s] = offering.sessions
    login_as(organiser_of(session, offering))
    [kari] = enrol_many(session, offering, 1)
    token = _token(client, s)
    response = client.post(grid_url(s), data={"mark": f"user:{kari.id}:present:0"},
                           headers={**JSON, "X-CSRFToken": token})
    assert response.status_code == 200
    assert response.get_json() == {"person": f"user:{kari.id}", "status": "present",
                                   "version": 1}
    assert status_of(session, s, kari) == AttendanceStatus.PRESENT


def test_a_tap_on_a_stale_row_gets_409_with_the_current_value(client, session, login_as):
    offering = make_seminar(session)
    [s] = offering.sessions
    login_as(organiser_of(session, offering))
    other = organiser_of(session, offering, name="Ola Strand")
    [kari] = enrol_many(session, offering, 1)
    token = _token(client, s)  # the screen shows Kari unmarked
    services.mark(session, actor=other, course_session=s, person=PersonRef("user", kari.id),
                  status=AttendanceStatus.EXCUSED, seen_version=0, now=utcnow())
    session.flush()
    response = client.post(grid_url(s), data={"mark": f"user:{kari.id}:absent:0"},
                           headers={**JSON, "X-CSRFToken": token})
    assert response.status_code == 409
    body = response.get_json()
    assert body["code"] == "attendance_conflict"
    assert body["current"]["status"] == "excused"
    assert body["current"]["recorded_by"] == "Ola Strand"
    assert status_of(session, s, kari) == AttendanceStatus.EXCUSED


def test_without_javascript_the_buttons_post_the_form_and_come_back(web, session, login_as):
    offering = make_seminar(session)
    [s] = offering.sessions
    login_as(organiser_of(session, offering))
    [kari] = enrol_many(session, offering, 1)
    response = web.post(grid_url(s), {"mark": f"user:{kari.id}:late:0", "q": "kar"},
                        page=grid_url(s))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"?q=kar#p-user-{kari.id}")
    assert status_of(session, s, kari) == AttendanceStatus.LATE
    stale = web.post(grid_url(s), {"mark": f"user:{kari.id}:present:0"}, page=grid_url(s))
    assert stale.status_code == 409
    text = stale.get_data(as_text=True)
    assert "Noen andre registrerte denne personen samtidig" in text
    assert "Gjeldende verdi: For sent" in text


def test_a_malformed_mark_is_refused_without_a_500(client, session, login_as):
    offering = make_seminar(session)
    [s] = offering.sessions
    login_as(organiser_of(session, offering))
    token = _token(client, s)
    for value in ("user:1:maybe:0", "nobody", "user:x:present:0", "user:1:present:v"):
        response = client.post(grid_url(s), data={"mark": value},
                               headers={**JSON, "X-CSRFToken": token})
        assert response.status_code == 422, value


def test_the_search_without_javascript_filters_the_list(client, session, login_as):
    offering = make_seminar(session)
    login_as(organiser_of(session, offering))
    people = enrol_many(session, offering, 2)
    people[0].name = "Áile Hætta"
    session.flush()
    page = client.get(grid_url(offering.sessions[0]) + "?q=aile").get_data(as_text=True)
    assert "Áile Hætta" in page and people[1].name not in page


def test_the_rest_can_be_marked_absent_in_one_go(web, session, login_as):
    offering = make_seminar(session)
    [s] = offering.sessions
    login_as(organiser_of(session, offering))
    people = enrol_many(session, offering, 3)
    response = web.post(f"{grid_url(s)}/resten-ikke-mott", {}, page=grid_url(s))
    assert response.status_code == 302
    assert {status_of(session, s, p) for p in people} == {AttendanceStatus.ABSENT}


def test_an_employee_is_found_and_added_as_a_walk_in(web, client, session, login_as):
    offering = make_seminar(session)
    [s] = offering.sessions
    login_as(organiser_of(session, offering))
    visitor = make_user(session, name="Siv Walkin")
    page = client.get(grid_url(s) + "?finn=walkin").get_data(as_text=True)
    assert "Siv Walkin" in page
    response = web.post(f"/samlinger/okter/{s.id}/walk-in", {"user_id": visitor.id},
                        page=grid_url(s))
    assert response.status_code == 302
    assert status_of(session, s, visitor) == AttendanceStatus.PRESENT
    assert "Siv Walkin" in client.get(grid_url(s)).get_data(as_text=True)


def test_an_external_participant_is_added_with_name_organisation_and_email(web, session,
                                                                          login_as):
    offering = make_seminar(session)
    [s] = offering.sessions
    login_as(organiser_of(session, offering))
    bad = web.post(f"/samlinger/okter/{s.id}/ekstern", {"name": "", "email": "ikke-epost"},
                   page=grid_url(s))
    assert bad.status_code == 422
    assert "Dette må rettes" in bad.get_data(as_text=True)
    assert 'value="ikke-epost"' in bad.get_data(as_text=True)  # what was typed, kept
    # The empty card is kept between requests; nothing typed into it reaches the next one.
    assert "ikke-epost" not in web.client.get(grid_url(s)).get_data(as_text=True)
    ok = web.post(f"/samlinger/okter/{s.id}/ekstern",
                  {"name": "Čđŋŧ Sámi", "organisation_name": "Trøndelag fylkeskommune",
                   "email": "c@example.org"}, page=grid_url(s))
    assert ok.status_code == 302
    guest = session.scalar(sa.select(Participant).where(Participant.name == "Čđŋŧ Sámi"))
    assert guest.organisation_name == "Trøndelag fylkeskommune"


def test_a_walk_in_request_is_confirmed_from_the_grid(web, client, session, login_as):
    offering = make_seminar(session)
    [s] = offering.sessions
    login_as(organiser_of(session, offering))
    visitor = make_user(session, name="Per Spør")
    request = WalkIn(offering_id=offering.id, user_id=visitor.id, session_id=s.id,
                     status="requested", requested_at=utcnow())
    session.add(request)
    session.flush()
    assert "Venter på bekreftelse (1)" in client.get(grid_url(s)).get_data(as_text=True)
    response = web.post(f"/samlinger/okter/{s.id}/walk-in/{request.id}",
                        {"decision": "confirm"}, page=grid_url(s))
    assert response.status_code == 302
    assert status_of(session, s, visitor) == AttendanceStatus.PRESENT

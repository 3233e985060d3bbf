"""Courses, offerings and enrolments in the JSON API: the same rules as the pages, JSON
errors with domain codes, and nothing changed by a refused request."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import sqlalchemy as sa

from app.enrolment.models import Enrolment, Offering
from app.orm import utcnow
from app.outbox.models import OutboxEmail
from tests.enrolment.builders import make_course, make_enrolment, make_offering
from tests.factories import make_org, make_token, make_unit, make_user


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def setup(session, capacity=1):
    org = make_org(session, slug="trondheim")
    unit = make_unit(session, org=org)
    course = make_course(session, org=org, slug="it-i-hverdagen", title="IT i hverdagen",
                         audiences=["mellomleder"], modules=2)
    offering = make_offering(session, course=course, capacity=capacity, sessions=2)
    person = make_user(session, unit=unit, leader_level="mellomleder")
    return offering, person, unit, bearer(make_token(session, person))


def count(session, offering):
    return session.scalar(sa.select(sa.func.count()).select_from(Enrolment)
                          .where(Enrolment.offering_id == offering.id))


def test_course_and_offering_lists_are_paged_by_page_and_per_page(client, session):
    offering, _person, _unit, auth = setup(session)
    org = offering.course.organisation
    for title in ("Anskaffelser", "Personvern"):
        make_offering(session, course=make_course(session, org=org, title=title))
    second = client.get("/api/v1/courses?per_page=2&page=2", headers=auth)
    assert second.status_code == 200
    assert [c["title"] for c in second.get_json()] == ["Personvern"]
    assert json.loads(second.headers["X-Pagination"]) == {
        "total": 3, "total_pages": 2, "first_page": 1, "last_page": 2, "page": 2,
        "previous_page": 1}
    offerings = client.get("/api/v1/offerings?per_page=1", headers=auth)
    assert len(offerings.get_json()) == 1
    assert json.loads(offerings.headers["X-Pagination"])["total_pages"] == 3
    for bad in ("per_page=501", "per_page=0", "page=0", "per_page=x"):
        refused = client.get(f"/api/v1/courses?{bad}", headers=auth)
        assert refused.status_code == 422, bad
        assert refused.get_json()["code"]


def test_courses_and_offerings_are_listed_with_pagination_and_seats(client, session):
    offering, _person, _unit, auth = setup(session)
    make_course(session, title="Hemmelig utkast", status="draft",
                org=offering.course.organisation)
    response = client.get("/api/v1/courses", headers=auth)
    assert response.status_code == 200
    assert [c["slug"] for c in response.get_json()] == ["it-i-hverdagen"]
    assert json.loads(response.headers["X-Pagination"])["total"] == 1
    detail = client.get("/api/v1/courses/it-i-hverdagen", headers=auth).get_json()
    assert [m["position"] for m in detail["modules"]] == [1, 2]
    assert detail["offerings"][0]["seats_left"] == 1
    listed = client.get("/api/v1/offerings?course=it-i-hverdagen", headers=auth).get_json()
    assert [o["id"] for o in listed] == [offering.id]
    assert len(listed[0]["sessions"]) == 2 and listed[0]["my_enrolment"] is None
    assert client.get("/api/v1/offerings?course=finnes-ikke", headers=auth).get_json() == []
    assert client.get(f"/api/v1/offerings/{offering.id}", headers=auth).status_code == 200
    assert client.get("/api/v1/courses/finnes-ikke", headers=auth).status_code == 404
    assert client.get("/api/v1/offerings/999999", headers=auth).get_json()["code"] \
        == "not_found"


def test_enrolling_answers_201_then_409_and_a_full_offering_waitlists(client, session):
    offering, person, unit, auth = setup(session)
    url = f"/api/v1/offerings/{offering.id}/enrolments"
    first = client.post(url, headers=auth, json={})
    assert first.status_code == 201
    assert first.get_json()["status"] == "enrolled" and "id" in first.get_json()
    again = client.post(url, headers=auth)
    assert again.status_code == 409
    assert again.get_json()["code"] == "already_enrolled"
    other = make_user(session, unit=unit)
    second = client.post(url, headers=bearer(make_token(session, other)))
    assert second.get_json()["status"] == "waitlisted"
    assert second.get_json()["waitlist_position"] == 1
    mine = client.get(f"/api/v1/offerings/{offering.id}", headers=auth).get_json()
    assert mine["my_enrolment"]["status"] == "enrolled"


def test_a_malformed_body_is_422_and_enrols_nobody(client, session):
    offering, _person, _unit, auth = setup(session)
    url = f"/api/v1/offerings/{offering.id}/enrolments"
    for body in ({"user_id": "abc"}, {"user_id": 1, "extra": True}):
        response = client.post(url, headers=auth, json=body)
        assert response.status_code == 422, body
        assert response.get_json()["code"] == "validation_error"
    response = client.post(url, headers={**auth, "Content-Type": "application/json"},
                           data="{not json")
    assert response.status_code == 400 and response.is_json
    assert count(session, offering) == 0


def test_an_organiser_enrols_someone_else_but_a_participant_may_not(client, session):
    offering, person, unit, auth = setup(session, capacity=5)
    other = make_user(session, unit=unit)
    url = f"/api/v1/offerings/{offering.id}/enrolments"
    refused = client.post(url, headers=auth, json={"user_id": other.id})
    assert refused.status_code == 403 and refused.get_json()["code"] == "not_your_person"
    organiser = make_user(session, org=offering.organisation, roles=["organiser"])
    made = client.post(url, headers=bearer(make_token(session, organiser)),
                       json={"user_id": other.id})
    assert made.status_code == 201 and made.get_json()["user_id"] == other.id
    assert count(session, offering) == 1


def test_delete_cancels_my_enrolment_promotes_the_next_and_refuses_someone_elses(client,
                                                                                  session):
    offering, person, unit, auth = setup(session)
    mine = make_enrolment(session, offering, person)
    waiting = make_enrolment(session, offering, make_user(session, unit=unit),
                             status="waitlisted")
    stranger = bearer(make_token(session, make_user(session, unit=unit)))
    assert client.delete(f"/api/v1/enrolments/{mine.id}", headers=stranger).status_code \
        == 404
    response = client.delete(f"/api/v1/enrolments/{mine.id}", headers=auth)
    assert response.status_code == 200
    assert response.get_json()["status"] == "cancelled"
    assert session.scalar(sa.select(Enrolment.status).where(Enrolment.id == waiting.id)) \
        == "enrolled"
    again = client.delete(f"/api/v1/enrolments/{mine.id}", headers=auth)
    assert again.status_code == 409 and again.get_json()["code"] == "not_cancellable"
    assert session.scalar(sa.select(Offering.taken).where(Offering.id == offering.id)) == 1


def test_errors_come_in_the_callers_language(client, session):
    offering, person, _unit, auth = setup(session)
    offering.status = "cancelled"
    session.flush()
    url = f"/api/v1/offerings/{offering.id}/enrolments"
    response = client.post(url, headers={**auth, "Accept-Language": "en"})
    assert response.get_json() == {"code": "offering_cancelled",
                                   "message": "This offering is cancelled."}


def test_a_closed_window_and_a_passed_deadline_are_refused_and_change_nothing(client,
                                                                               session):
    offering, person, unit, auth = setup(session, capacity=5)
    offering.contact_name, offering.contact_email = "Ola Strand", "ola@example.org"
    mine = make_enrolment(session, offering, person)
    offering.cancel_deadline_at = utcnow() - timedelta(days=1)
    offering.enrol_closes_at = utcnow() - timedelta(hours=1)
    session.flush()
    late = client.post(f"/api/v1/offerings/{offering.id}/enrolments",
                       headers=bearer(make_token(session, make_user(session, unit=unit))))
    assert late.status_code == 400 and late.get_json()["code"] == "enrolment_closed"
    refused = client.delete(f"/api/v1/enrolments/{mine.id}", headers=auth)
    assert refused.status_code == 400
    assert refused.get_json()["code"] == "cancel_deadline_passed"
    assert "Ola Strand (ola@example.org)" in refused.get_json()["message"]
    assert count(session, offering) == 1
    assert session.scalar(sa.select(Enrolment.status).where(Enrolment.id == mine.id)) \
        == "enrolled"
    assert session.scalar(sa.select(Offering.taken).where(Offering.id == offering.id)) == 1


def test_an_unknown_offering_or_enrolment_is_a_json_404(client, session):
    _offering, _person, _unit, auth = setup(session)
    for method, url in (("post", "/api/v1/offerings/999999/enrolments"),
                        ("delete", "/api/v1/enrolments/999999"),
                        ("get", "/api/v1/offerings/999999"),
                        ("get", "/api/v1/courses/finnes-ikke")):
        response = getattr(client, method)(url, headers=auth)
        assert response.status_code == 404 and response.is_json, url
        assert set(response.get_json()) >= {"code", "message"}, url


def test_an_organiser_enrolling_someone_costs_a_fixed_few_statements(client, session,
                                                                     count_queries):
    """Token, offering (with its course and sessions), the person with their enrolment so
    far, the seat, the new row, the e-mail and the audit trail, with a calendar invite or
    without: the row is written with the SEQUENCE its invite carries."""
    offering, _person, unit, _auth = setup(session, capacity=5)
    without_sessions = make_offering(session, course=offering.course, capacity=5, sessions=0)
    organiser = make_user(session, org=offering.organisation, roles=["organiser"])
    auth = bearer(make_token(session, organiser))
    counts = []
    for item in (offering, without_sessions):
        person = make_user(session, unit=unit)
        with count_queries() as queries:
            response = client.post(f"/api/v1/offerings/{item.id}/enrolments",
                                   json={"user_id": person.id}, headers=auth)
        assert response.status_code == 201
        assert response.get_json()["status"] == "enrolled"
        counts.append(queries.count)
        mail = session.scalar(sa.select(OutboxEmail).where(OutboxEmail.user_id == person.id))
        sequences = re.findall(r"^SEQUENCE:(\d+)", mail.calendar or "", re.MULTILINE)
        stored = session.scalar(sa.select(Enrolment.ics_sequence)
                                .where(Enrolment.id == response.get_json()["id"]))
        assert (set(sequences), stored) == (({"1"}, 1) if item is offering else (set(), 0))
    assert counts == [7, 7], counts


def test_joining_the_waitlist_through_the_api_counts_the_place_once_for_mail_and_answer(
        client, session, count_queries):
    """Token, offering, the person with their enrolment so far, the seat that is not
    there (on PostgreSQL the offering's lock before it: it was full when read), the new
    row, the place, the e-mail and the audit trail. On SQLite the write transaction is the
    only writer: no lock, and the seat is not tried twice."""
    offering, _person, unit, _auth = setup(session, capacity=1)
    organiser = make_user(session, org=offering.organisation, roles=["organiser"])
    auth = bearer(make_token(session, organiser))
    places, counts = [], []
    for _ in range(3):
        person = make_user(session, unit=unit)
        with count_queries() as queries:
            response = client.post(f"/api/v1/offerings/{offering.id}/enrolments",
                                   json={"user_id": person.id}, headers=auth)
        assert response.status_code == 201
        counts.append(queries.count)
        places.append(response.get_json()["waitlist_position"])
        mail = session.scalar(sa.select(OutboxEmail).where(OutboxEmail.user_id == person.id))
        if places[-1] is not None:
            assert f"nummer {places[-1]} på ventelisten" in mail.body_text
    assert places == [None, 1, 2]
    waitlisted = 9 if session.get_bind().dialect.name == "postgresql" else 8
    assert counts[1:] == [waitlisted, waitlisted], counts


def test_an_organiser_enrolling_someone_twice_gets_409_and_after_a_cancellation_the_row_back(
        client, session):
    offering, _person, unit, _auth = setup(session, capacity=5)
    organiser = make_user(session, org=offering.organisation, roles=["organiser"])
    auth = bearer(make_token(session, organiser))
    person = make_user(session, unit=unit)
    url = f"/api/v1/offerings/{offering.id}/enrolments"
    first = client.post(url, json={"user_id": person.id}, headers=auth).get_json()
    again = client.post(url, json={"user_id": person.id}, headers=auth)
    assert again.status_code == 409
    assert again.get_json()["code"] == "already_enrolled"
    cancelled = client.delete(f"/api/v1/enrolments/{first['id']}", headers=auth)
    assert cancelled.get_json()["status"] == "cancelled"
    back = client.post(url, json={"user_id": person.id}, headers=auth)
    assert back.status_code == 201
    assert (back.get_json()["id"], back.get_json()["status"]) == (first["id"], "enrolled")
    assert count(session, offering) == 1
    session.expire_all()
    assert session.get(Offering, offering.id).taken == 1

"""The attendance and check-in API: GET and bulk PUT of a session's attendance, the check-in
token, the sign-in sheet, and POST /checkin."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.orm import utcnow
from app.seminars.checkin_tokens import make_token, read_token
from app.seminars.models import Attendance
from tests.factories import make_token as api_token
from tests.factories import make_user
from tests.seminars.builders import enrol, enrol_many, make_seminar, organiser_of


def bearer(session, user):
    return {"Authorization": f"Bearer {api_token(session, user)}"}


def attendance(session, s):
    return {a.user_id: (str(a.status), a.version, a.recorded_at, str(a.method))
            for a in session.scalars(sa.select(Attendance).where(Attendance.session_id == s.id)
                                     .execution_options(populate_existing=True))}


def test_get_lists_everyone_with_their_mark_and_paginates(client, session):
    offering = make_seminar(session)
    [s] = offering.sessions
    organiser = organiser_of(session, offering)
    people = enrol_many(session, offering, 5)
    headers = bearer(session, organiser)
    client.put(f"/api/v1/sessions/{s.id}/attendance", headers=headers,
               json=[{"user_id": people[0].id, "status": "late"}])
    response = client.get(f"/api/v1/sessions/{s.id}/attendance?per_page=2&page=1",
                          headers=headers)
    assert response.status_code == 200
    assert json.loads(response.headers["X-Pagination"]) == {
        "total": 5, "total_pages": 3, "first_page": 1, "last_page": 3, "page": 1,
        "next_page": 2}
    everyone = client.get(f"/api/v1/sessions/{s.id}/attendance?per_page=500",
                          headers=headers).get_json()
    by_id = {row["user_id"]: row for row in everyone}
    assert by_id[people[0].id]["status"] == "late" and by_id[people[0].id]["version"] == 1
    assert by_id[people[1].id]["status"] is None and by_id[people[1].id]["version"] == 0
    assert client.get(f"/api/v1/sessions/{s.id}/attendance?per_page=501",
                      headers=headers).status_code == 422


def test_put_is_last_writer_wins_and_the_same_body_twice_changes_nothing(client, session):
    offering = make_seminar(session)
    [s] = offering.sessions
    organiser = organiser_of(session, offering)
    people = enrol_many(session, offering, 3)
    headers = bearer(session, organiser)
    body = [{"user_id": p.id, "status": "present"} for p in people]
    first = client.put(f"/api/v1/sessions/{s.id}/attendance", headers=headers, json=body)
    assert first.status_code == 200
    assert first.get_json() == {"session_id": s.id, "received": 3, "changed": 3,
                                "changed_user_ids": sorted(p.id for p in people)}
    before = attendance(session, s)
    second = client.put(f"/api/v1/sessions/{s.id}/attendance", headers=headers, json=body)
    assert second.get_json()["changed"] == 0
    assert attendance(session, s) == before  # not recorded_at, not the version
    body[0]["status"] = "excused"
    third = client.put(f"/api/v1/sessions/{s.id}/attendance", headers=headers, json=body)
    assert third.get_json()["changed_user_ids"] == [people[0].id]
    after = attendance(session, s)
    assert after[people[0].id][:2] == ("excused", 2)
    assert after[people[1].id] == before[people[1].id]


def _put_statements(client, session, count_queries, n):
    offering = make_seminar(session)
    organiser = organiser_of(session, offering)
    people = enrol_many(session, offering, n)
    headers = bearer(session, organiser)
    with count_queries() as q:
        response = client.put(f"/api/v1/sessions/{offering.sessions[0].id}/attendance",
                              headers=headers,
                              json=[{"user_id": p.id, "status": "present"} for p in people])
    assert response.get_json()["changed"] == n
    return q.count


def test_marking_two_hundred_is_one_request_whose_statements_do_not_grow(client, session,
                                                                         count_queries):
    assert _put_statements(client, session, count_queries, 200) == _put_statements(
        client, session, count_queries, 10)


def test_put_refuses_bad_bodies_with_json_errors_and_writes_nothing(client, session):
    offering = make_seminar(session)
    [s] = offering.sessions
    organiser = organiser_of(session, offering)
    [kari] = enrol_many(session, offering, 1)
    headers = bearer(session, organiser)
    url = f"/api/v1/sessions/{s.id}/attendance"
    bad_status = client.put(url, headers=headers, json=[{"user_id": kari.id, "status": "x"}])
    assert bad_status.status_code == 422 and bad_status.get_json()["code"] == "validation_error"
    stranger = make_user(session)
    unknown = client.put(url, headers=headers,
                         json=[{"user_id": stranger.id, "status": "present"}])
    assert unknown.status_code == 422 and unknown.get_json()["code"] == "not_on_list"
    twice = client.put(url, headers=headers, json=[{"user_id": kari.id, "status": "present"},
                                                   {"user_id": kari.id, "status": "late"}])
    assert twice.status_code == 422 and twice.get_json()["code"] == "duplicate_person"
    assert attendance(session, s) == {}


def test_sessions_outside_the_callers_reach_are_404_and_participants_403(client, session):
    offering = make_seminar(session)
    [s] = offering.sessions
    elsewhere = make_user(session, roles=["organiser"])
    response = client.get(f"/api/v1/sessions/{s.id}/attendance",
                          headers=bearer(session, elsewhere))
    assert response.status_code == 404 and response.get_json()["code"] == "not_found"
    participant = make_user(session, org=offering.organisation)
    assert client.put(f"/api/v1/sessions/{s.id}/attendance", json=[],
                      headers=bearer(session, participant)).status_code == 403


def test_the_checkin_token_and_its_url(app, client, session):
    offering = make_seminar(session)
    [s] = offering.sessions
    body = client.get(f"/api/v1/sessions/{s.id}/checkin-token",
                      headers=bearer(session, organiser_of(session, offering))).get_json()
    assert body["url"] == f"http://localhost/checkin/{body['token']}"
    assert body["open"] is True
    assert read_token(app.config["SECRET_KEY"], body["token"], utcnow(), 300).session_id == s.id
    assert body["opens_at"] < body["rotates_at"] < body["expires_at"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_sign_in_sheet_pdf(client, session):
    offering = make_seminar(session)
    [s] = offering.sessions
    [kari] = enrol_many(session, offering, 1)
    response = client.get(f"/api/v1/sessions/{s.id}/signin-sheet.pdf",
                          headers=bearer(session, organiser_of(session, offering)))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True,
                          check=True).stdout.decode()
    assert kari.name in text and "Signaturliste" in text


def test_post_checkin_registers_once_then_says_already_registered(app, client, session):
    offering = make_seminar(session)
    [s] = offering.sessions
    kari = make_user(session)
    enrol(session, offering, kari)
    headers = bearer(session, kari)
    token = make_token(app.config["SECRET_KEY"], s.id, utcnow())
    first = client.post("/api/v1/checkin", headers=headers, json={"token": token})
    assert first.status_code == 200
    assert first.get_json() == {"result": "registered", "status": "present",
                                "session_id": s.id, "session": s.title}
    before = attendance(session, s)
    again = client.post("/api/v1/checkin", headers=headers, json={"token": token})
    assert again.get_json()["result"] == "already_registered"
    assert attendance(session, s) == before


@pytest.mark.parametrize(("age", "key", "code", "status"), [
    (timedelta(minutes=7), None, "checkin_token_expired", 400),
    (timedelta(0), "forged", "checkin_token_invalid", 400),
])
def test_post_checkin_refuses_expired_and_forged_codes(app, client, session, age, key, code,
                                                       status):
    offering = make_seminar(session)
    [s] = offering.sessions
    kari = make_user(session)
    enrol(session, offering, kari)
    token = make_token(key or app.config["SECRET_KEY"], s.id, utcnow() - age)
    response = client.post("/api/v1/checkin", headers=bearer(session, kari),
                           json={"token": token})
    assert response.status_code == status
    assert response.get_json()["code"] == code
    assert attendance(session, s) == {}


def test_post_checkin_for_someone_not_enrolled_is_403_or_a_walk_in_request(app, client,
                                                                          session):
    offering = make_seminar(session)
    [s] = offering.sessions
    visitor = make_user(session)
    headers = bearer(session, visitor)
    token = make_token(app.config["SECRET_KEY"], s.id, utcnow())
    refused = client.post("/api/v1/checkin", headers=headers, json={"token": token})
    assert refused.status_code == 403 and refused.get_json()["code"] == "not_enrolled"
    asked = client.post("/api/v1/checkin", headers=headers,
                        json={"token": token, "walk_in": True})
    assert asked.get_json()["result"] == "walk_in_requested"
    assert attendance(session, s) == {}


def test_the_api_is_described_in_the_openapi_spec(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/sessions/{session_id}/attendance", "/api/v1/checkin",
                 "/api/v1/sessions/{session_id}/checkin-token",
                 "/api/v1/sessions/{session_id}/signin-sheet.pdf"):
        assert path in paths, path
    assert {"get", "put"} <= set(paths["/api/v1/sessions/{session_id}/attendance"])

"""A number larger than the database holds, or "digits" that are no number ("²"), in a
URL, a query, a form or an API body is answered as a wrong value, never with an error of
the server (SQLite refuses a parameter beyond 64 bits, PostgreSQL one beyond 32)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.common.numbers import INTEGER_MAX
from tests.factories import make_token, make_user

HUGE = "9" * 25
BEYOND = str(INTEGER_MAX + 1)


def _paths_with_numbers(app, number: str) -> list[tuple[str, str]]:
    """(method, path) of every route with a number in its path, the number given."""
    found = []
    for rule in app.url_map.iter_rules():
        if "int" not in {c for _, c, _ in _parts(rule.rule)}:
            continue
        path = re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>",
                      lambda m: number if m.group(1) == "int" else "x", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, path))
    return found


def _parts(rule: str):
    for match in re.finditer(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", rule):
        yield match.group(2), match.group(1) or "default", match.group(0)


@pytest.mark.parametrize("number", [HUGE, BEYOND])
def test_no_route_answers_a_number_beyond_the_database_with_a_server_error(
        app, client, session, login_as, number):
    login_as(make_user(session, roles=["admin", "organiser", "hr", "editor"]))
    routes = _paths_with_numbers(app, number)
    assert len(routes) > 50
    answers = {(method, path): client.open(path, method=method).status_code
               for method, path in routes}
    assert {key: code for key, code in answers.items() if code >= 500} == {}
    got = {(m, p) for (m, p), code in answers.items() if m == "GET" and code == 404}
    assert got == {(m, p) for m, p in routes if m == "GET"}


def test_pages_read_their_numbers_or_ignore_them(client, session, login_as, demo):
    demo()
    login_as(make_user(session, roles=["admin", "hr"]))
    for path in ("/kurs?side=²", f"/kurs?side={HUGE}", f"/kurs?arrangor={HUGE}",
                 "/kurs?arrangor=²", "/evalueringer/resultater?periode=²²²²",
                 f"/admin/personer?enhet={HUGE}", "/admin/personer?enhet=²"):
        assert client.get(path).status_code == 200, path
    for path in ("/rapporter/mangler?enhet=²", f"/rapporter/mangler?enhet={BEYOND}",
                 f"/rapporter?organisasjon={HUGE}"):
        page = client.get(path)
        assert page.status_code == 400, path
        assert "Ukjent" in page.get_data(as_text=True)


def test_the_api_refuses_numbers_beyond_the_database_as_invalid(client, session, demo):
    demo()
    token = make_token(session, make_user(session, roles=["admin", "organiser", "hr"]))
    auth = {"Authorization": f"Bearer {token}"}
    for path in (f"/api/v1/courses?page={HUGE}", f"/api/v1/offerings?per_page=10&page={BEYOND}",
                 f"/api/v1/reports/competence?unit={HUGE}",
                 f"/api/v1/reports/gaps?organisation={BEYOND}"):
        answer = client.get(path, headers=auth)
        assert answer.status_code == 422, path
        assert answer.get_json()["code"] == "validation_error"
    answer = client.post("/api/v1/offerings/1/enrolments", json={"user_id": int(HUGE)},
                         headers=auth)
    assert answer.status_code == 422
    bulk = [{"user_id": int(BEYOND), "status": "present"}]
    assert client.put("/api/v1/sessions/1/attendance", json=bulk,
                      headers=auth).status_code == 422


def test_forms_with_numbers_beyond_the_database_change_nothing(client, session, login_as):
    from app.seminars.models import Attendance
    from tests.conftest import csrf_token_from
    from tests.seminars.builders import enrol_many, make_seminar, organiser_of

    offering = make_seminar(session)
    [s] = offering.sessions
    login_as(organiser_of(session, offering))
    [kari] = enrol_many(session, offering, 1)
    grid = f"/samlinger/okter/{s.id}/oppmote"
    token = csrf_token_from(client.get(grid).get_data(as_text=True))
    headers = {"Accept": "application/json", "X-CSRFToken": token}
    for mark in (f"user:{HUGE}:present:0", f"user:{kari.id}:present:{HUGE}",
                 f"user:{kari.id}:present:²", f"participant:{BEYOND}:late:0"):
        answer = client.post(grid, data={"mark": mark}, headers=headers)
        assert answer.status_code == 422, mark
    assert session.scalar(sa.select(sa.func.count(Attendance.id))) == 0

    login_as(make_user(session, org=offering.organisation, roles=["hr"]))
    token = csrf_token_from(client.get("/rapporter/mangler").get_data(as_text=True))
    answer = client.post("/rapporter/mangler/paminnelse",
                         data={"csrf_token": token, "person": HUGE, "course": "1"})
    assert answer.status_code == 400

"""A person downloads everything the platform holds about them, as JSON, from their profile
page and from the API."""

from __future__ import annotations

import json

from tests.factories import make_token, make_user
from tests.privacy.builders import EMAIL, NAME, build_world


def test_the_profile_page_links_the_download(client, session, login_as):
    login_as(make_user(session))
    page = client.get("/profil").get_data(as_text=True)
    assert 'href="/profil/mine-data.json"' in page


def test_the_download_holds_every_kind_of_data_about_the_person(app, client, session,
                                                                   login_as):
    world = build_world(app, session)
    login_as(world.leaver)
    response = client.get("/profil/mine-data.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["format"] == "kurs-export/1"
    assert data["profile"]["name"] == NAME and data["profile"]["email"] == EMAIL
    assert data["profile"]["leads_units"] == ["Avdeling Øst"]
    assert [r["role"] for r in data["roles"]] == ["organiser"]
    assert [t["name"] for t in data["api_tokens"]] == ["min integrasjon"]
    assert "token_hash" not in json.dumps(data)
    assert len(data["login_attempts"]) == 2
    assert {e["status"] for e in data["enrolments"]} == {"enrolled"}
    assert len(data["enrolments"]) == 2
    assert [a["status"] for a in data["attendance"]] == ["present", "present"]
    assert data["registration_answers"][0]["diet"] == "Glutenfri, nøtteallergi"
    assert data["participant_directory"][0]["phone"] == "99887766"
    assert data["walk_ins"][0]["status"] == "confirmed"
    [attempt] = data["quiz_attempts"]
    assert attempt["passed"] is True
    assert {"text": f"Jeg heter {NAME}"} in [a["response"] for a in attempt["answers"]]
    assert sorted(c["source"] for c in data["completions"]) == ["attendance", "external"]
    assert {c["course_title"] for c in data["certificates"]} >= {"IT i hverdagen"}
    [evaluation] = data["evaluations"]
    assert evaluation["comment"] == f"Hilsen {NAME}"
    assert {q["question"] for q in evaluation["own_questions"]} == {"Hva savnet du?",
                                                                    "Lokalet?"}
    assert len(data["modules_read"]) == 2
    assert [p["name"] for p in data["it_projects"]] == ["Turnus"]
    assert set(data["it_projects"][0]["my_roles"]) == {"leader", "registered_by"}
    assert [i["title"] for i in data["toolbox_items"]] == ["Mal"]
    assert "Kursbevis: IT i hverdagen" in {m["subject"] for m in data["emails"]}
    assert all(m["recipient"] == EMAIL for m in data["emails"])
    [view] = data["viewed_by"]
    assert view["viewer"] == "Sigrid HR" and view["kind"] == "accounts.person"
    assert [j["kind"] for j in data["jobs"]] == ["certificates.zip"]
    assert any(e["action"] == "accounts.updated" for e in data["audit_events"])


def test_the_api_gives_the_same_export_to_the_token_holder(app, client, session):
    world = build_world(app, session)
    token = make_token(session, world.leaver)
    response = client.get("/api/v1/me/export", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    data = response.get_json()
    assert data["profile"]["email"] == EMAIL
    assert len(data["attendance"]) == 2


def test_the_api_export_needs_a_token(client):
    response = client.get("/api/v1/me/export")
    assert response.status_code == 401
    assert response.get_json()["code"]


def test_a_colleagues_export_says_nothing_about_the_person(app, client, session, login_as):
    world = build_world(app, session)
    login_as(world.leader)
    body = client.get("/profil/mine-data.json").get_data(as_text=True)
    data = json.loads(body)
    assert data["profile"]["email"] == world.leader.email
    assert data["registration_answers"] == [] and data["attendance"] == []
    assert "Glutenfri" not in body and "Hilsen" not in body

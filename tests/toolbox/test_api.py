"""``GET /api/v1/projects``: the register for other municipal systems, filtered and
paginated, within the caller's organisation, without document links."""

from __future__ import annotations

import json

import pytest

from app.toolbox.models import Network, Phase
from tests.factories import make_org, make_token, make_unit, make_user
from tests.toolbox.builders import attach, make_project


def bearer(session, user) -> dict:
    return {"Authorization": f"Bearer {make_token(session, user)}"}


@pytest.fixture
def world(session):
    org = make_org(session)
    health = make_unit(session, org=org, name="Helse og velferd", code="HOV")
    home_care = make_unit(session, parent=health, name="Hjemmetjenesten", code="HOV-HJ")
    school = make_unit(session, org=org, name="Oppvekst", code="OPP")
    leader = make_user(session, org=org, unit=home_care, email="leder@kommune.example")
    rep = make_user(session, org=org)
    journal = make_project(session, unit=home_care, leader=leader, name="Journalsystem",
                           network=Network.TK_NETT, representative=rep,
                           phase=Phase.ACQUISITION)
    attach(session, journal, "risk_analysis", url="https://intranett.example/hemmelig-ros")
    make_project(session, unit=school, leader=leader, name="Læringsplattform",
                 network=Network.ELEVNETT)
    make_project(session, unit=make_unit(session), leader=make_user(session), name="Fremmed")
    return {"org": org, "leader": leader, "journal": journal, "rep": rep}


def test_the_list_has_the_projects_of_the_callers_organisation_with_contacts(client, session,
                                                                            world):
    response = client.get("/api/v1/projects", headers=bearer(session, world["leader"]))
    assert response.status_code == 200
    body = response.get_json()
    assert [p["name"] for p in body] == ["Journalsystem", "Læringsplattform"]
    journal = body[0]
    assert journal["unit"] == {"id": journal["unit"]["id"], "code": "HOV-HJ",
                               "name": "Hjemmetjenesten"}
    assert journal["contact_email"] == "leder@kommune.example"
    assert journal["network"] == "tk_nett" and journal["representative_required"] is True
    assert journal["it_representative"]["id"] == world["rep"].id
    assert body[1]["it_representative"] is None
    assert json.loads(response.headers["X-Pagination"])["total"] == 2


@pytest.mark.parametrize(("query", "names"), [
    ("?unit=HOV", ["Journalsystem"]),
    ("?phase=acquisition", ["Journalsystem"]),
    ("?network=elevnett", ["Læringsplattform"]),
    ("?q=plattform", ["Læringsplattform"]),
])
def test_the_list_filters(client, session, world, query, names):
    response = client.get("/api/v1/projects" + query, headers=bearer(session, world["leader"]))
    assert [p["name"] for p in response.get_json()] == names


def test_the_list_is_paginated(client, session, world):
    response = client.get("/api/v1/projects?per_page=1&page=2",
                          headers=bearer(session, world["leader"]))
    assert [p["name"] for p in response.get_json()] == ["Læringsplattform"]
    meta = json.loads(response.headers["X-Pagination"])
    assert meta == {"total": 2, "total_pages": 2, "first_page": 1, "last_page": 2, "page": 2,
                    "previous_page": 1}


@pytest.mark.parametrize(("query", "code"), [
    ("?unit=NOPE", "unit_unknown"), ("?phase=done", "validation_error"),
    ("?per_page=501", "validation_error"),
])
def test_bad_filters_are_422_json(client, session, world, query, code):
    response = client.get("/api/v1/projects" + query, headers=bearer(session, world["leader"]))
    assert response.status_code == 422
    assert response.get_json()["code"] == code


def test_one_project_lists_its_documents_without_their_links(client, session, world):
    response = client.get(f"/api/v1/projects/{world['journal'].id}",
                          headers=bearer(session, world["leader"]))
    body = response.get_json()
    assert body["documents"] == [{"category": "risk_analysis", "status": "approved",
                                  "attached": True}]
    assert "hemmelig" not in response.get_data(as_text=True)


def test_another_organisations_project_is_404_and_no_token_is_401(client, session, world):
    outsider = make_user(session)
    response = client.get(f"/api/v1/projects/{world['journal'].id}",
                          headers=bearer(session, outsider))
    assert response.status_code == 404 and response.get_json()["code"] == "not_found"
    assert client.get("/api/v1/projects").status_code == 401


def test_the_openapi_spec_describes_the_projects_endpoint(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/projects" in spec["paths"]
    parameters = {p["name"] for p in spec["paths"]["/api/v1/projects"]["get"]["parameters"]}
    assert {"unit", "phase", "network", "q", "page", "per_page"} <= parameters

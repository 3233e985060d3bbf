"""The home page and the health check."""

from __future__ import annotations

import pytest

from app.demo.services import load_demo
from tests.factories import make_unit, make_user


def test_a_unit_leader_sees_how_many_people_they_lead(client, session, login_as):
    unit = make_unit(session, name="Hjemmetjenesten")
    team = make_unit(session, parent=unit, name="Team Nardo")
    leader = make_user(session, unit=unit, leader_level="mellomleder")
    unit.manager = leader
    for _ in range(3):
        make_user(session, unit=team)
    make_user(session, unit=team, leader_level="forstelinjeleder")
    login_as(leader)
    page = client.get("/").get_data(as_text=True)
    assert "Du leder Hjemmetjenesten" in page
    assert ">5<" in page  # the leader, three staff and a team leader
    assert "hvorav 2 ledere" in page


def test_hr_sees_leaders_per_level_in_their_own_organisation_only(client, session, login_as):
    unit = make_unit(session)
    login_as(make_user(session, unit=unit, roles=["hr"]))
    make_user(session, unit=unit, leader_level="toppleder")
    make_user(session, leader_level="toppleder")  # another organisation
    page = client.get("/").get_data(as_text=True)
    assert "Ledere i organisasjonen" in page
    assert "<td>Toppleder</td><td class=\"num\">1</td>" in page


@pytest.mark.parametrize("employees", [0, 1])
def test_the_home_page_uses_a_bounded_number_of_queries(app, client, session, login_as,
                                                        count_queries, employees):
    if employees:
        with app.app_context():
            load_demo(session)
    unit = make_unit(session)
    leader = make_user(session, unit=unit, roles=["hr", "admin"], leader_level="mellomleder")
    unit.manager = leader
    login_as(leader)
    with count_queries() as queries:
        assert client.get("/").status_code == 200
    assert queries.count <= 8, queries.statements


def test_health_is_public_json(client):
    response = client.get("/health")
    assert response.get_json() == {"status": "ok", "database": "ok"}

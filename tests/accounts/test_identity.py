"""A person is kept in memory between their requests exactly while the directory is
unchanged: every change to an organisation, a unit, a person or a role, whether made by
the ORM, by a bulk statement or by hand in SQL, is seen by the very next request."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import g

from app.accounts import identity
from app.accounts.models import User
from app.common.models import AuditEvent
from app.extensions import db
from tests.conftest import Browser, csrf_token_from
from tests.factories import make_org, make_unit, make_user

GENERATION = "SELECT value FROM directory_generation WHERE id = 1"


def _generation(session) -> int:
    return session.execute(sa.text(GENERATION)).scalar_one()


def _kept(app) -> dict:
    return app.extensions.get("kurs_identities", {})


def _statement():
    from app.accounts.login import _load_user_statement

    return _load_user_statement()


def test_a_person_seen_again_costs_one_single_row_read(client, session, login_as,
                                                       count_queries, app):
    user = login_as(make_user(session))
    with count_queries() as first:
        assert client.get("/personvern").status_code == 200
    assert any("FROM user_account" in s for s in first.statements)
    assert user.id in _kept(app)

    with count_queries(cold=False) as second:
        assert client.get("/personvern").status_code == 200
    assert second.statements == [GENERATION]


@pytest.mark.parametrize("change", [
    "UPDATE user_account SET active = false WHERE id = :user",
    "UPDATE user_account SET session_version = session_version + 1 WHERE id = :user",
])
def test_a_deactivation_or_a_new_session_version_logs_the_person_out_at_once(
        client, session, login_as, app, change):
    user = login_as(make_user(session))
    assert client.get("/profil").status_code == 200
    assert user.id in _kept(app)

    session.execute(sa.text(change), {"user": user.id})
    response = client.get("/profil")
    assert response.status_code == 302 and "/login" in response.location


def test_a_role_taken_away_in_sql_is_gone_on_the_next_request(client, session, login_as):
    user = login_as(make_user(session, roles=["admin"]))
    assert client.get("/admin/utboks/").status_code == 200

    session.execute(sa.text("DELETE FROM role_assignment WHERE user_id = :user"),
                    {"user": user.id})
    assert client.get("/admin/utboks/").status_code == 403


def test_a_renamed_unit_and_organisation_and_a_lost_lead_show_on_the_next_request(
        client, session, login_as):
    org = make_org(session, name="Gammel kommune")
    unit = make_unit(session, org=org, name="Gammel enhet")
    user = login_as(make_user(session, org=org, unit=unit, roles=["hr"]))
    led = make_unit(session, org=org, name="Ledet enhet", manager=user)
    page = client.get("/profil").text
    assert "Gammel enhet" in page and "Gammel kommune" in page and "Ledet enhet" in page

    session.execute(sa.text("UPDATE unit SET name = 'Ny enhet' WHERE id = :id"),
                    {"id": unit.id})
    session.execute(sa.text("UPDATE organisation SET name = 'Ny kommune' WHERE id = :id"),
                    {"id": org.id})
    session.execute(sa.text("UPDATE unit SET manager_id = NULL WHERE id = :id"),
                    {"id": led.id})
    page = client.get("/profil").text
    assert "Ny enhet" in page and "Ny kommune" in page
    assert "Gammel" not in page and "Ledet enhet" not in page


@pytest.mark.parametrize("statement", [
    "INSERT INTO organisation (slug, name, kind, created_at) "
    "VALUES ('ny', 'Ny', 'municipality', CURRENT_TIMESTAMP)",
    "UPDATE organisation SET name = name WHERE id = :org",
    "INSERT INTO unit (organisation_id, path, depth, name, code, active) "
    "VALUES (:org, '/', 0, 'Ny', 'NY', true)",
    "UPDATE unit SET name = name WHERE id = :unit",
    "DELETE FROM unit WHERE id = :unit",
    "UPDATE user_account SET title = 'Rådgiver' WHERE id = :user",
    "DELETE FROM user_account WHERE id = :user",
    "INSERT INTO role_assignment (user_id, role, organisation_id, source, created_at) "
    "VALUES (:user, 'hr', :org, 'manual', CURRENT_TIMESTAMP)",
    "DELETE FROM role_assignment WHERE user_id = :user",
])
def test_every_write_to_a_directory_table_raises_the_generation(session, statement):
    org = make_org(session)
    unit = make_unit(session, org=org)
    user = make_user(session, org=org, roles=["admin"])
    before = _generation(session)
    session.execute(sa.text(statement), {"org": org.id, "unit": unit.id, "user": user.id})
    assert _generation(session) > before


def test_writes_elsewhere_leave_the_generation_alone(session):
    before = _generation(session)
    session.execute(sa.text(
        "INSERT INTO audit_event (at, action) VALUES (CURRENT_TIMESTAMP, 'test.nothing')"))
    assert _generation(session) == before


def test_someone_logging_in_leaves_everyone_kept(web, session, login_as, app):
    other = make_user(session, password="et langt og godt passord")
    kept = login_as(make_user(session))
    web.get("/personvern")
    generation = _kept(app)[kept.id][0]
    browser = Browser(app.test_client())

    page = browser.get("/login").text
    response = browser.post("/login", {"csrf_token": csrf_token_from(page), "email": other.email,
                                   "password": "et langt og godt passord", "next": ""})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(User, other.id).last_login_at is not None
    assert _generation(session) == generation


def test_a_request_that_writes_does_not_keep_its_person(web, session, login_as, app):
    user = login_as(make_user(session))
    token = web.token()
    assert user.id in _kept(app)

    response = web.post("/sprak", {"csrf_token": token, "lang": "en", "next": "/personvern"})
    assert response.status_code == 302
    assert user.id not in _kept(app)
    assert 'lang="en"' in web.get("/personvern").text


def test_a_person_in_use_is_not_offered_to_another_request(app, session):
    user = make_user(session)
    with app.test_request_context("/personvern"):
        identity.load(db.session, user.id, _statement())
        kept_graph = g.kurs_identity
        identity.keep()
        assert _kept(app)[user.id][1] is kept_graph[1]
    with app.test_request_context("/personvern"):
        first = identity.load(db.session, user.id, _statement())
        assert user.id not in _kept(app)  # taken out while this request holds it
        with app.app_context(), app.test_request_context("/personvern"):
            other = identity.load(db.session, user.id, _statement())
        assert other is not first


def test_a_person_changed_in_a_request_is_not_kept(app, session):
    user = make_user(session)
    with app.test_request_context("/personvern"):
        person = identity.load(db.session, user.id, _statement())
        person.title = "Endret, men aldri lagret"
        identity.keep()
    assert user.id not in _kept(app)


def test_the_store_forgets_the_least_recently_seen_first(app, session, monkeypatch):
    monkeypatch.setattr(identity, "MAX_KEPT", 2)
    people = [make_user(session) for _ in range(3)]
    for person in people:
        with app.test_request_context("/personvern"):
            identity.load(db.session, person.id, _statement())
            identity.keep()
    assert list(_kept(app)) == [people[1].id, people[2].id]


def test_nobody_is_kept_when_the_setting_is_off(client, session, login_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "KURS_KEEP_IDENTITIES", False)
    user = login_as(make_user(session))
    assert client.get("/personvern").status_code == 200
    assert user.id not in _kept(app)


def test_the_person_statement_reads_the_generation_with_the_person(app, session):
    user = make_user(session)
    with app.app_context():
        row = db.session.execute(_statement(), {"user_id": user.id}).unique().one()
    assert isinstance(row[0], User) and row[0].id == user.id
    assert row[1] == _generation(session)


def test_a_report_page_keeps_its_reader_though_it_logs_the_view(client, session, login_as,
                                                                 app, count_queries):
    reader = login_as(make_user(session, roles=["hr"]))
    logged = sa.text("SELECT count(*) FROM access_log WHERE actor_id = :id")
    assert client.get("/rapporter").status_code == 200
    assert reader.id in _kept(app)

    with count_queries(cold=False) as second:
        assert client.get("/rapporter").status_code == 200
    assert second.statements[0] == GENERATION
    assert not any("FROM user_account" in s for s in second.statements[:2])
    assert session.execute(logged, {"id": reader.id}).scalar_one() == 2


def test_a_flush_elsewhere_that_is_never_committed_leaves_the_person_kept(app, session):
    user = make_user(session)
    with app.test_request_context("/personvern"):
        identity.load(db.session, user.id, _statement())
        db.session.add(AuditEvent(action="test.nothing"))
        db.session.flush()
        identity.keep()
    assert user.id in _kept(app)


def test_a_flush_to_the_directory_is_never_kept_even_when_undone(app, session):
    user = make_user(session)
    with app.test_request_context("/personvern"):
        person = identity.load(db.session, user.id, _statement())
        person.title = "Lagret, men rullet tilbake"
        db.session.flush()
        identity.keep()
    assert user.id not in _kept(app)

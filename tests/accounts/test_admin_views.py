"""Admin pages for people: every list limited to the admin's organisation, roles with a
unit scope, deactivation that ends sessions and tokens, service accounts, units, the log."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import ApiToken, RoleAssignment
from app.common.models import AuditEvent
from tests.factories import make_org, make_token, make_unit, make_user


@pytest.fixture
def org(session):
    return make_org(session, name="Kommunen")


@pytest.fixture
def admin(session, org, login_as):
    return login_as(make_user(session, org=org, roles=["admin"], name="Ada Admin"))


def page(web, url) -> str:
    response = web.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_the_people_list_shows_only_the_admins_organisation_whatever_the_filter(
        web, session, org, admin):
    make_user(session, org=org, name="Kari Innenfor")
    outsider = make_user(session, org=make_org(session), name="Kari Utenfor")
    for url in ("/admin/personer", "/admin/personer?q=kari", "/admin/personer?status=all",
                f"/admin/personer?unit={outsider.organisation.id}"):
        text = page(web, url)
        assert "Kari Utenfor" not in text
    assert "Kari Innenfor" in page(web, "/admin/personer?q=kari")
    assert web.get(f"/admin/personer/{outsider.id}").status_code == 404


def test_the_people_list_filters_by_unit_subtree_role_level_and_status(
        web, session, org, admin):
    sector = make_unit(session, org=org, name="Helse")
    team = make_unit(session, parent=sector, name="Team Nardo")
    elsewhere = make_unit(session, org=org, name="Skole")
    make_user(session, unit=team, name="Nils Team", leader_level="forstelinjeleder")
    make_user(session, unit=elsewhere, name="Siri Skole", roles=["hr"])
    make_user(session, org=org, name="Gunnar Gått", active=False)
    assert "Nils Team" in page(web, f"/admin/personer?unit={sector.id}")
    assert "Siri Skole" not in page(web, f"/admin/personer?unit={sector.id}")
    assert "Nils Team" not in page(web, "/admin/personer?role=hr")
    assert "Siri Skole" in page(web, "/admin/personer?role=hr")
    assert "Nils Team" in page(web, "/admin/personer?level=forstelinjeleder")
    assert "Gunnar Gått" not in page(web, "/admin/personer")
    assert "Gunnar Gått" in page(web, "/admin/personer?status=inactive")
    # Nonsense in the filters is ignored, never a 500.
    assert web.get("/admin/personer?unit=abc&role=x&level=%25&page=-3").status_code == 200


def test_a_role_can_be_granted_for_a_unit_subtree_and_revoked(web, session, org, admin):
    unit = make_unit(session, org=org, code="HOV-HJL", name="Hjemmetjenesten")
    person = make_user(session, org=org, name="Hanne HR")
    response = web.post(f"/admin/personer/{person.id}/roller",
                        {"role": "hr", "unit_code": "HOV-HJL"})
    assert response.status_code == 302
    session.expire_all()
    [assignment] = person.roles
    assert (assignment.role, assignment.unit_id) == ("hr", unit.id)
    text = page(web, f"/admin/personer/{person.id}")
    assert "bare Hjemmetjenesten med underenheter" in text
    again = web.post(f"/admin/personer/{person.id}/roller", {"role": "hr",
                                                             "unit_code": "HOV-HJL"})
    assert "Personen har allerede denne rollen." in again.get_data(as_text=True)
    unknown = web.post(f"/admin/personer/{person.id}/roller", {"role": "hr",
                                                               "unit_code": "FINNES-IKKE"})
    assert "Fant ingen enhet med denne koden." in unknown.get_data(as_text=True)
    web.post(f"/admin/personer/{person.id}/roller/{assignment.id}/fjern", {})
    session.expire_all()
    assert person.roles == []
    actions = session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.object_id == str(person.id)).order_by(AuditEvent.id)).all()
    assert actions == ["accounts.role_granted", "accounts.role_revoked"]


def test_an_admin_cannot_remove_their_own_last_admin_role_or_deactivate_themselves(
        web, session, org, admin):
    [own] = admin.roles
    response = web.post(f"/admin/personer/{admin.id}/roller/{own.id}/fjern", {},
                        follow_redirects=True)
    assert "Du kan ikke fjerne din egen siste administratorrolle." in response.get_data(
        as_text=True)
    response = web.post(f"/admin/personer/{admin.id}/deaktiver", {}, follow_redirects=True)
    assert "Du kan ikke deaktivere deg selv." in response.get_data(as_text=True)
    session.expire_all()
    assert admin.active and admin.has_role("admin")


def test_deactivation_ends_sessions_and_tokens_and_reactivation_restores_access(
        web, session, org, admin, app):
    unit = make_unit(session, org=org)
    person = make_user(session, org=org, name="Leo Leder")
    unit.manager_id = person.id
    raw = make_token(session, person)
    their_browser = app.test_client()
    with their_browser.session_transaction() as sess:
        sess["_user_id"] = person.get_id()
    assert their_browser.get("/profil").status_code == 200

    web.post(f"/admin/personer/{person.id}/deaktiver", {})
    assert their_browser.get("/profil").status_code == 302
    api = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 401
    session.expire_all()
    assert person.active is False and person.deactivated_at is not None
    assert unit.manager_id is None

    web.post(f"/admin/personer/{person.id}/aktiver", {})
    api = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 200


def test_a_service_account_gets_a_read_only_token_shown_once(web, session, org, admin, app):
    response = web.post("/admin/tjenestekontoer", {
        "name": "Lønns- og personalsystemet", "organisation": str(org.id), "roles": ["hr"]},
        page="/admin/tjenestekontoer")
    assert response.status_code == 302
    location = response.headers["Location"]
    created = web.post(location + "/tokens", {"name": "Rapportjobb", "scope": "read"},
                       page=location)
    text = created.get_data(as_text=True)
    assert "Tokenet er laget" in text
    raw = text.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert raw.startswith("kurs_")
    assert raw not in page(web, location)  # shown once
    api = app.test_client()
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 200
    assert me.get_json()["roles"][0]["role"] == "hr"
    token = session.scalar(sa.select(ApiToken).where(ApiToken.name == "Rapportjobb"))
    refused = api.delete(f"/api/v1/me/tokens/{token.id}",
                         headers={"Authorization": f"Bearer {raw}"})
    assert refused.status_code == 403
    assert refused.get_json()["code"] == "token_read_only"
    assert "Lønns- og personalsystemet" in page(web, "/admin/tjenestekontoer")
    assert "Lønns- og personalsystemet" not in page(web, "/admin/personer")


def test_admins_make_tokens_only_for_service_accounts(web, session, org, admin):
    person = make_user(session, org=org)
    response = web.post(f"/admin/personer/{person.id}/tokens", {"name": "x", "scope": "read"})
    assert response.status_code == 404
    assert session.scalar(sa.select(ApiToken).where(ApiToken.user_id == person.id)) is None


def test_the_units_page_shows_the_tree_with_leaders_and_headcounts(web, session, org, admin):
    sector = make_unit(session, org=org, name="Helse og velferd", code="HOV")
    leader = make_user(session, org=org, unit=sector, name="Randi Direktør")
    sector.manager_id = leader.id
    team = make_unit(session, parent=sector, name="Team Nardo", code="HOV-1")
    make_user(session, unit=team)
    make_unit(session, org=make_org(session), name="Annen kommunes enhet")
    text = page(web, "/admin/enheter")
    assert "Helse og velferd" in text and "Randi Direktør" in text
    assert "Annen kommunes enhet" not in text
    assert "Team Nardo" in page(web, f"/admin/enheter?under={team.id}")
    assert "Helse og velferd" not in page(web, f"/admin/enheter?under={team.id}")


def test_the_audit_log_filters_and_never_shows_another_organisations_events(
        web, session, org, admin):
    person = make_user(session, org=org, name="Ola Loggført")
    web.post(f"/admin/personer/{person.id}/roller", {"role": "editor", "unit_code": ""})
    outsider = make_user(session, org=make_org(session), roles=["admin"])
    session.add(AuditEvent(actor_id=outsider.id, action="accounts.secret_thing",
                           object_type="User", object_id=str(outsider.id)))
    session.flush()
    text = page(web, "/admin/logg")
    assert "accounts.role_granted" in text
    assert "accounts.secret_thing" not in text
    assert "accounts.secret_thing" not in page(web, "/admin/logg?action=accounts.secret")
    filtered = page(web, f"/admin/logg?object_type=User&object_id={person.id}")
    assert "1 hendelse" in filtered
    assert "0 hendelser" in page(web, "/admin/logg?since=2001-01-01&until=2001-01-02")
    assert web.get("/admin/logg?since=not-a-date&page=x").status_code == 200


def test_a_token_made_on_the_command_line_is_in_its_owners_organisations_log(
        web, session, runner, org, admin):
    person = make_user(session, org=org, email="skript@example.org")
    stranger = make_user(session, org=make_org(session), email="fremmed@example.org")
    for who in (person, stranger):
        result = runner.invoke(args=["tokens", "create", who.email, "--name", f"Cron {who.id}"])
        assert result.exit_code == 0, result.output
    text = page(web, "/admin/logg?action=accounts.token")
    assert "1 hendelse" in text and "accounts.token_created" in text
    token = session.scalar(sa.select(ApiToken).where(ApiToken.user_id == person.id))
    assert "1 hendelse" in page(web, f"/admin/logg?object_type=ApiToken&object_id={token.id}")


@pytest.mark.parametrize("path", ["/admin/personer", "/admin/personer/{id}", "/admin/enheter",
                                  "/admin/logg"])
def test_admin_pages_use_the_same_few_statements_at_two_data_sizes(
        web, session, org, admin, count_queries, path):
    counts = []
    for extra in (5, 60):
        unit = make_unit(session, org=org)
        for _ in range(extra):
            person = make_user(session, unit=unit, roles=[("hr", unit)])
            session.add(RoleAssignment(user=person, role="editor", organisation=org))
        session.flush()
        url = path.format(id=person.id)
        with count_queries() as q:
            assert web.get(url).status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1], counts
    assert 2 < counts[1] <= 8, counts

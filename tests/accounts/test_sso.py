"""Single sign-on against a real OIDC provider (oidc-provider-mock in a thread): people are
matched on the provider's stable subject, linked to an existing account only when the
provider vouches for the address, and given roles from a claim when that is configured."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import sqlalchemy as sa

from app.accounts import sso
from app.accounts.models import RoleSource, User
from app.common.models import AuditEvent
from tests.factories import make_org, make_unit, make_user


@pytest.fixture(scope="module")
def provider():
    """A real OIDC provider on a free port, for the whole module."""
    import oidc_provider_mock

    with oidc_provider_mock.run_server_in_thread(require_nonce=True) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def sso_app(app, provider, monkeypatch):
    monkeypatch.setitem(app.config, "OIDC_METADATA_URL",
                        provider + "/.well-known/openid-configuration")
    monkeypatch.setitem(app.config, "OIDC_CLIENT_ID", "kurs-test")
    monkeypatch.setitem(app.config, "OIDC_CLIENT_SECRET", "not-a-secret")
    monkeypatch.setitem(app.config, "OIDC_ROLE_MAP", "")
    return app


@pytest.fixture
def org(session):
    return make_org(session, slug="kommunen")


def claims_for(provider: str, sub: str, **claims) -> None:
    requests.put(f"{provider}/users/{sub}", json=claims, timeout=5).raise_for_status()


def sso_login(web, sub: str, next_url: str = ""):
    """Press the button, answer the provider's form as ``sub``, follow the callback."""
    start = web.post("/login/sso", {"next": next_url}, page="/login")
    assert start.status_code == 302, start.status_code
    authorize = start.headers["Location"]
    answer = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text[:300]
    callback = urlsplit(answer.headers["Location"])
    assert callback.path == "/login/sso/callback"
    return web.get(f"{callback.path}?{callback.query}")


def test_the_button_shows_only_when_single_sign_on_is_configured(web, app, provider,
                                                                 monkeypatch):
    assert "Logg inn med Microsoft/kommunens konto" not in web.get("/login").get_data(
        as_text=True)
    assert web.post("/login/sso", {}, page="/login").status_code == 404
    monkeypatch.setitem(app.config, "OIDC_METADATA_URL", provider + "/x")
    monkeypatch.setitem(app.config, "OIDC_CLIENT_ID", "kurs-test")
    assert "Logg inn med Microsoft/kommunens konto" in web.get("/login").get_data(as_text=True)


def test_the_login_page_lets_its_form_go_to_the_provider_and_nowhere_else(web, sso_app,
                                                                        provider):
    csp = web.get("/login").headers["Content-Security-Policy"]
    assert f"form-action 'self' {provider}" in csp
    assert provider not in web.get("/personvern").headers["Content-Security-Policy"]


def test_the_login_asks_for_pkce_and_a_nonce(web, sso_app, org):
    start = web.post("/login/sso", {}, page="/login")
    query = parse_qs(urlsplit(start.headers["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"] and query["state"] and query["code_challenge"]
    assert query["redirect_uri"] == ["http://localhost/login/sso/callback"]


def test_a_first_login_creates_the_person_and_the_next_finds_them_again(
        web, session, sso_app, provider, org):
    claims_for(provider, "kari-1", email="Kari@Kommunen.example", name="Kari Nordmann",
               tid="tenant-1", oid="object-1")
    response = sso_login(web, "kari-1", next_url="/profil")
    assert response.headers["Location"] == "/profil"
    assert "Kari Nordmann" in web.get("/profil").get_data(as_text=True)
    user = session.scalar(sa.select(User).where(User.email == "kari@kommunen.example"))
    assert user.oidc_subject == "entra:tenant-1:object-1"
    assert user.organisation_id == org.id and user.password_hash is None
    web.post("/logout", page="/")
    sso_login(web, "kari-1")
    assert session.scalar(sa.select(sa.func.count()).select_from(User)
                          .where(User.oidc_subject == "entra:tenant-1:object-1")) == 1


def test_an_imported_leader_is_linked_on_a_verified_address_and_sees_their_unit(
        web, session, sso_app, provider, org):
    unit = make_unit(session, org=org, name="Team Nardo")
    leader = make_user(session, org=org, unit=unit, email="ingrid@kommunen.example",
                       name="Ingrid Leder", leader_level="forstelinjeleder")
    unit.manager_id = leader.id
    session.flush()
    claims_for(provider, "ingrid", email="ingrid@kommunen.example", email_verified=True,
               name="Ingrid L.")
    sso_login(web, "ingrid")
    assert "Du leder Team Nardo" in web.get("/").get_data(as_text=True)
    session.expire_all()
    assert leader.oidc_subject == f"{provider}|ingrid"
    assert leader.name == "Ingrid Leder"  # the HR system owns the name, not the provider
    assert session.scalar(sa.select(AuditEvent.detail).where(
        AuditEvent.action == "accounts.sso_linked")) == {"matched_on": "verified_email"}


def test_an_unverified_address_never_takes_over_an_existing_account(
        web, session, sso_app, provider, org):
    victim = make_user(session, org=org, email="per@kommunen.example", roles=["admin"])
    claims_for(provider, "attacker", email="per@kommunen.example", name="Not Per")
    response = sso_login(web, "attacker")
    assert response.headers["Location"] == "/login"
    page = web.get("/login").get_data(as_text=True)
    assert "kunne ikke koble den trygt" in page
    session.expire_all()
    assert victim.oidc_subject is None
    assert web.get("/profil").status_code == 302  # not logged in


def test_entra_accounts_link_on_the_employee_number_claim(web, session, sso_app, provider,
                                                          org, monkeypatch):
    monkeypatch.setitem(sso_app.config, "OIDC_EMPLOYEE_NUMBER_CLAIM", "employeeid")
    person = make_user(session, org=org, employee_number="100042", email="old@kommunen.example")
    claims_for(provider, "emp", email="new@kommunen.example", employeeid="100042",
               tid="t", oid="o-42")
    sso_login(web, "emp")
    session.expire_all()
    assert person.oidc_subject == "entra:t:o-42"


def test_roles_follow_the_claim_but_roles_from_an_admin_stay(web, session, sso_app, provider,
                                                             org, monkeypatch):
    monkeypatch.setitem(sso_app.config, "OIDC_ROLE_MAP", "Kurs.HR=hr,Kurs.Arrangor=organiser")
    user = make_user(session, org=org, email="siri@kommunen.example", roles=["editor"],
                     oidc_subject="entra:t:siri")
    claims_for(provider, "siri", tid="t", oid="siri", email="siri@kommunen.example",
               roles=["Kurs.HR", "Kurs.Arrangor", "Noe.Annet"])
    sso_login(web, "siri")
    session.expire_all()
    assert {(str(r.role), str(r.source)) for r in user.roles} == {
        ("editor", "manual"), ("hr", "sso"), ("organiser", "sso")}
    web.post("/logout", page="/")
    claims_for(provider, "siri", tid="t", oid="siri", email="siri@kommunen.example",
               roles=["Kurs.HR"])
    sso_login(web, "siri")
    session.expire_all()
    assert {str(r.role) for r in user.roles} == {"editor", "hr"}
    assert all(r.source == RoleSource.SSO for r in user.roles if r.role == "hr")


def test_a_deactivated_person_cannot_log_in_through_the_provider(web, session, sso_app,
                                                                  provider, org):
    make_user(session, org=org, active=False, oidc_subject="entra:t:gone")
    claims_for(provider, "gone", tid="t", oid="gone", email="gone@kommunen.example")
    response = sso_login(web, "gone")
    assert response.headers["Location"] == "/login"
    assert "Kontoen din er deaktivert" in web.get("/login").get_data(as_text=True)


def test_a_callback_without_a_started_login_is_refused(web, sso_app, org):
    response = web.get("/login/sso/callback?code=forged&state=forged")
    assert response.headers["Location"] == "/login"
    assert "mislyktes" in web.get("/login").get_data(as_text=True)
    cancelled = web.get("/login/sso/callback?error=access_denied")
    assert cancelled.headers["Location"] == "/login"


# Pure rules ------------------------------------------------------------------------------


def test_the_subject_is_tenant_and_object_for_entra_else_issuer_and_sub():
    assert sso.subject_of({"iss": "https://x", "sub": "pairwise", "tid": "T", "oid": "O"}) \
        == "entra:T:O"
    assert sso.subject_of({"iss": "https://idp.example", "sub": "42"}) \
        == "https://idp.example|42"
    long = sso.subject_of({"iss": "https://idp.example/" + "x" * 300, "sub": "1"})
    assert long.startswith("sha256:") and len(long) < 255


def test_only_a_vouched_for_address_counts_as_verified():
    assert sso.verified_email({"email": "A@B.no", "email_verified": True}) == "a@b.no"
    assert sso.verified_email({"email": "a@b.no", "xms_edov": True}) == "a@b.no"
    assert sso.verified_email({"email": "a@b.no", "email_verified": "true"}) is None
    assert sso.verified_email({"email": "a@b.no"}) is None


def test_the_role_map_is_read_strictly():
    assert sso.parse_role_map(" Kurs.Admin = admin , Kurs.HR=hr ") == {
        "Kurs.Admin": "admin", "Kurs.HR": "hr"}
    assert sso.parse_role_map("") == {}
    with pytest.raises(ValueError, match="superuser"):
        sso.parse_role_map("Kurs.Gud=superuser")


def test_a_mistyped_role_map_stops_start_up(provider):
    # The check runs when the blueprint is registered; a bare app stands in for create_app
    # (which would re-initialise the shared API object of the test app).
    from types import SimpleNamespace

    from flask import Flask

    from app.accounts.sso_views import _check_settings
    from config import ConfigError

    bare = Flask(__name__)
    bare.config.update(OIDC_METADATA_URL=provider + "/.well-known/openid-configuration",
                       OIDC_CLIENT_ID="kurs", OIDC_ROLE_MAP="Kurs.Admin=superadmin")
    with pytest.raises(ConfigError, match="OIDC_ROLE_MAP"):
        _check_settings(SimpleNamespace(app=bare))
    bare.config["OIDC_ROLE_MAP"] = "Kurs.Admin=admin"
    _check_settings(SimpleNamespace(app=bare))

"""The API base: bearer tokens only, JSON errors with domain codes, the OpenAPI spec."""

from __future__ import annotations

from datetime import timedelta

from app.accounts.services import create_token, revoke_token
from app.orm import utcnow
from tests.factories import make_token, make_unit, make_user


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_me_answers_who_the_token_belongs_to(client, session):
    unit = make_unit(session, name="IT-tjenesten")
    user = make_user(session, unit=unit, name="Kari Nordmann", roles=["hr"],
                     leader_level="mellomleder")
    response = client.get("/api/v1/me", headers=bearer(make_token(session, user)))
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "Kari Nordmann"
    assert body["unit"]["name"] == "IT-tjenesten"
    assert body["leader_level"] == "mellomleder"
    assert body["roles"] == [{"role": "hr", "organisation": user.organisation.slug,
                              "unit": None}]
    assert "password_hash" not in body


def test_no_token_is_401_json_with_a_domain_code(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.is_json
    assert response.get_json()["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_bad_revoked_or_expired_token_is_refused(client, session):
    user = make_user(session)
    assert client.get("/api/v1/me", headers=bearer("kurs_not-a-real-token")).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Basic abc"}).status_code == 401

    token, raw = create_token(session, user=user, name="old", actor=user, now=utcnow())
    revoke_token(session, token=token, actor=user, now=utcnow())
    session.flush()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401

    _token, raw = create_token(session, user=user, name="expired", actor=user,
                               now=utcnow(), expires_at=utcnow() - timedelta(seconds=1))
    session.flush()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_a_deactivated_persons_token_stops_working(client, session):
    user = make_user(session)
    raw = make_token(session, user)
    user.active = False
    session.flush()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_the_session_cookie_is_never_accepted_by_the_api(client, session, login_as):
    login_as(make_user(session))
    assert client.get("/").status_code == 200
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json()["code"] == "unauthorized"


def test_only_a_hash_of_the_token_is_stored(session):
    user = make_user(session)
    token, raw = create_token(session, user=user, name="x", actor=user, now=utcnow())
    assert raw not in (token.token_hash, token.prefix)
    assert len(token.token_hash) == 64


def test_errors_under_api_are_json_in_the_callers_language(client, session):
    raw = make_token(session, make_user(session))
    not_found = client.get("/api/v1/finnes-ikke", headers=bearer(raw))
    assert not_found.status_code == 404
    assert not_found.get_json()["code"] == "not_found"
    english = client.get("/api/v1/finnes-ikke",
                         headers={**bearer(raw), "Accept-Language": "en"})
    assert english.get_json()["message"].startswith("The page or object does not exist")
    wrong_method = client.post("/api/v1/me", headers=bearer(raw))
    assert wrong_method.status_code == 405
    assert wrong_method.get_json()["code"] == "method_not_allowed"


def test_the_openapi_spec_is_served_and_declares_bearer_auth(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert "/api/v1/me" in spec["paths"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_on_sqlite_a_write_takes_the_write_lock_only_once_the_caller_is_known(tmp_path):
    """The token is read in a read transaction of its own, ended before the write
    transaction (BEGIN IMMEDIATE) begins: writers queue on SQLite's lock for less time."""
    import sqlalchemy as sa

    from app import create_app
    from app.accounts.models import ApiToken
    from app.extensions import db
    from tests.conftest import make_config

    app = create_app(make_config(f"sqlite:///{tmp_path}/kurs.db", str(tmp_path / "files")))
    with app.app_context():
        db.create_all()
        raw = make_token(db.session, make_user(db.session))
        token_id = db.session.scalar(sa.select(ApiToken.id))
        db.session.commit()
        db.session.remove()
        engine = db.engine
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()[:2]))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        response = app.test_client().delete(f"/api/v1/me/tokens/{token_id}",
                                            headers=bearer(raw))
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
        engine.dispose()
    assert response.status_code == 200
    assert response.get_json()["revoked_at"] is not None
    assert statements[:3] == ["BEGIN", "SELECT api_token.id,", "BEGIN IMMEDIATE"]
    assert "UPDATE api_token" in statements[3:]

"""People make and revoke their own API tokens on the profile page; a token's scope is
enforced on every API request."""

from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import ApiToken
from tests.factories import make_token, make_user


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def new_token_from(html: str) -> str:
    return html.split('id="new-token" type="text" readonly value="')[1].split('"')[0]


def test_a_person_makes_a_token_that_is_shown_once_and_works(web, session, login_as, app):
    user = login_as(make_user(session, name="Kari"))
    response = web.post("/profil/tokens", {"name": "Mitt skript", "scope": "read_write"},
                        page="/profil")
    assert response.status_code == 200
    raw = new_token_from(response.get_data(as_text=True))
    profile = web.get("/profil").get_data(as_text=True)
    assert raw not in profile
    assert "Mitt skript" in profile and raw[:11] in profile  # the prefix tells it apart
    me = app.test_client().get("/api/v1/me", headers=bearer(raw))
    assert me.get_json()["id"] == user.id
    token = session.scalar(sa.select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.token_hash != raw and raw not in token.token_hash


def test_a_person_revokes_their_own_token_but_not_someone_elses(web, session, login_as, app):
    other = make_user(session)
    other_raw = make_token(session, other)
    other_token = session.scalar(sa.select(ApiToken).where(ApiToken.user_id == other.id))
    user = login_as(make_user(session))
    raw = make_token(session, user, name="Gammelt")
    token = session.scalar(sa.select(ApiToken).where(ApiToken.user_id == user.id))
    assert web.post(f"/profil/tokens/{other_token.id}/trekk-tilbake", {}).status_code == 404
    response = web.post(f"/profil/tokens/{token.id}/trekk-tilbake", {}, follow_redirects=True)
    assert "Tokenet «Gammelt» er trukket tilbake" in response.get_data(as_text=True)
    api = app.test_client()
    assert api.get("/api/v1/me", headers=bearer(raw)).status_code == 401
    assert api.get("/api/v1/me", headers=bearer(other_raw)).status_code == 200


def test_a_token_form_with_a_past_expiry_or_no_name_says_what_to_fix(web, session, login_as):
    login_as(make_user(session))
    response = web.post("/profil/tokens", {"name": "", "scope": "read",
                                           "expires_on": "2001-01-01"}, page="/profil")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Utløpsdatoen kan ikke ha passert." in text
    assert "Navn på tokenet" in text and 'aria-invalid="true"' in text


def test_a_read_only_token_reads_but_cannot_change_anything(client, session):
    user = make_user(session)
    reader = make_token(session, user, name="les", scope="read")
    writer = make_token(session, user, name="skriv")
    tokens = client.get("/api/v1/me/tokens", headers=bearer(reader))
    assert tokens.status_code == 200
    listed = {t["name"]: t for t in tokens.get_json()}
    assert listed["les"]["scope"] == "read" and listed["les"]["current"] is True
    refused = client.delete(f"/api/v1/me/tokens/{listed['skriv']['id']}",
                            headers=bearer(reader))
    assert refused.status_code == 403
    assert refused.get_json() == {"code": "token_read_only", "message":
                                  "Tokenet har bare lesetilgang og kan ikke endre noe."}
    revoked = client.delete(f"/api/v1/me/tokens/{listed['les']['id']}",
                            headers=bearer(writer))
    assert revoked.status_code == 200
    assert revoked.get_json()["revoked_at"] is not None
    assert client.get("/api/v1/me", headers=bearer(reader)).status_code == 401


def test_the_tokens_of_a_deactivated_person_stop_working(client, session):
    user = make_user(session)
    raw = make_token(session, user)
    user.active = False
    session.flush()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_tokens_create_on_the_command_line_takes_a_scope(runner, session):
    make_user(session, email="rapport@example.org")
    result = runner.invoke(args=["tokens", "create", "rapport@example.org", "--name", "R",
                                 "--scope", "read"])
    assert result.exit_code == 0, result.output
    token = session.scalar(sa.select(ApiToken).where(ApiToken.name == "R"))
    assert token.scope == "read"

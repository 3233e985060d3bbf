"""The Open Badges 3.0 credential, checked with an independent JOSE library (PyJWT)."""

from __future__ import annotations

import json

import jwt
import pytest
import sqlalchemy as sa
from jwt.algorithms import OKPAlgorithm

from app.certificates.models import SigningKey


def verify_with_pyjwt(client, token: str) -> dict:
    """What a stranger's verifier does: fetch the JWKS, pick the key by kid, check EdDSA."""
    kid = jwt.get_unverified_header(token)["kid"]
    keys = client.get("/.well-known/jwks.json").get_json()["keys"]
    jwk = next(k for k in keys if k["kid"] == kid)
    public = OKPAlgorithm.from_jwk(json.dumps(jwk))
    return jwt.decode(token, key=public, algorithms=["EdDSA"],
                      options={"verify_aud": False, "require": ["iss", "jti", "nbf"]})


@pytest.fixture
def signing_key(runner, session):
    result = runner.invoke(args=["keys", "create"])
    assert result.exit_code == 0, result.output
    kid = result.output.strip().splitlines()[-1]
    assert session.scalar(sa.select(SigningKey).where(SigningKey.kid == kid)) is not None
    return kid


def test_if_missing_makes_a_key_only_when_none_signs(runner, session):
    first = runner.invoke(args=["keys", "create", "--if-missing"])
    again = runner.invoke(args=["keys", "create", "--if-missing"])
    assert first.exit_code == again.exit_code == 0
    assert "no new key" in again.output
    assert session.scalar(sa.select(sa.func.count()).select_from(SigningKey)) == 1


def test_a_credential_verifies_with_an_independent_library(client, certify, signing_key):
    _user, _offering, cert = certify(name="Kari Nordmann", title="IT i hverdagen")
    response = client.get(f"/api/v1/certificates/{cert.code}/credential")
    assert response.status_code == 200 and response.mimetype == "application/vc+jwt"
    token = response.get_data(as_text=True)
    assert jwt.get_unverified_header(token) == {"alg": "EdDSA", "typ": "JWT",
                                                "kid": signing_key}
    claims = verify_with_pyjwt(client, token)
    assert "OpenBadgeCredential" in claims["type"]
    assert claims["credentialSubject"]["name"] == "Kari Nordmann"
    assert claims["credentialSubject"]["achievement"]["name"] == "IT i hverdagen"
    assert claims["jti"].endswith(f"/verify/{cert.code}")
    assert claims["credentialStatus"]["type"] == "1EdTechRevocationList"


def test_a_tampered_credential_fails_verification(client, certify, signing_key):
    _user, _offering, cert = certify(name="Kari Nordmann")
    token = client.get(f"/api/v1/certificates/{cert.code}/credential").get_data(as_text=True)
    header, payload, signature = token.split(".")
    forged = jwt.utils.base64url_encode(
        jwt.utils.base64url_decode(payload).replace(b"Kari Nordmann", b"Kari Nordmenn")
    ).decode()
    with pytest.raises(jwt.InvalidSignatureError):
        verify_with_pyjwt(client, f"{header}.{forged}.{signature}")


def test_revocation_is_visible_through_the_credentials_status_entry(web, session, login_as,
                                                                     certify, signing_key):
    user, _offering, cert = certify()
    token = web.get(f"/api/v1/certificates/{cert.code}/credential").get_data(as_text=True)
    status_url = verify_with_pyjwt(web.client, token)["credentialStatus"]["id"]
    path = status_url.removeprefix("http://localhost")
    assert web.get(path).get_json()["revokedCredentials"] == []
    login_as(make_organiser(session, user))
    web.post(f"/kursbevis/{cert.id}/trekk-tilbake", {"reason": "Feil person"})
    revoked = web.get(path).get_json()["revokedCredentials"]
    assert [r["id"] for r in revoked] == [f"http://localhost/verify/{cert.code}"]
    assert "Feil person" not in json.dumps(revoked)


def make_organiser(session, user):
    from tests.factories import make_user

    return make_user(session, org=user.organisation, roles=["organiser"])


def test_a_rotated_key_signs_new_credentials_and_old_ones_still_verify(client, runner,
                                                                       certify, signing_key):
    _user, _offering, cert = certify()
    old = client.get(f"/api/v1/certificates/{cert.code}/credential").get_data(as_text=True)
    new_kid = runner.invoke(args=["keys", "create"]).output.strip().splitlines()[-1]
    runner.invoke(args=["keys", "retire", signing_key])
    new = client.get(f"/api/v1/certificates/{cert.code}/credential").get_data(as_text=True)
    assert jwt.get_unverified_header(new)["kid"] == new_kid
    assert verify_with_pyjwt(client, old)["jti"] == verify_with_pyjwt(client, new)["jti"]


def test_the_private_key_file_is_readable_by_its_owner_only(app, signing_key):
    from pathlib import Path

    path = Path(app.config["KURS_STORAGE_DIR"]) / "keys" / f"{signing_key}.pem"
    assert path.stat().st_mode & 0o077 == 0


def test_without_a_key_the_credential_answers_503_in_json(client, certify):
    _user, _offering, cert = certify()
    response = client.get(f"/api/v1/certificates/{cert.code}/credential")
    assert response.status_code == 503 and response.get_json()["code"] == "no_signing_key"

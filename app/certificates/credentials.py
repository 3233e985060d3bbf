"""Open Badges 3.0 credentials: a W3C Verifiable Credential signed as a compact JWT.

The signature is Ed25519 (JOSE "EdDSA"). Keys are made by ``flask keys create``; the
private half is a PEM file under KURS_STORAGE_DIR/keys/ readable by the app only, the
public half a ``SigningKey`` row published in /.well-known/jwks.json. The newest unretired
key signs; retired keys stay published so that older credentials still verify.
Signing is deterministic, so reading a credential writes nothing.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from app.certificates.models import Certificate, SigningKey
from app.certificates.settings import IssueSettings

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/vc+jwt"
CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


class NoSigningKey(RuntimeError):
    """No key has been created yet (run ``flask keys create``)."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def key_path(storage_dir: Path, kid: str) -> Path:
    return storage_dir / "keys" / f"{kid}.pem"


def create_key(session: Session, *, storage_dir: Path, now: datetime) -> SigningKey:
    private = Ed25519PrivateKey.generate()
    public_raw = private.public_key().public_bytes(serialization.Encoding.Raw,
                                                   serialization.PublicFormat.Raw)
    kid = f"{now:%Y%m%d}-{secrets.token_hex(4)}"
    path = key_path(storage_dir, kid)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    # Created readable by the owner only, never world-readable even for a moment.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    key = SigningKey(kid=kid, public_x=b64url(public_raw), created_at=now)
    session.add(key)
    session.flush()
    log.info("signing key created kid=%s", kid)
    return key


def retire_key(session: Session, *, kid: str, now: datetime) -> SigningKey | None:
    key = session.scalar(sa.select(SigningKey).where(SigningKey.kid == kid))
    if key is not None and key.retired_at is None:
        key.retired_at = now
        session.flush()
        log.info("signing key retired kid=%s", kid)
    return key


def active_key(session: Session) -> SigningKey | None:
    return session.scalar(
        sa.select(SigningKey).where(SigningKey.retired_at.is_(None))
        .order_by(SigningKey.created_at.desc(), SigningKey.id.desc()).limit(1)
    )


def jwks(session: Session) -> dict:
    keys = session.scalars(sa.select(SigningKey).order_by(SigningKey.created_at)).all()
    return {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": k.public_x, "kid": k.kid,
                      "alg": "EdDSA", "use": "sig"} for k in keys]}


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def credential_claims(cert: Certificate, settings: IssueSettings) -> dict:
    """The OpenBadgeCredential, with the JWT registered claims beside it (OB 3.0 §8.2:
    the payload is the credential itself)."""
    base = settings.base_url
    issuer_id = f"{base}/"
    credential_id = settings.verify_url(cert.code)
    achievement = {
        "id": f"{base}/api/v1/courses/{cert.completion.course.slug}",
        "type": ["Achievement"],
        "name": cert.course_title,
        "description": cert.course_title,
        "criteria": {"narrative": cert.course_title},
    }
    vc = {
        "@context": CONTEXTS,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": cert.course_title,
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": cert.issuer_name},
        "validFrom": _timestamp(cert.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": cert.person_name,
            "identifier": [{"type": "IdentityObject", "identityHash": cert.serial,
                            "identityType": "identifier", "hashed": False}],
            "achievement": achievement,
        },
        "credentialStatus": {
            "id": f"{base}/api/v1/certificates/{cert.code}/status",
            "type": "1EdTechRevocationList",
        },
    }
    claims = {**vc, "iss": issuer_id, "jti": credential_id,
              "nbf": int(cert.issued_at.timestamp())}
    if cert.expires_at is not None:
        vc_expiry = _timestamp(cert.expires_at)
        claims["validUntil"] = vc_expiry
        claims["exp"] = int(cert.expires_at.timestamp())
    return claims


def sign_credential(session: Session, cert: Certificate, settings: IssueSettings) -> str:
    key = active_key(session)
    if key is None:
        raise NoSigningKey("no signing key; run `flask keys create`")
    pem = key_path(settings.storage_dir, key.kid).read_bytes()
    private = serialization.load_pem_private_key(pem, password=None)
    header = {"alg": "EdDSA", "typ": "JWT", "kid": key.kid}
    signing_input = ".".join(
        b64url(json.dumps(part, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        for part in (header, credential_claims(cert, settings))
    )
    signature = private.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"


def revocation_list(cert: Certificate, settings: IssueSettings) -> dict:
    """The 1EdTech revocation list the credential's status entry points at: this one
    credential, listed when it has been revoked (reasons are not published)."""
    credential_id = settings.verify_url(cert.code)
    revoked = []
    if cert.revoked_at is not None:
        revoked.append({"id": credential_id, "revocationDate": _timestamp(cert.revoked_at)})
    return {"id": f"{settings.base_url}/api/v1/certificates/{cert.code}/status",
            "issuer": f"{settings.base_url}/", "revokedCredentials": revoked}

"""Issuing a certificate: frozen texts, a verification code, the PDF stored with its hash,
and an e-mail to the person through the outbox."""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import tempfile
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.certificates.facts import course_hours
from app.certificates.models import Certificate, Completion
from app.certificates.pdf import build_certificate_pdf
from app.certificates.settings import IssueSettings
from app.certificates.texts import certificate_content, issued_email, language_of
from app.outbox.services import queue_email
from app.security import audit

log = logging.getLogger(__name__)

#: 16 random bytes: 128 bits, 22 URL-safe characters.
CODE_BYTES = 16


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def store_pdf(storage_dir: Path, relative: str, data: bytes) -> None:
    """Write the file atomically: a reader never sees half a certificate."""
    target = storage_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_pdf(storage_dir: Path, cert: Certificate) -> bytes:
    """The frozen PDF, checked against the hash recorded at issue."""
    data = (storage_dir / cert.pdf_path).read_bytes()
    if hashlib.sha256(data).hexdigest() != cert.pdf_sha256:
        raise ValueError(f"certificate {cert.id}: the stored PDF does not match its hash")
    return data


def _serial(session: Session, completion: Completion, issued_at: datetime) -> str:
    issued_before = session.scalar(
        sa.select(sa.func.count()).select_from(Certificate)
        .where(Certificate.completion_id == completion.id)
    )
    base = f"KB-{issued_at.year}-{completion.id:06d}"
    return base if not issued_before else f"{base}-{issued_before + 1}"


def issue_certificate(session: Session, *, completion: Completion, now: datetime,
                      settings: IssueSettings, actor=None,
                      replaces: Certificate | None = None, notify: bool = True) -> Certificate:
    user, course = completion.user, completion.course
    issuer = completion.offering.organisation if completion.offering else course.organisation
    code = new_code()
    cert = Certificate(
        completion_id=completion.id,
        serial=_serial(session, completion, now),
        code=code,
        issued_at=now,
        completed_at=completion.completed_at,
        expires_at=completion.expires_at,
        language=language_of(user),
        person_name=user.name,
        course_title=course.title,
        issuer_name=issuer.name,
        hours=course_hours(session, course_id=course.id, offering_id=completion.offering_id),
        pdf_path=f"certificates/{now:%Y}/{code}.pdf",
        pdf_sha256="",
        replaces_id=replaces.id if replaces else None,
    )
    data = build_certificate_pdf(certificate_content(cert, settings.verify_url(code)))
    cert.pdf_sha256 = hashlib.sha256(data).hexdigest()
    # Written before the row is committed: a rolled-back issue leaves an unreferenced
    # file behind, never a row without its file.
    store_pdf(settings.storage_dir, cert.pdf_path, data)
    session.add(cert)
    session.flush()
    audit(session, actor=actor, action="certificates.issued", obj=cert,
          completion=completion.id, serial=cert.serial,
          replaces=replaces.id if replaces else None)
    if notify:
        subject, body = issued_email(cert, home_url=settings.base_url + "/",
                                     verify_url=settings.verify_url(code))
        queue_email(session, recipient=user.email, subject=subject, body_text=body, now=now,
                    domain=settings.mail_domain, user_id=user.id,
                    reason=f"certificate:{cert.id}:issued")
    log.info("certificate issued id=%s completion=%s user=%s actor=%s", cert.id,
             completion.id, user.id, getattr(actor, "id", None))
    return cert

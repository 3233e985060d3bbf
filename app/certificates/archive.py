"""An offering's certificates as one ZIP file.

Each certificate's frozen PDF is read and checked against the hash recorded at issue. A
PDF whose file is missing is drawn again from the frozen texts: the builder is
deterministic, so the result must match the recorded hash (it is stored again only then).
Drawing runs in a process pool when ``workers`` > 1 — used by the job for large offerings,
never inside a web worker.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.certificates.issuing import store_pdf
from app.certificates.models import Certificate, Completion
from app.certificates.pdf import CertificateContent, build_certificate_pdf, register_fonts
from app.certificates.settings import IssueSettings
from app.certificates.texts import certificate_content
from app.enrolment.models import Enrolment, Offering
from app.jobs.services import JobResult, handler

log = logging.getLogger(__name__)

#: Offerings with more certificates than this get their ZIP from a job.
INLINE_LIMIT = 60


class CertificateFileError(RuntimeError):
    """A stored PDF does not match its recorded hash and cannot be restored."""


def offering_certificates(session: Session, offering: Offering) -> list[Certificate]:
    """The valid certificates of the course held by people enrolled in the offering."""
    return list(session.scalars(
        sa.select(Certificate)
        .join(Completion, Completion.id == Certificate.completion_id)
        .join(Enrolment, sa.and_(Enrolment.user_id == Completion.user_id,
                                 Enrolment.offering_id == offering.id))
        .where(Completion.course_id == offering.course_id, Certificate.revoked_at.is_(None))
        .order_by(Certificate.person_name, Certificate.id)
    ))


def entry_name(cert: Certificate) -> str:
    ascii_name = unicodedata.normalize("NFKD", cert.person_name.replace("ø", "o")
                                       .replace("Ø", "O").replace("æ", "ae")
                                       .replace("Æ", "Ae"))
    ascii_name = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name.encode("ascii", "ignore").decode())
    return f"{ascii_name.strip('-') or 'kursbevis'}-{cert.serial}.pdf"


def render_many(contents: list[CertificateContent], workers: int) -> Iterator[bytes]:
    """The PDFs of ``contents``, in order, drawn by ``workers`` processes and handed out as
    they come, so that the caller writes each while the others are being drawn."""
    if workers <= 1 or len(contents) < 2:
        yield from map(build_certificate_pdf, contents)
        return
    # Parsed once here, the font is inherited by the forked workers instead of being
    # parsed again in each.
    register_fonts()
    chunk = max(1, len(contents) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(build_certificate_pdf, contents, chunksize=chunk)


def write_zip(target, certs: list[Certificate], settings: IssueSettings, *,
              workers: int = 1, store_restored: bool = True) -> int:
    """Write the ZIP to ``target`` (a path or a binary file); returns the entry count.
    A redrawn PDF is stored again only when ``store_restored`` (not on a GET request)."""
    stored: dict[int, bytes] = {}
    missing: list[Certificate] = []
    for cert in certs:
        path = settings.storage_dir / cert.pdf_path
        if path.is_file():
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != cert.pdf_sha256:
                raise CertificateFileError(f"certificate {cert.serial}: stored PDF altered")
            stored[cert.id] = data
        else:
            missing.append(cert)
    if missing:
        log.warning("restoring %s certificate PDFs from their frozen texts", len(missing))
    restored = closing(render_many([certificate_content(c, settings.verify_url(c.code))
                                    for c in missing], workers))
    # PDFs are compressed already: stored entries cost no CPU and lose nothing. A redrawn
    # PDF is written as soon as it is drawn, while the workers draw the next ones.
    with restored, zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for cert in certs:
            data = stored.get(cert.id)
            if data is None:
                data = next(restored.thing)
                if hashlib.sha256(data).hexdigest() != cert.pdf_sha256:
                    raise CertificateFileError(
                        f"certificate {cert.serial}: PDF cannot be restored")
                if store_restored:
                    store_pdf(settings.storage_dir, cert.pdf_path, data)
            archive.writestr(entry_name(cert), data)
    return len(certs)


def zip_bytes(certs: list[Certificate], settings: IssueSettings) -> bytes:
    buffer = io.BytesIO()
    write_zip(buffer, certs, settings, store_restored=False)
    return buffer.getvalue()


@handler("certificates.zip")
def zip_job(session: Session, job, storage: Path) -> JobResult:
    from app.certificates.settings import current_settings

    settings = current_settings()
    offering = session.get(Offering, job.params["offering_id"])
    if offering is None:
        raise LookupError("the offering no longer exists")
    certs = offering_certificates(session, offering)
    relative = f"jobs/certificates-{job.id}.zip"
    (storage / relative).parent.mkdir(parents=True, exist_ok=True)
    try:
        write_zip(storage / relative, certs, settings, workers=2)
    except Exception:
        (storage / relative).unlink(missing_ok=True)  # no half-written archive is left
        raise
    return JobResult(path=relative, name=f"kursbevis-tilbud-{offering.id}.zip",
                     mimetype="application/zip")

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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Redraw:
    """A lost PDF to draw again from its frozen texts, and where it is stored once it
    matches the hash recorded at issue."""

    content: CertificateContent
    sha256: str
    storage_dir: Path
    relative: str


def drawn_if_recorded(task: Redraw) -> bytes | None:
    """The PDF drawn again, or None if it is not the one recorded."""
    data = build_certificate_pdf(task.content)
    return data if hashlib.sha256(data).hexdigest() == task.sha256 else None


def redraw_and_store(task: Redraw) -> bool:
    """Draw the PDF again and store it if it is the one recorded; False if it is not."""
    data = drawn_if_recorded(task)
    if data is None:
        return False
    store_pdf(task.storage_dir, task.relative, data)
    return True


def in_workers(function, tasks: list, workers: int) -> Iterator:
    """``function`` of each task, by ``workers`` processes, each answer handed out in order
    as it comes, so that the caller zips one PDF while the workers draw the next."""
    if workers <= 1 or len(tasks) < 2:
        yield from map(function, tasks)
        return
    # Parsed once here, the font is inherited by the forked workers instead of being
    # parsed again in each.
    register_fonts()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(function, tasks, chunksize=chunk_size(len(tasks), workers))


#: Certificates handed to a worker at a time: few enough that a worker slowed by other
#: work on the machine leaves the rest to the others rather than finishing last with a
#: long chunk, many enough that handing them over costs nothing (16 take about 30 ms).
MAX_CHUNK = 16


def chunk_size(count: int, workers: int) -> int:
    return max(1, min(MAX_CHUNK, count // (workers * 4)))


def restored_pdfs(certs, contents: list[CertificateContent], storage_dir: Path, *,
                  workers: int = 1, store: bool = True) -> Iterator[bytes | None]:
    """Lost PDFs drawn again from their frozen texts by ``workers`` processes, in order:
    each PDF, or None when the drawing does not match the hash recorded at issue.
    ``certs``: their ``pdf_sha256`` and ``pdf_path``.

    With ``store`` the worker that draws a matching PDF stores it, and it is read back
    from storage (the stores are spread over the workers, and the PDF does not travel
    back through the pool); without (a GET request: nothing is written) the PDFs come back
    from the workers."""
    tasks = [Redraw(content, cert.pdf_sha256, storage_dir, cert.pdf_path)
             for content, cert in zip(contents, certs, strict=True)]
    if not store:
        yield from in_workers(drawn_if_recorded, tasks, workers)
        return
    with closing(in_workers(redraw_and_store, tasks, workers)) as answers:
        for task, matched in zip(tasks, answers, strict=True):
            yield (task.storage_dir / task.relative).read_bytes() if matched else None


def write_zip(target, certs: list[Certificate], settings: IssueSettings, *,
              workers: int = 1, store_restored: bool = True) -> int:
    """Write the ZIP to ``target`` (a path or a binary file); returns the entry count.
    A lost PDF is drawn again, and stored only when ``store_restored`` (not on a GET
    request)."""
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
    restored = closing(restored_pdfs(
        missing, [certificate_content(c, settings.verify_url(c.code)) for c in missing],
        settings.storage_dir, workers=workers, store=store_restored))
    # PDFs are compressed already: stored entries cost no CPU and lose nothing. A redrawn
    # PDF is written as soon as it is drawn, while the workers draw the next ones.
    with restored, zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for cert in certs:
            data = stored.get(cert.id)
            if data is None:
                data = next(restored.thing)
                if data is None:
                    raise CertificateFileError(
                        f"certificate {cert.serial}: PDF cannot be restored")
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

"""Enqueueing, claiming and running jobs.

A handler is a function ``handler(session, job, storage: Path) -> JobResult | None``
registered under a kind with ``@handler("kind")``; domains register theirs when their
module is imported (``app.jobs.handlers`` imports them all).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.jobs.models import Job, JobStatus
from app.orm import insert_row

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class JobResult:
    #: Relative to the storage directory.
    path: str
    name: str
    mimetype: str


HANDLERS: dict[str, Callable] = {}


def handler(kind: str):
    def register(fn: Callable) -> Callable:
        HANDLERS[kind] = fn
        return fn

    return register


def enqueue(session: Session, *, kind: str, params: dict, actor, now: datetime) -> Job:
    if kind not in HANDLERS:
        raise KeyError(f"no job handler for {kind!r}")
    job = insert_row(session, Job, kind=kind, params=params,
                     created_by_id=getattr(actor, "id", None), created_at=now)
    log.info("job queued id=%s kind=%s actor=%s", job.id, kind, job.created_by_id)
    return job


def claim_next(session: Session, *, now: datetime, lease: timedelta) -> Job | None:
    """Take the oldest queued job, or a running one whose runner's lease ran out."""
    candidates = session.scalars(
        sa.select(Job.id)
        .where(
            sa.or_(
                Job.status == JobStatus.QUEUED,
                sa.and_(Job.status == JobStatus.RUNNING, Job.lease_until < now),
            )
        )
        .order_by(Job.created_at, Job.id)
        .limit(20)
    ).all()
    for job_id in candidates:
        won = session.execute(
            sa.update(Job)
            .where(
                Job.id == job_id,
                sa.or_(
                    Job.status == JobStatus.QUEUED,
                    sa.and_(Job.status == JobStatus.RUNNING, Job.lease_until < now),
                ),
            )
            .values(status=JobStatus.RUNNING, lease_until=now + lease, started_at=now,
                    attempts=Job.attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if won:
            session.flush()
            job = session.get(Job, job_id)
            session.refresh(job)
            return job
    return None


def run_job(session: Session, job: Job, *, storage: Path, now: Callable[[], datetime]) -> None:
    """Run one claimed job and record its outcome. The caller commits."""
    fn = HANDLERS.get(job.kind)
    try:
        # A savepoint: a failing handler's writes are undone, the claim stays.
        with session.begin_nested():
            if fn is None:
                raise LookupError(f"no handler for job kind {job.kind!r}")
            result = fn(session, job, storage)
    except Exception as error:  # a handler's failure is the job's failure, not the runner's
        session.refresh(job)
        job.error = "".join(traceback.format_exception_only(error)).strip()[:4000]
        job.lease_until = None
        job.status = JobStatus.FAILED if job.attempts >= MAX_ATTEMPTS else JobStatus.QUEUED
        log.exception("job failed id=%s kind=%s attempt=%s", job.id, job.kind, job.attempts)
        return
    job.status = JobStatus.DONE
    job.progress = 100
    job.finished_at = now()
    job.lease_until = None
    job.error = None
    if result is not None:
        job.result_path = result.path
        job.result_name = result.name
        job.result_mimetype = result.mimetype
    log.info("job done id=%s kind=%s", job.id, job.kind)

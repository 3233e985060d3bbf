"""Privacy provider of long jobs (exports and archives a person asked for)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.jobs.models import Job
from app.privacy.registry import AnonymiseContext, Handling, Provider, register, row


def export_jobs(session: Session, user) -> list[dict]:
    rows = session.scalars(sa.select(Job).where(Job.created_by_id == user.id)
                           .order_by(Job.created_at))
    return [row(j, "kind", "params", "status", "created_at", "finished_at", "result_name")
            for j in rows]


def delete_jobs(session: Session, jobs: list[Job], ctx: AnonymiseContext) -> int:
    """Delete jobs with their result files (which may list other people)."""
    for job in jobs:
        if job.result_path:
            (ctx.storage_dir / job.result_path).unlink(missing_ok=True)
    if jobs:
        session.execute(sa.delete(Job).where(Job.id.in_([j.id for j in jobs])))
    return len(jobs)


def anonymise(session: Session, user, ctx: AnonymiseContext) -> None:
    delete_jobs(session, list(session.scalars(
        sa.select(Job).where(Job.created_by_id == user.id))), ctx)


register(Provider(
    domain="jobs",
    sections={"jobs": export_jobs},
    columns={"job.created_by_id": Handling(
        "jobs", "deleted with their result files (exports the leaver made)")},
    mentions=("job.params", "job.error"),
    anonymise=anonymise,
))

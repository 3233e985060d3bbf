from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.orm import enum_column, utcnow


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    __tablename__ = "job"
    __table_args__ = (sa.Index("ix_job_due", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The handler's name, e.g. "certificates.zip"; see ``app.jobs.services.HANDLERS``.
    kind: Mapped[str] = mapped_column(sa.String(64))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(
        enum_column(JobStatus, name="job_status"), default=JobStatus.QUEUED
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    #: 0–100, written by handlers that know how far they are.
    progress: Mapped[int] = mapped_column(default=0)
    #: Relative to KURS_STORAGE_DIR; the file the owner downloads when done.
    result_path: Mapped[str | None] = mapped_column(sa.String(255))
    result_name: Mapped[str | None] = mapped_column(sa.String(255))
    result_mimetype: Mapped[str | None] = mapped_column(sa.String(100))
    error: Mapped[str | None] = mapped_column(sa.Text)

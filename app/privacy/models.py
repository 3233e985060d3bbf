"""The access log (innsynslogg): who viewed which report or person, when, with what filter.

Append-only for the application: rows are added, never changed; only the retention purge
removes rows older than their period.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.orm import utcnow


class AccessLog(db.Model):
    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: What was viewed, e.g. "reports.coverage", "reports.gaps.csv", "accounts.person".
    kind: Mapped[str] = mapped_column(sa.String(64))
    #: The filter or scope as the viewer chose it (unit, level, course, dates …).
    filters: Mapped[dict | None] = mapped_column(sa.JSON)
    #: How many people the view or file showed.
    row_count: Mapped[int] = mapped_column(default=0)
    address: Mapped[str | None] = mapped_column(sa.String(64))


class AccessLogSubject(db.Model):
    """A person whose data a logged view showed by name (so they can see who looked)."""

    __tablename__ = "access_log_subject"

    access_log_id: Mapped[int] = mapped_column(
        sa.ForeignKey("access_log.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )

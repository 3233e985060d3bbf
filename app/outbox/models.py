from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.orm import enum_column, utcnow


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    #: Gave up after the last attempt; an admin can queue it again.
    FAILED = "failed"


class OutboxEmail(db.Model):
    __tablename__ = "outbox_email"
    __table_args__ = (
        sa.Index("ix_outbox_email_due", "status", "next_attempt_at"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    #: The recipient's user, when they have one (for their own-data export).
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    subject: Mapped[str] = mapped_column(sa.String(250))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    #: An iCalendar object (text/calendar) sent beside the text.
    calendar: Mapped[str | None] = mapped_column(sa.Text)
    #: REQUEST or CANCEL, the iTIP method of ``calendar``.
    calendar_method: Mapped[str | None] = mapped_column(sa.String(16))
    #: Fixed when queued, so a retried delivery is recognisably the same message.
    message_id: Mapped[str] = mapped_column(sa.String(200), unique=True)
    #: What caused the message, e.g. "enrolment:42:enrolled"; for tracing and de-duplication.
    reason: Mapped[str | None] = mapped_column(sa.String(120), index=True)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus, name="outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: A sender holds the row until this time; after it, another sender may take it over.
    lease_until: Mapped[datetime | None]
    leased_by: Mapped[str | None] = mapped_column(sa.String(100))
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)

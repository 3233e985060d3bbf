"""Attendance and Participant (a person at a gathering without an account)."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.orm import enum_column, utcnow


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"


class AttendanceMethod(enum.StrEnum):
    MANUAL = "manual"
    BULK = "bulk"
    QR = "qr"


class Participant(db.Model):
    """Someone at a gathering who has no account (a partner's employee, a walk-in)."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(sa.ForeignKey("offering.id", ondelete="CASCADE"),
                                             index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: Free text: the person's organisation, e.g. "Statsforvalteren i Trøndelag".
    organisation_name: Mapped[str | None] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attendance(db.Model):
    """One person's attendance at one session: exactly one of user or participant."""

    __tablename__ = "attendance"
    __table_args__ = (
        # NULLs are distinct, so each constraint binds only the rows of its kind of person.
        sa.UniqueConstraint("session_id", "user_id"),
        sa.UniqueConstraint("session_id", "participant_id"),
        sa.CheckConstraint(
            "(user_id IS NULL) <> (participant_id IS NULL)", name="one_kind_of_person"
        ),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_session.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="CASCADE")
    )
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_column(AttendanceStatus, name="attendance_status")
    )
    method: Mapped[AttendanceMethod] = mapped_column(
        enum_column(AttendanceMethod, name="attendance_method"), default=AttendanceMethod.MANUAL
    )
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Optimistic lock: a single grid mark states the version it saw (conflict -> 409).
    version: Mapped[int] = mapped_column(default=1)

    session = relationship("CourseSession")
    user = relationship("User", foreign_keys=[user_id])
    participant = relationship("Participant")

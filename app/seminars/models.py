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
    #: The minute (Unix time) of the QR code a self check-in used. The same code sent
    #: again is a replay and is refused, even after an organiser has changed the mark.
    qr_window: Mapped[int | None]

    session = relationship("CourseSession")
    user = relationship("User", foreign_keys=[user_id])
    participant = relationship("Participant")


class WalkInStatus(enum.StrEnum):
    #: Asked through the QR check-in; the organiser confirms or declines.
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


class WalkIn(db.Model):
    """Someone with an account who came without being enrolled.

    Either added on the spot by an organiser (confirmed at once) or asked to be added
    through the QR check-in (requested, confirmed by an organiser). A confirmed walk-in is on
    the seminar's list for every session, the sign-in sheets and the reports.
    """

    __tablename__ = "walk_in"
    __table_args__ = (sa.UniqueConstraint("offering_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(
        sa.ForeignKey("offering.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    #: The session at which the person turned up; confirming marks them there.
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("course_session.id", ondelete="SET NULL")
    )
    status: Mapped[WalkInStatus] = mapped_column(enum_column(WalkInStatus, name="walk_in_status"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]

    user = relationship("User", foreign_keys=[user_id])


class RegistrationQuestions(db.Model):
    """Which questions a seminar asks its participants, and how long the answers live.

    Diet, allergies and accessibility needs can be health data: only the seminar's
    organisers see the answers, and ``flask seminars purge`` deletes them
    ``retention_days`` after the seminar's last session.
    """

    __tablename__ = "registration_questions"
    __table_args__ = (
        sa.CheckConstraint("retention_days >= 0 AND retention_days <= 365",
                           name="retention_days_range"),
    )

    offering_id: Mapped[int] = mapped_column(
        sa.ForeignKey("offering.id", ondelete="CASCADE"), primary_key=True
    )
    ask_diet: Mapped[bool] = mapped_column(default=True)
    ask_accessibility: Mapped[bool] = mapped_column(default=True)
    #: The organiser's own question (free text answer); NULL: not asked.
    free_text_label: Mapped[str | None] = mapped_column(sa.String(200))
    retention_days: Mapped[int] = mapped_column(default=14)
    #: When the answers were deleted; no new answers are taken afterwards.
    purged_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class RegistrationAnswer(db.Model):
    """One participant's answers to a seminar's registration questions."""

    __tablename__ = "registration_answer"
    __table_args__ = (sa.UniqueConstraint("offering_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(
        sa.ForeignKey("offering.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    diet: Mapped[str | None] = mapped_column(sa.Text)
    accessibility: Mapped[str | None] = mapped_column(sa.Text)
    free_text: Mapped[str | None] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class NetworkEntry(db.Model):
    """A participant's explicit opt-in to the seminar's participant directory.

    Withdrawing deletes the row; nobody without a row appears in the directory.
    """

    __tablename__ = "network_entry"
    __table_args__ = (sa.UniqueConstraint("offering_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(
        sa.ForeignKey("offering.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    #: The IT projects the person leads or works on, in their own words.
    projects: Mapped[str] = mapped_column(sa.Text, default="")
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    opted_in_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", foreign_keys=[user_id])

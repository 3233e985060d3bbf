"""Offering, CourseSession and Enrolment."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.orm import enum_column, utcnow


class OfferingFormat(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"
    SELF_PACED = "self_paced"


class OfferingStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class EnrolmentStatus(enum.StrEnum):
    """requested -> enrolled | waitlisted | declined; enrolled/waitlisted -> cancelled;
    enrolled -> no_show. Only ``enrolled`` holds a seat."""

    REQUESTED = "requested"
    ENROLLED = "enrolled"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class Offering(db.Model):
    """A run of a course: when, where, how many, and the rules for enrolling."""

    __tablename__ = "offering"
    __table_args__ = (
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint("taken >= 0", name="taken_not_negative"),
        sa.CheckConstraint("capacity IS NULL OR taken <= capacity", name="taken_within_capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"),
                                           index=True)
    #: The organisation that runs this offering (may differ from the course's owner).
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    #: e.g. "Vår 2027, Trondheim"; the course title is shown beside it.
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    status: Mapped[OfferingStatus] = mapped_column(
        enum_column(OfferingStatus, name="offering_status"), default=OfferingStatus.DRAFT
    )
    format: Mapped[OfferingFormat] = mapped_column(
        enum_column(OfferingFormat, name="offering_format"), default=OfferingFormat.IN_PERSON
    )
    location: Mapped[str | None] = mapped_column(sa.String(200))
    #: Seats; NULL: no limit.
    capacity: Mapped[int | None]
    #: Seats held (enrolments with status enrolled). Changed only by one conditional
    #: UPDATE (taken < capacity), so that two requests can never take the last seat twice.
    taken: Mapped[int] = mapped_column(default=0)
    #: First and last day (from the sessions; for self-paced offerings, the period).
    starts_at: Mapped[datetime | None] = mapped_column(index=True)
    ends_at: Mapped[datetime | None]
    enrol_opens_at: Mapped[datetime | None]
    enrol_closes_at: Mapped[datetime | None]
    #: After this moment a participant can no longer cancel themselves.
    cancel_deadline_at: Mapped[datetime | None]
    #: Enrolling sends a request to the person's manager instead of taking a seat.
    requires_approval: Mapped[bool] = mapped_column(default=False)
    #: Open to people of every organisation on the platform (a joint offering for the
    #: partners); otherwise only the running organisation's own people enrol themselves.
    open_to_partners: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    contact_name: Mapped[str | None] = mapped_column(sa.String(200))
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    #: Why the whole offering was cancelled (shown on its page and sent to participants).
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    course = relationship("Course")
    organisation = relationship("Organisation")
    sessions: Mapped[list[CourseSession]] = relationship(
        back_populates="offering", order_by="CourseSession.starts_at",
        cascade="all, delete-orphan",
    )

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)


class CourseSession(db.Model):
    """One session of an offering (an økt); a seminar's sessions are its programme."""

    __tablename__ = "course_session"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.Index("ix_course_session_offering_start", "offering_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(sa.ForeignKey("offering.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(200))
    #: Topic and content (Markdown).
    description: Mapped[str] = mapped_column(sa.Text, default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    room: Mapped[str | None] = mapped_column(sa.String(200))
    #: The meeting link of an online or hybrid session.
    online_url: Mapped[str | None] = mapped_column(sa.String(500))
    speaker: Mapped[str | None] = mapped_column(sa.String(200))
    #: Counts towards "all mandatory sessions attended".
    mandatory: Mapped[bool] = mapped_column(default=True)

    offering: Mapped[Offering] = relationship(back_populates="sessions")


class Enrolment(db.Model):
    __tablename__ = "enrolment"
    __table_args__ = (
        sa.UniqueConstraint("offering_id", "user_id"),
        sa.Index("ix_enrolment_waitlist", "offering_id", "status", "requested_at", "id"),
        # Open requests are few among many enrolments: the home page and the approval list
        # find them by status.
        sa.Index("ix_enrolment_status", "status"),
        sa.CheckConstraint("ics_sequence >= 0", name="sequence_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(sa.ForeignKey("offering.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[EnrolmentStatus] = mapped_column(
        enum_column(EnrolmentStatus, name="enrolment_status")
    )
    #: Orders the waitlist (with the id as tie-breaker); reset when someone re-enrols.
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When the status last changed.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The organiser or manager who enrolled, approved or declined; NULL for oneself.
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: The SEQUENCE of the calendar event sent last; updates use it + 1 (RFC 5546).
    ics_sequence: Mapped[int] = mapped_column(default=0)
    note: Mapped[str | None] = mapped_column(sa.Text)
    #: Why the enrolment was declined or cancelled, as told to the person.
    reason: Mapped[str | None] = mapped_column(sa.Text)
    #: When the reminder before the first session was queued; NULL: not yet (reset when
    #: the offering is rescheduled, so the reminder follows the new date).
    reminded_at: Mapped[datetime | None]

    offering: Mapped[Offering] = relationship()
    user = relationship("User", foreign_keys=[user_id])

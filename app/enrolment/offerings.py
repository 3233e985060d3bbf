"""Organisers' changes to offerings and their sessions.

A change participants must know about — a new time, another room, an added or removed
session, the whole offering cancelled — e-mails everyone with a seat an updated invite
(same event UIDs, SEQUENCE + 1) or a cancellation.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, selectinload

from app.accounts.models import User
from app.catalogue.models import Course
from app.enrolment import mail
from app.enrolment.access import manages_offering
from app.enrolment.models import (
    CourseSession,
    Enrolment,
    EnrolmentStatus,
    Offering,
    OfferingFormat,
    OfferingStatus,
)
from app.enrolment.seats import fill_free_seats
from app.errors import DomainError, NotFoundError
from app.security import audit

log = logging.getLogger(__name__)

OFFERING_FIELDS = (
    "title", "format", "location", "capacity", "starts_at", "ends_at", "enrol_opens_at",
    "enrol_closes_at", "cancel_deadline_at", "requires_approval", "open_to_partners",
    "contact_name", "contact_email",
)
SESSION_FIELDS = ("title", "description", "starts_at", "ends_at", "room", "online_url",
                  "speaker", "mandatory")
#: Changing these on a session (or the offering's location) sends everyone an update.
CALENDAR_FIELDS = frozenset({"title", "starts_at", "ends_at", "room", "online_url"})


def check_manager(actor: User, offering: Offering) -> None:
    if not manages_offering(actor, offering):
        raise NotFoundError("offering_not_found", _l("Fant ikke tilbudet."))


def _validate(values: dict) -> None:
    capacity = values.get("capacity")
    if capacity is not None and capacity < 0:
        raise DomainError("capacity_negative", _l("Kapasiteten kan ikke være negativ."),
                          field="capacity")
    opens, closes = values.get("enrol_opens_at"), values.get("enrol_closes_at")
    if opens and closes and closes <= opens:
        raise DomainError("window_reversed",
                          _l("Påmeldingen må stenge etter at den åpner."),
                          field="enrol_closes_at")
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts and ends and ends < starts:
        raise DomainError("period_reversed", _l("Sluttdatoen må være etter startdatoen."),
                          field="ends_at")
    if values.get("format") in (OfferingFormat.ONLINE, OfferingFormat.HYBRID):
        return
    if values.get("format") == OfferingFormat.IN_PERSON and not values.get("location"):
        raise DomainError("location_required", _l("Skriv hvor tilbudet holdes."),
                          field="location")


def create_offering(session: Session, *, actor: User, course: Course, organisation_id: int,
                    values: dict, now: datetime) -> Offering:
    values = {k: v for k, v in values.items() if k in OFFERING_FIELDS}
    _validate(values)
    offering = Offering(course=course, organisation_id=organisation_id, created_by_id=actor.id,
                        created_at=now, status=OfferingStatus.DRAFT, **values)
    check_manager(actor, offering)
    session.add(offering)
    session.flush()
    audit(session, actor=actor, action="offering.created", obj=offering, course_id=course.id)
    return offering


def update_offering(session: Session, *, actor: User, offering: Offering, values: dict,
                    now: datetime) -> list[Enrolment]:
    """Change the settings. Raising the capacity promotes from the waitlist (returned);
    lowering it below the seats taken is refused."""
    check_manager(actor, offering)
    values = {k: v for k, v in values.items() if k in OFFERING_FIELDS}
    _validate(values)
    capacity = values.get("capacity", offering.capacity)
    if capacity is not None and capacity < offering.taken:
        raise DomainError(
            "capacity_below_taken",
            _l("%(taken)s personer har allerede plass. Flytt noen til ventelisten eller "
               "avmeld dem før du senker kapasiteten.", taken=offering.taken),
            field="capacity",
        )
    if offering.sessions:
        # The period follows the sessions; the form's dates apply to self-paced offerings.
        values.pop("starts_at", None)
        values.pop("ends_at", None)
    location_changed = "location" in values and values["location"] != offering.location
    for key, value in values.items():
        setattr(offering, key, value)
    session.flush()
    promoted = fill_free_seats(session, offering, now=now)
    for enrolment in promoted:
        mail.notify(session, enrolment=enrolment, kind="promoted", now=now, method="REQUEST")
    if location_changed and offering.sessions:
        _send_updates(session, offering, now=now)
    audit(session, actor=actor, action="offering.updated", obj=offering,
          fields=sorted(values), promoted=[e.id for e in promoted])
    return promoted


def set_status(session: Session, *, actor: User, offering: Offering, status: OfferingStatus,
               now: datetime) -> None:
    """Publish or unpublish (back to draft). Cancelling has its own function."""
    check_manager(actor, offering)
    if offering.status == OfferingStatus.CANCELLED:
        raise DomainError("offering_cancelled", _l("Dette tilbudet er avlyst."))
    if status not in (OfferingStatus.PUBLISHED, OfferingStatus.DRAFT):
        raise DomainError("bad_status", _l("Ukjent status."))
    offering.status = status
    session.flush()
    audit(session, actor=actor, action=f"offering.{status}", obj=offering)


def copy_offering(session: Session, *, actor: User, offering: Offering, starts_on,
                  now: datetime) -> Offering:
    """A new draft with the same settings and sessions, moved so that it starts on the
    day ``starts_on`` (the enrolment window and deadline move with it)."""
    check_manager(actor, offering)
    anchor = offering.starts_at or now
    shift = timedelta(days=(starts_on - anchor.date()).days)

    def moved(value: datetime | None) -> datetime | None:
        return value + shift if value is not None else None

    copy = Offering(
        course_id=offering.course_id, organisation_id=offering.organisation_id,
        title=offering.title, status=OfferingStatus.DRAFT, format=offering.format,
        location=offering.location, capacity=offering.capacity, taken=0,
        starts_at=moved(offering.starts_at), ends_at=moved(offering.ends_at),
        enrol_opens_at=moved(offering.enrol_opens_at) if offering.enrol_opens_at else None,
        enrol_closes_at=moved(offering.enrol_closes_at),
        cancel_deadline_at=moved(offering.cancel_deadline_at),
        requires_approval=offering.requires_approval,
        open_to_partners=offering.open_to_partners, contact_name=offering.contact_name,
        contact_email=offering.contact_email, created_by_id=actor.id, created_at=now,
    )
    for item in offering.sessions:
        copy.sessions.append(CourseSession(
            title=item.title, description=item.description, starts_at=item.starts_at + shift,
            ends_at=item.ends_at + shift, room=item.room, online_url=item.online_url,
            speaker=item.speaker, mandatory=item.mandatory,
        ))
    session.add(copy)
    session.flush()
    audit(session, actor=actor, action="offering.copied", obj=copy, source=offering.id)
    return copy


def _active_enrolments(session: Session, offering: Offering, statuses) -> list[Enrolment]:
    return list(session.scalars(
        sa.select(Enrolment)
        .where(Enrolment.offering_id == offering.id, Enrolment.status.in_(statuses))
        .options(selectinload(Enrolment.user))
        .order_by(Enrolment.id)
    ))


def cancel_offering(session: Session, *, actor: User, offering: Offering, reason: str,
                    now: datetime) -> int:
    """Cancel the whole offering: every participant, waitlisted person and requester is
    told (those with a seat get a calendar cancellation). Returns how many were told."""
    check_manager(actor, offering)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required",
                          _l("Skriv en kort begrunnelse; den sendes til deltakerne."),
                          field="reason")
    if offering.status == OfferingStatus.CANCELLED:
        raise DomainError("offering_cancelled", _l("Dette tilbudet er avlyst."))
    affected = _active_enrolments(session, offering, (
        EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED, EnrolmentStatus.REQUESTED))
    had_seat = {e.id for e in affected if e.status == EnrolmentStatus.ENROLLED}
    session.execute(
        sa.update(Enrolment)
        .where(Enrolment.id.in_([e.id for e in affected]))
        .values(status=EnrolmentStatus.CANCELLED, reason=reason, updated_at=now)
        .execution_options(synchronize_session="fetch")
    )
    offering.status = OfferingStatus.CANCELLED
    offering.cancel_reason = reason
    offering.taken = 0
    session.flush()
    for enrolment in affected:
        mail.notify(session, enrolment=enrolment, kind="offering_cancelled", now=now,
                    method="CANCEL" if enrolment.id in had_seat else None, reason=reason)
    audit(session, actor=actor, action="offering.cancelled", obj=offering, reason=reason,
          told=len(affected))
    return len(affected)


# Sessions -----------------------------------------------------------------------------


def _validate_session(values: dict) -> None:
    if values["ends_at"] <= values["starts_at"]:
        raise DomainError("session_reversed", _l("Økten må slutte etter at den starter."),
                          field="end_time")
    if not (values.get("title") or "").strip():
        raise DomainError("title_required", _l("Gi økten en tittel."), field="title")


def _refresh_period(session: Session, offering: Offering) -> bool:
    """The offering's period follows its sessions. True when the start moved."""
    session.flush()
    session.refresh(offering, ["sessions"])
    if not offering.sessions:
        return False
    old_start = offering.starts_at
    offering.starts_at = min(s.starts_at for s in offering.sessions)
    offering.ends_at = max(s.ends_at for s in offering.sessions)
    return old_start != offering.starts_at


def _send_updates(session: Session, offering: Offering, *, now: datetime,
                  start_moved: bool = False) -> int:
    enrolled = _active_enrolments(session, offering, (EnrolmentStatus.ENROLLED,))
    for enrolment in enrolled:
        if start_moved:
            enrolment.reminded_at = None  # remind again before the new start
        mail.notify(session, enrolment=enrolment, kind="updated", now=now, method="REQUEST")
    return len(enrolled)


def _published(offering: Offering) -> bool:
    return offering.status == OfferingStatus.PUBLISHED


def add_session(session: Session, *, actor: User, offering: Offering, values: dict,
                now: datetime) -> CourseSession:
    check_manager(actor, offering)
    values = {k: v for k, v in values.items() if k in SESSION_FIELDS}
    _validate_session(values)
    item = CourseSession(offering=offering, **values)
    session.add(item)
    start_moved = _refresh_period(session, offering)
    if _published(offering):
        _send_updates(session, offering, now=now, start_moved=start_moved)
    audit(session, actor=actor, action="session.created", obj=item, offering_id=offering.id)
    return item


def update_session(session: Session, *, actor: User, item: CourseSession, values: dict,
                   now: datetime) -> int:
    """Change a session; returns how many participants were sent an updated invite."""
    offering = item.offering
    check_manager(actor, offering)
    values = {k: v for k, v in values.items() if k in SESSION_FIELDS}
    _validate_session(values)
    changed = {k for k, v in values.items() if getattr(item, k) != v}
    for key, value in values.items():
        setattr(item, key, value)
    start_moved = _refresh_period(session, offering)
    told = 0
    if changed & CALENDAR_FIELDS and _published(offering):
        told = _send_updates(session, offering, now=now, start_moved=start_moved)
    audit(session, actor=actor, action="session.updated", obj=item, fields=sorted(changed),
          told=told)
    return told


def delete_session(session: Session, *, actor: User, item: CourseSession, now: datetime) -> None:
    """Remove a session; participants get a cancellation of that one event."""
    offering = item.offering
    check_manager(actor, offering)
    if _published(offering):
        for enrolment in _active_enrolments(session, offering, (EnrolmentStatus.ENROLLED,)):
            mail.notify(session, enrolment=enrolment, kind="session_removed", now=now,
                        method="CANCEL", sessions=[item])
    audit(session, actor=actor, action="session.deleted", obj=item, offering_id=offering.id)
    session.delete(item)
    _refresh_period(session, offering)

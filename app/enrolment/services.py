"""Enrolment state changes: enrol, cancel, approve, decline, and the organiser's moves.

Every function flushes and never commits; the view, API or command commits once. Seats
and the waitlist change only through ``app.enrolment.seats``. Each change queues an e-mail
to the person in their language (with the calendar invite or cancellation) and an audit
event, in the same transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import User
from app.catalogue.models import CourseStatus
from app.enrolment import mail, rules
from app.enrolment.access import Authority, approvers, authority_over, may_decide
from app.enrolment.models import Enrolment, Offering, OfferingStatus
from app.enrolment.models import EnrolmentStatus as S
from app.enrolment.seats import (
    release_seat,
    seat_or_wait,
    seat_or_waitlist,
    take_seat,
    transition,
    waitlist_head,
    waitlist_position,
)
from app.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from app.orm import insert_row
from app.security import audit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Contact:
    """Someone to ask: the offering's contact, else the platform's support address."""

    name: str | None
    email: str

    def __str__(self) -> str:
        return f"{self.name} ({self.email})" if self.name else self.email


def contact_for(offering: Offering, support_email: str) -> Contact:
    if offering.contact_email:
        return Contact(offering.contact_name, offering.contact_email)
    return Contact(None, support_email)


def _changed_meanwhile() -> ConflictError:
    return ConflictError(
        "enrolment_changed",
        _l("Påmeldingen ble endret av noen andre i mellomtiden. Last inn siden på nytt."),
    )


def _check_can_enrol(offering: Offering, authority: Authority, person: User,
                     now: datetime) -> None:
    if offering.status == OfferingStatus.CANCELLED:
        raise DomainError("offering_cancelled", _l("Dette tilbudet er avlyst."))
    if not person.active:
        raise DomainError("person_inactive", _l("Personen er ikke lenger aktiv."))
    if authority == Authority.MANAGER:
        return  # organisers enrol into drafts and past offerings too (design.md)
    if ((offering.organisation_id != person.organisation_id and not offering.open_to_partners)
            or offering.course.status != CourseStatus.PUBLISHED
            or offering.status != OfferingStatus.PUBLISHED):
        raise NotFoundError("offering_not_found", _l("Fant ikke tilbudet."))
    window = rules.enrol_window(
        status=offering.status, opens_at=offering.enrol_opens_at,
        closes_at=offering.enrol_closes_at, starts_at=offering.starts_at, now=now,
    )
    if window == rules.Window.NOT_YET:
        raise DomainError("enrolment_not_open",
                          _l("Påmeldingen åpner %(when)s.",
                             when=format_datetime(offering.enrol_opens_at)))
    if window != rules.Window.OPEN:
        raise DomainError("enrolment_closed", _l("Påmeldingen til dette tilbudet er stengt."))


#: ``existing`` not given: the person's enrolment so far is looked up here.
NOT_READ = object()


def enrol(session: Session, *, actor: User, offering: Offering, person: User | None = None,
          now: datetime) -> Enrolment:
    """Enrol ``person`` (default: the actor). The outcome is ``enrolled`` while seats are
    left, else ``waitlisted``; ``requested`` when the offering needs approval and the
    person asks for themselves. Raises ConflictError when already enrolled."""
    return enrol_and_place(session, actor=actor, offering=offering, person=person, now=now)[0]


def enrol_and_place(session: Session, *, actor: User, offering: Offering,
                    person: User | None = None, now: datetime,
                    existing=NOT_READ) -> tuple[Enrolment, int | None]:
    """``enrol``, and the waitlist place the person was told (None when not waitlisted):
    counted once, for the e-mail, in the transaction that put them there. ``existing``:
    the person's enrolment in the offering (or None), when the caller read it with them
    in this transaction."""
    person = person or actor
    authority = authority_over(session, actor, offering, person)
    if authority is None:
        raise ForbiddenError("not_your_person",
                             _l("Du kan bare melde på deg selv og folk i enhetene du leder."))
    _check_can_enrol(offering, authority, person, now)

    needs_approval = offering.requires_approval and authority == Authority.SELF
    first = S.REQUESTED if needs_approval else S.WAITLISTED  # waitlisted until a seat is won
    decided_by = None if authority == Authority.SELF else actor.id
    if existing is NOT_READ:
        existing = session.scalar(
            sa.select(Enrolment).where(Enrolment.offering_id == offering.id,
                                       Enrolment.user_id == person.id)
        )
    if existing is not None and existing.status not in rules.REUSABLE:
        raise _already_enrolled(actor, person, existing)
    sequence_raised = False
    if existing is not None:
        enrolment = existing
        if not transition(session, enrolment, set(rules.REUSABLE), first, now=now,
                          requested_at=now, decided_by_id=decided_by, reason=None,
                          reminded_at=None):
            raise _changed_meanwhile()
        if not needs_approval:
            seat_or_waitlist(session, enrolment, offering, now=now)
    else:
        # The seat first, so that the new row is written once, with its outcome. A
        # refused INSERT below ends the transaction (or the caller's savepoint), and the
        # seat with it.
        status = first if needs_approval else seat_or_wait(session, offering)
        # A seat comes with a calendar invite where the offering has sessions: the row is
        # written with the SEQUENCE the invite carries, not raised by a second statement.
        sequence_raised = status == S.ENROLLED and bool(offering.sessions)
        try:
            enrolment = insert_row(session, Enrolment, offering_id=offering.id,
                                   user_id=person.id, status=status, requested_at=now,
                                   updated_at=now, decided_by_id=decided_by,
                                   ics_sequence=1 if sequence_raised else 0)
        except sa.exc.IntegrityError as error:
            # A double click or a second tab inserted the same (offering, person) first.
            raise _already_enrolled(actor, person, None) from error
        set_committed_value(enrolment, "offering", offering)
        set_committed_value(enrolment, "user", person)

    place = None
    if needs_approval:
        _ask_for_approval(session, enrolment, now=now)
    else:
        place = _tell_outcome(session, enrolment, now=now, sequence_raised=sequence_raised)
    audit(session, actor=actor, action="enrolment.enrolled", obj=enrolment,
          offering_id=offering.id, user_id=person.id, status=str(enrolment.status),
          authority=str(authority))
    log.info("enrol actor=%s person=%s offering=%s status=%s", actor.id, person.id,
             offering.id, enrolment.status)
    return enrolment, place


def _already_enrolled(actor: User, person: User, existing: Enrolment | None) -> ConflictError:
    message = (_l("Du er allerede påmeldt dette tilbudet.") if person.id == actor.id
               else _l("%(name)s er allerede påmeldt dette tilbudet.", name=person.name))
    return ConflictError("already_enrolled", message,
                         enrolment_id=existing.id if existing else None)


def _ask_for_approval(session: Session, enrolment: Enrolment, *, now: datetime) -> None:
    mail.notify(session, enrolment=enrolment, kind="requested", now=now)
    targets = approvers(session, enrolment.user)
    for approver in targets:
        mail.notify_approver(session, approver=approver, enrolment=enrolment, now=now)
    if not targets:
        log.warning("no leader to approve enrolment=%s; organisers decide it", enrolment.id)


def _tell_outcome(session: Session, enrolment: Enrolment, *, now: datetime,
                  kind: str | None = None, sequence_raised: bool = False) -> int | None:
    """Tell the person their seat or their waitlist place; returns the place."""
    if enrolment.status == S.ENROLLED:
        mail.notify(session, enrolment=enrolment, kind=kind or "enrolled", now=now,
                    method="REQUEST", sequence_raised=sequence_raised)
        return None
    place = waitlist_position(session, enrolment)
    mail.notify(session, enrolment=enrolment, kind="waitlisted", now=now, position=place)
    return place


def cancel(session: Session, *, actor: User, enrolment: Enrolment, now: datetime,
           reason: str | None = None, support_email: str = "") -> Enrolment:
    """Cancel an enrolment, a waitlist place or a pending request. A seat given back goes
    to the first person on the waitlist in the same transaction, who is told."""
    offering = enrolment.offering
    authority = authority_over(session, actor, offering, enrolment.user)
    if authority is None:
        raise NotFoundError("enrolment_not_found", _l("Fant ikke påmeldingen."))
    old = enrolment.status
    if old not in rules.CANCELLABLE:
        raise ConflictError("not_cancellable", _l("Denne påmeldingen er ikke aktiv lenger."))
    if (authority != Authority.MANAGER and old != S.REQUESTED
            and not rules.may_cancel_self(cancel_deadline_at=offering.cancel_deadline_at,
                                          starts_at=offering.starts_at, now=now)):
        deadline = rules.cancel_deadline(cancel_deadline_at=offering.cancel_deadline_at,
                                         starts_at=offering.starts_at)
        raise DomainError(
            "cancel_deadline_passed",
            _l("Avmeldingsfristen gikk ut %(when)s. Kontakt %(contact)s hvis du ikke kan "
               "delta.", when=format_datetime(deadline),
               contact=str(contact_for(offering, support_email))),
        )
    reason = (reason or "").strip() or None
    if not transition(session, enrolment, {old}, S.CANCELLED, now=now, reason=reason):
        raise _changed_meanwhile()
    promoted = release_seat(session, offering, now=now) if old == S.ENROLLED else None
    mail.notify(session, enrolment=enrolment, kind="cancelled", now=now,
                method="CANCEL" if old == S.ENROLLED else None, reason=reason)
    if promoted is not None:
        mail.notify(session, enrolment=promoted, kind="promoted", now=now, method="REQUEST")
        audit(session, actor=actor, action="enrolment.promoted", obj=promoted,
              offering_id=offering.id, user_id=promoted.user_id, freed_by=enrolment.id)
    audit(session, actor=actor, action="enrolment.cancelled", obj=enrolment,
          offering_id=offering.id, user_id=enrolment.user_id, previous=str(old),
          reason=reason)
    log.info("cancel actor=%s enrolment=%s was=%s promoted=%s", actor.id, enrolment.id, old,
             promoted.id if promoted else None)
    session.flush()
    return enrolment


def approve(session: Session, *, actor: User, enrolment: Enrolment, now: datetime) -> Enrolment:
    """The leader (or an organiser) approves a request: a seat if one is left, else the
    waitlist, whose order counts from the approval."""
    _check_decider(session, actor, enrolment)
    if enrolment.offering.status == OfferingStatus.CANCELLED:
        raise DomainError("offering_cancelled", _l("Dette tilbudet er avlyst."))
    if not transition(session, enrolment, {S.REQUESTED}, S.WAITLISTED, now=now,
                      requested_at=now, decided_by_id=actor.id):
        raise ConflictError("already_decided", _l("Forespørselen er allerede behandlet."))
    seat_or_waitlist(session, enrolment, enrolment.offering, now=now)
    _tell_outcome(session, enrolment, now=now)
    audit(session, actor=actor, action="enrolment.approved", obj=enrolment,
          offering_id=enrolment.offering_id, user_id=enrolment.user_id,
          status=str(enrolment.status))
    return enrolment


def decline(session: Session, *, actor: User, enrolment: Enrolment, reason: str,
            now: datetime) -> Enrolment:
    _check_decider(session, actor, enrolment)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required",
                          _l("Skriv en kort begrunnelse; den sendes til den som spurte."),
                          field="reason")
    if not transition(session, enrolment, {S.REQUESTED}, S.DECLINED, now=now, reason=reason,
                      decided_by_id=actor.id):
        raise ConflictError("already_decided", _l("Forespørselen er allerede behandlet."))
    mail.notify(session, enrolment=enrolment, kind="declined", now=now, reason=reason)
    audit(session, actor=actor, action="enrolment.declined", obj=enrolment,
          offering_id=enrolment.offering_id, user_id=enrolment.user_id, reason=reason)
    return enrolment


def _check_decider(session: Session, actor: User, enrolment: Enrolment) -> None:
    if not may_decide(session, actor, enrolment):
        raise NotFoundError("request_not_found", _l("Fant ikke forespørselen."))
    if enrolment.status != S.REQUESTED:
        raise ConflictError("already_decided", _l("Forespørselen er allerede behandlet."))


# The organiser's moves ----------------------------------------------------------------


def _check_manager(session: Session, actor: User, enrolment: Enrolment) -> None:
    if authority_over(session, actor, enrolment.offering, enrolment.user) != Authority.MANAGER:
        raise NotFoundError("enrolment_not_found", _l("Fant ikke påmeldingen."))


def give_seat(session: Session, *, actor: User, enrolment: Enrolment, now: datetime) -> Enrolment:
    """Move someone from the waitlist to a free seat, out of turn."""
    _check_manager(session, actor, enrolment)
    if enrolment.status != S.WAITLISTED:
        raise ConflictError("not_waitlisted", _l("Personen står ikke på ventelisten."))
    if not take_seat(session, enrolment.offering):
        raise DomainError("offering_full",
                          _l("Tilbudet er fullt. Øk kapasiteten, eller flytt noen til "
                             "ventelisten først."))
    if not transition(session, enrolment, {S.WAITLISTED}, S.ENROLLED, now=now,
                      decided_by_id=actor.id):
        raise _changed_meanwhile()
    mail.notify(session, enrolment=enrolment, kind="promoted", now=now, method="REQUEST")
    audit(session, actor=actor, action="enrolment.seat_given", obj=enrolment,
          offering_id=enrolment.offering_id, user_id=enrolment.user_id)
    return enrolment


def move_to_waitlist(session: Session, *, actor: User, enrolment: Enrolment,
                     now: datetime) -> Enrolment | None:
    """Give someone's seat to the first person waiting; they join the end of the
    waitlist. Returns the person who got the seat."""
    _check_manager(session, actor, enrolment)
    offering = enrolment.offering
    if enrolment.status != S.ENROLLED:
        raise ConflictError("not_enrolled", _l("Personen har ikke plass på tilbudet."))
    if waitlist_head(session, offering) is None:
        raise DomainError("nobody_waiting",
                          _l("Ingen står på ventelisten, så plassen ville bare blitt stående "
                             "tom. Avmeld personen i stedet, eller senk kapasiteten."))
    if not transition(session, enrolment, {S.ENROLLED}, S.WAITLISTED, now=now,
                      requested_at=now, decided_by_id=actor.id):
        raise _changed_meanwhile()
    promoted = release_seat(session, offering, now=now)
    mail.notify(session, enrolment=enrolment, kind="moved_to_waitlist", now=now,
                method="CANCEL", position=waitlist_position(session, enrolment))
    if promoted is not None:
        mail.notify(session, enrolment=promoted, kind="promoted", now=now, method="REQUEST")
    audit(session, actor=actor, action="enrolment.moved_to_waitlist", obj=enrolment,
          offering_id=offering.id, user_id=enrolment.user_id,
          promoted=promoted.id if promoted else None)
    return promoted


def mark_no_show(session: Session, *, actor: User, enrolment: Enrolment,
                 now: datetime) -> Enrolment:
    _check_manager(session, actor, enrolment)
    offering = enrolment.offering
    if offering.starts_at is None or offering.starts_at > now:
        raise DomainError("not_started",
                          _l("«Ikke møtt» kan bare registreres etter at tilbudet har startet."))
    if not transition(session, enrolment, {S.ENROLLED}, S.NO_SHOW, now=now,
                      decided_by_id=actor.id):
        raise ConflictError("not_enrolled", _l("Personen har ikke plass på tilbudet."))
    release_seat(session, offering, now=now)  # started: the seat simply becomes free
    audit(session, actor=actor, action="enrolment.no_show", obj=enrolment,
          offering_id=offering.id, user_id=enrolment.user_id)
    return enrolment

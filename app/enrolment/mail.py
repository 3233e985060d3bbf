"""E-mail about enrolments, queued in the outbox in the recipient's language, with a
calendar invite (REQUEST) or cancellation (CANCEL) for the offering's sessions.

Messages are queued in the same transaction as the change they report, so a rollback
takes them back too; ``flask outbox send`` delivers them after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse

from flask import current_app, render_template
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.enrolment.ics import InviteSession, build_calendar
from app.enrolment.models import Enrolment, Offering
from app.outbox.services import queue_email


def mail_domain() -> str:
    return urlparse(current_app.config["KURS_BASE_URL"]).hostname or "localhost"


def absolute(path: str) -> str:
    return current_app.config["KURS_BASE_URL"].rstrip("/") + path


def offering_url(offering: Offering) -> str:
    return absolute(f"/tilbud/{offering.id}")


def _subject(kind: str, course: str, person: str = "") -> str:
    subjects = {
        "enrolled": lambda: _("Påmeldt: %(course)s", course=course),
        "waitlisted": lambda: _("Venteliste: %(course)s", course=course),
        "requested": lambda: _("Forespørsel sendt: %(course)s", course=course),
        "approval_needed": lambda: _("Til godkjenning: %(person)s vil delta på %(course)s",
                                     person=person, course=course),
        "promoted": lambda: _("Du har fått plass: %(course)s", course=course),
        "declined": lambda: _("Ikke godkjent: %(course)s", course=course),
        "cancelled": lambda: _("Avmeldt: %(course)s", course=course),
        "moved_to_waitlist": lambda: _("Flyttet til venteliste: %(course)s", course=course),
        "updated": lambda: _("Endret tid eller sted: %(course)s", course=course),
        "session_removed": lambda: _("Økt avlyst: %(course)s", course=course),
        "offering_cancelled": lambda: _("Avlyst: %(course)s", course=course),
        "reminder": lambda: _("Påminnelse: %(course)s starter snart", course=course),
    }
    return subjects[kind]()


def _invite_sessions(offering: Offering, sessions=None) -> list[InviteSession]:
    return [
        InviteSession(
            id=s.id, title=s.title, starts_at=s.starts_at, ends_at=s.ends_at, room=s.room,
            online_url=s.online_url,
            note=_("Foredragsholder: %(name)s", name=s.speaker) if s.speaker else None,
        )
        for s in (offering.sessions if sessions is None else sessions)
    ]


def calendar_for(enrolment: Enrolment, *, method: str, now: datetime, sessions=None,
                 sequence: int | None = None) -> str | None:
    """The invite (or cancellation) of the offering's sessions for this participant;
    None for an offering without sessions (self-paced)."""
    offering = enrolment.offering
    items = _invite_sessions(offering, sessions)
    if not items:
        return None
    config = current_app.config
    return build_calendar(
        method=method,
        sessions=items,
        course_title=offering.course.title,
        sequence=enrolment.ics_sequence if sequence is None else sequence,
        domain=mail_domain(),
        organizer_email=offering.contact_email or config["MAIL_DEFAULT_SENDER"],
        organizer_name=offering.contact_name,
        attendee_email=enrolment.user.email,
        attendee_name=enrolment.user.name,
        url=offering_url(offering),
        location_fallback=offering.location,
        stamp=now,
    )


#: Stand-ins for the person's name and waitlist place: the bodies are rendered once per
#: kind, language and offering (every other value the templates read is in the key) and
#: the two are put in afterwards. The e-mail templates are plain text, never escaped, so
#: the text is the same as rendering each message afresh.
_NAME, _POSITION = "\x00name\x00", "\x00position\x00"
_BODIES: dict[tuple, str] = {}
_MAX_BODIES = 512


@dataclass(frozen=True)
class _Person:
    name: str


def _body(kind: str, *, user, offering: Offering, sessions, position: int | None,
          reason: str | None, has_calendar: bool) -> str:
    config = current_app.config
    course = offering.course
    key = (
        kind, str(get_locale()), config["BABEL_DEFAULT_TIMEZONE"], config["KURS_SUPPORT_EMAIL"],
        offering_url(offering), course.title, offering.title, offering.starts_at,
        offering.ends_at, offering.location, offering.cancel_deadline_at,
        offering.contact_name, offering.contact_email, position is None, reason, has_calendar,
        tuple((s.starts_at, s.ends_at, s.title, s.room, s.online_url) for s in sessions),
    )
    body = _BODIES.get(key)
    if body is None:
        body = render_template(
            f"enrolment/email/{kind}.txt", user=_Person(_NAME), offering=offering,
            course=course, sessions=sessions, url=key[4],
            position=None if position is None else _POSITION, reason=reason,
            support=key[3], has_calendar=has_calendar,
        )
        if len(_BODIES) >= _MAX_BODIES:
            _BODIES.clear()
        _BODIES[key] = body
    body = body.replace(_NAME, user.name)
    return body if position is None else body.replace(_POSITION, str(position))


def notify(session: Session, *, enrolment: Enrolment, kind: str, now: datetime,
           method: str | None = None, sessions=None, position: int | None = None,
           reason: str | None = None, sequence_raised: bool = False) -> None:
    """Queue the message ``kind`` to the enrolled person. With ``method`` (REQUEST or
    CANCEL) the calendar part is attached, with the enrolment's SEQUENCE raised by one
    (an offering without sessions has no calendar part, and its SEQUENCE stays);
    ``sequence_raised``: the row was written with the raised SEQUENCE already."""
    user = enrolment.user
    offering = enrolment.offering
    with force_locale(user.locale or "nb"):
        calendar = None
        if method is not None:
            sequence = enrolment.ics_sequence + (0 if sequence_raised else 1)
            calendar = calendar_for(enrolment, method=method, now=now, sessions=sessions,
                                    sequence=sequence)
            if calendar is not None:
                enrolment.ics_sequence = sequence
        subject = _subject(kind, offering.course.title)
        body = _body(kind, user=user, offering=offering,
                     sessions=offering.sessions if sessions is None else sessions,
                     position=position, reason=reason, has_calendar=calendar is not None)
    queue_email(
        session, recipient=user.email, subject=subject, body_text=body, now=now,
        domain=mail_domain(), calendar=calendar if method else None,
        calendar_method=method if calendar else None, user_id=user.id,
        reason=f"enrolment:{enrolment.id}:{kind}",
    )


def notify_approver(session: Session, *, approver, enrolment: Enrolment, now: datetime) -> None:
    offering = enrolment.offering
    with force_locale(approver.locale or "nb"):
        subject = _subject("approval_needed", offering.course.title, enrolment.user.name)
        body = render_template(
            "enrolment/email/approval_needed.txt", approver=approver, enrolment=enrolment,
            offering=offering, course=offering.course, user=enrolment.user,
            url=absolute(f"/godkjenninger/{enrolment.id}"),
            support=current_app.config["KURS_SUPPORT_EMAIL"],
        )
    queue_email(
        session, recipient=approver.email, subject=subject, body_text=body, now=now,
        domain=mail_domain(), user_id=approver.id,
        reason=f"enrolment:{enrolment.id}:approval_needed",
    )


def message_participant(session: Session, *, enrolment: Enrolment, subject: str, body: str,
                        sender_name: str, now: datetime) -> None:
    """An organiser's own message to one participant, sent as written."""
    offering = enrolment.offering
    with force_locale(enrolment.user.locale or "nb"):
        text = render_template("enrolment/email/message.txt", body=body, sender_name=sender_name,
                               offering=offering, course=offering.course,
                               url=offering_url(offering))
    queue_email(
        session, recipient=enrolment.user.email, subject=subject, body_text=text, now=now,
        domain=mail_domain(), user_id=enrolment.user_id,
        reason=f"offering:{offering.id}:message",
    )

"""The gap reminder e-mails, rendered in each recipient's language and queued in the
outbox in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.enrolment.mail import absolute, mail_domain
from app.outbox.services import queue_email


def queue_gap_reminder(session: Session, *, recipient, person, course, due, offering,
                       reason: str, now: datetime, as_manager: bool) -> None:
    with force_locale(recipient.locale or "nb"):
        if as_manager:
            subject = _("Påminnelse: %(person)s mangler %(course)s",
                        person=person.name, course=course.title)
        else:
            subject = _("Påminnelse: obligatorisk kurs %(course)s", course=course.title)
        body = render_template(
            "reports/email/gap_reminder.txt", recipient=recipient, person=person,
            course=course, due=due, offering=offering, as_manager=as_manager,
            course_url=absolute(f"/kurs/{course.slug}"),
            offering_url=absolute(f"/tilbud/{offering[0]}") if offering else None,
            support=current_app.config["KURS_SUPPORT_EMAIL"],
        )
    queue_email(session, recipient=recipient.email, subject=subject, body_text=body, now=now,
                domain=mail_domain(), user_id=recipient.id, reason=reason)

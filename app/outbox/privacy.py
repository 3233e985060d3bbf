"""Privacy provider of the outbox: the e-mails sent (or waiting) to a person."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.outbox.models import OutboxEmail
from app.privacy.registry import AnonymiseContext, Handling, Provider, register, row


def _theirs(user):
    return sa.or_(OutboxEmail.user_id == user.id, OutboxEmail.recipient == user.email)


def export_emails(session: Session, user) -> list[dict]:
    rows = session.scalars(sa.select(OutboxEmail).where(_theirs(user))
                           .order_by(OutboxEmail.created_at))
    return [row(m, "recipient", "subject", "body_text", "status", "created_at", "sent_at",
                "reason") for m in rows]


def anonymise(session: Session, user, ctx: AnonymiseContext) -> None:
    session.execute(sa.delete(OutboxEmail).where(_theirs(user)))


register(Provider(
    domain="outbox",
    sections={"emails": export_emails},
    columns={"outbox_email.user_id": Handling("emails", "deleted (and mail to the address)")},
    mentions=("outbox_email.subject", "outbox_email.body_text", "outbox_email.body_html",
              "outbox_email.calendar", "outbox_email.reason"),
    anonymise=anonymise,
))

"""Queueing and delivering e-mail.

``queue_email`` adds a row in the caller's transaction. ``deliver_due`` claims due rows one
by one with a conditional UPDATE (a lease), sends each, and records the outcome. Several
senders on several hosts can run at once: a row is sent by the one that won its lease; a
sender that crashes leaves a lease that runs out, and the row is retried. Failures back off
exponentially until ``max_attempts``.
"""

from __future__ import annotations

import logging
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.orm import insert_row
from app.outbox.models import OutboxEmail, OutboxStatus

log = logging.getLogger(__name__)


def make_message_id(domain: str) -> str:
    return f"<{secrets.token_hex(16)}@{domain}>"


def queue_email(
    session: Session,
    *,
    recipient: str,
    subject: str,
    body_text: str,
    now: datetime,
    domain: str,
    body_html: str | None = None,
    calendar: str | None = None,
    calendar_method: str | None = None,
    user_id: int | None = None,
    reason: str | None = None,
) -> OutboxEmail:
    """Queue one message, already rendered in the recipient's language."""
    email = insert_row(
        session, OutboxEmail,
        recipient=recipient,
        subject=subject[:250],
        body_text=body_text,
        body_html=body_html,
        calendar=calendar,
        calendar_method=calendar_method,
        user_id=user_id,
        reason=reason,
        message_id=make_message_id(domain),
        created_at=now,
        next_attempt_at=now,
    )
    log.info("outbox queued id=%s reason=%s", email.id, reason)
    return email


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def sender_name() -> str:
    return f"{socket.gethostname()}:{secrets.token_hex(3)}"


def claim(session: Session, email_id: int, *, sender: str, now: datetime,
          lease: timedelta) -> bool:
    """Take the lease of one due row. True when this sender won it."""
    result = session.execute(
        sa.update(OutboxEmail)
        .where(
            OutboxEmail.id == email_id,
            OutboxEmail.status == OutboxStatus.PENDING,
            OutboxEmail.next_attempt_at <= now,
            sa.or_(OutboxEmail.lease_until.is_(None), OutboxEmail.lease_until < now),
        )
        .values(lease_until=now + lease, leased_by=sender, attempts=OutboxEmail.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    gave_up: int = 0


def deliver_due(
    session: Session,
    send: Callable[[OutboxEmail], None],
    *,
    now: Callable[[], datetime],
    max_attempts: int,
    lease: timedelta,
    limit: int = 500,
    sender: str | None = None,
) -> DeliveryReport:
    """Send what is due. Each claim and each outcome is committed on its own, so that a
    crash loses at most the lease of the one message in flight."""
    sender = sender or sender_name()
    report = DeliveryReport()
    due_ids = list(
        session.scalars(
            sa.select(OutboxEmail.id)
            .where(
                OutboxEmail.status == OutboxStatus.PENDING,
                OutboxEmail.next_attempt_at <= now(),
                sa.or_(OutboxEmail.lease_until.is_(None), OutboxEmail.lease_until < now()),
            )
            .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
            .limit(limit)
        )
    )
    session.commit()
    for email_id in due_ids:
        won = claim(session, email_id, sender=sender, now=now(), lease=lease)
        session.commit()
        if not won:
            continue
        email = session.get(OutboxEmail, email_id)
        session.refresh(email)
        try:
            send(email)
        except Exception as error:  # any failure of the mail server or the network
            _record_failure(email, error, now=now(), max_attempts=max_attempts, report=report)
        else:
            email.status = OutboxStatus.SENT
            email.sent_at = now()
            email.lease_until = None
            email.last_error = None
            report.sent += 1
            log.info("outbox sent id=%s", email.id)
        session.commit()
    return report


def _record_failure(email: OutboxEmail, error: Exception, *, now: datetime, max_attempts: int,
                    report: DeliveryReport) -> None:
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    email.lease_until = None
    if email.attempts >= max_attempts:
        email.status = OutboxStatus.FAILED
        report.gave_up += 1
        log.error("outbox gave up id=%s after %s attempts: %s", email.id, email.attempts,
                  email.last_error)
    else:
        email.next_attempt_at = now + backoff(email.attempts)
        report.failed += 1
        log.warning("outbox retry id=%s attempt=%s: %s", email.id, email.attempts,
                    email.last_error)


def requeue(session: Session, *, email: OutboxEmail, now: datetime) -> None:
    """Give a failed message another round of attempts."""
    email.status = OutboxStatus.PENDING
    email.attempts = 0
    email.next_attempt_at = now
    email.lease_until = None
    session.flush()


def status_counts(session: Session, where=None) -> dict[str, int]:
    """Messages per status; ``where`` limits them (an admin sees their organisations')."""
    query = sa.select(OutboxEmail.status, sa.func.count()).group_by(OutboxEmail.status)
    if where is not None:
        query = query.where(where)
    rows = session.execute(query)
    counts = {s.value: 0 for s in OutboxStatus}
    for status, n in rows:
        counts[str(status)] = n
    return counts

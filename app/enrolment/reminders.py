"""Reminders before the first session (``flask outbox remind``, run daily).

Each enrolment is reminded once per start date: ``reminded_at`` is claimed with a
conditional UPDATE, so two hosts running the command at once send one reminder, and a
rescheduled offering (which clears ``reminded_at``) is reminded again before its new start.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from app.enrolment import mail
from app.enrolment.models import Enrolment, EnrolmentStatus, Offering, OfferingStatus

log = logging.getLogger(__name__)


def due_for_reminder(now: datetime, within: timedelta):
    return sa.and_(
        Enrolment.status == EnrolmentStatus.ENROLLED,
        Enrolment.reminded_at.is_(None),
        Offering.status == OfferingStatus.PUBLISHED,
        Offering.starts_at > now,
        Offering.starts_at <= now + within,
    )


def queue_reminders(session: Session, *, now: datetime, within: timedelta) -> int:
    """Queue a reminder to everyone with a seat on an offering starting within ``within``;
    returns how many were queued."""
    ids = session.scalars(
        sa.select(Enrolment.id)
        .join(Offering, Offering.id == Enrolment.offering_id)
        .where(due_for_reminder(now, within))
        .order_by(Enrolment.id)
    ).all()
    queued = 0
    for enrolment_id in ids:
        claimed = session.execute(
            sa.update(Enrolment)
            .where(Enrolment.id == enrolment_id, Enrolment.reminded_at.is_(None),
                   Enrolment.status == EnrolmentStatus.ENROLLED)
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            continue
        enrolment = session.scalar(
            sa.select(Enrolment).where(Enrolment.id == enrolment_id)
            .options(joinedload(Enrolment.user),
                     joinedload(Enrolment.offering).joinedload(Offering.course),
                     joinedload(Enrolment.offering).selectinload(Offering.sessions))
        )
        mail.notify(session, enrolment=enrolment, kind="reminder", now=now)
        queued += 1
    log.info("reminders queued=%s", queued)
    return queued

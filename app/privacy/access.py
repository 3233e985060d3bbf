"""Writing the access log. The one kind of write a GET request may make (design.md)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.orm import insert_row
from app.privacy.models import AccessLog, AccessLogSubject

log = logging.getLogger(__name__)


def log_access(
    session: Session,
    *,
    actor,
    kind: str,
    now: datetime,
    filters: dict | None = None,
    row_count: int = 0,
    subject_ids: Iterable[int] = (),
    address: str | None = None,
) -> AccessLog:
    """Record that ``actor`` viewed ``kind`` with ``filters``, showing ``row_count`` people;
    ``subject_ids`` are the people shown by name (written in one INSERT)."""
    entry = insert_row(session, AccessLog, actor_id=getattr(actor, "id", None), kind=kind,
                       at=now, filters=filters or None, row_count=row_count, address=address)
    subjects = sorted(set(subject_ids))
    if subjects:
        session.execute(
            sa.insert(AccessLogSubject),
            [{"access_log_id": entry.id, "user_id": user_id} for user_id in subjects],
        )
    log.info("access %s actor=%s rows=%s", kind, entry.actor_id, row_count)
    return entry


def views_of_person(session: Session, user_id: int, limit: int = 500) -> list[AccessLog]:
    """Who has viewed this person's data by name, newest first (for their own export)."""
    return list(session.scalars(
        sa.select(AccessLog)
        .join(AccessLogSubject, AccessLogSubject.access_log_id == AccessLog.id)
        .where(AccessLogSubject.user_id == user_id)
        .order_by(AccessLog.at.desc(), AccessLog.id.desc())
        .limit(limit)
    ))

"""Privacy provider of the audit trail: what a person did, and what was done to their
account."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.common.models import AuditEvent
from app.privacy.registry import Handling, Provider, register, row


def export_audit(session: Session, user) -> list[dict]:
    rows = session.scalars(
        sa.select(AuditEvent)
        .where(sa.or_(AuditEvent.actor_id == user.id,
                      sa.and_(AuditEvent.object_type == "User",
                              AuditEvent.object_id == str(user.id))))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(5000))
    return [row(e, "at", "action", "object_type", "object_id", "detail",
                by_me=e.actor_id == user.id) for e in rows]


register(Provider(
    domain="common",
    sections={"audit_events": export_audit},
    columns={
        "audit_event.actor_id": Handling(
            "audit_events", "kept (an id): the record of who changed what stays"),
    },
    mentions=("audit_event.detail",),
))

"""Privacy provider of the access log: who viewed a person's data, and what they viewed."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.privacy.access import views_of_person
from app.privacy.models import AccessLog, AccessLogSubject
from app.privacy.registry import AnonymiseContext, Handling, Provider, register, row


def export_viewed_by(session: Session, user) -> list[dict]:
    views = views_of_person(session, user.id, limit=5000)
    names = dict(session.execute(sa.select(User.id, User.name).where(
        User.id.in_({v.actor_id for v in views if v.actor_id}))).all())
    return [row(v, "at", "kind", "filters", "row_count",
                viewer=names.get(v.actor_id)) for v in views]


def export_views_made(session: Session, user) -> list[dict]:
    rows = session.scalars(sa.select(AccessLog).where(AccessLog.actor_id == user.id)
                           .order_by(AccessLog.at.desc()).limit(5000))
    return [row(v, "at", "kind", "filters", "row_count") for v in rows]


def anonymise(session: Session, user, ctx: AnonymiseContext) -> None:
    """A viewer may have searched for the person by surname or first name alone: in the
    filters of views that showed her, every part of her name goes too. (The full name,
    address and number go everywhere through ``mentions``.) The rows stay."""
    from app.privacy.anonymise import name_parts, scrub_column
    from app.privacy.guard import privileged

    showed_her = AccessLog.id.in_(sa.select(AccessLogSubject.access_log_id)
                                  .where(AccessLogSubject.user_id == user.id))
    with privileged(session, "anonymisation"):
        scrub_column(session, AccessLog.__table__.c.filters, name_parts(user), showed_her)


register(Provider(
    domain="privacy",
    sections={"viewed_by": export_viewed_by, "views_made": export_views_made},
    columns={
        "access_log.actor_id": Handling(
            "views_made", "kept (append-only): the record of what was viewed stays"),
        "access_log_subject.user_id": Handling(
            "viewed_by", "kept (append-only; only ids): who looked at the person stays"),
    },
    mentions=("access_log.filters",),
    anonymise=anonymise,
))

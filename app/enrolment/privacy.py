"""Privacy provider of enrolments."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.catalogue.models import Course
from app.enrolment.models import Enrolment, Offering
from app.privacy.registry import AnonymiseContext, Handling, Provider, register, row


def export_enrolments(session: Session, user) -> list[dict]:
    rows = session.execute(
        sa.select(Enrolment, Offering, Course.title)
        .join(Offering, Enrolment.offering_id == Offering.id)
        .join(Course, Offering.course_id == Course.id)
        .where(Enrolment.user_id == user.id).order_by(Enrolment.requested_at))
    return [row(e, "id", "status", "requested_at", "updated_at", "note", "reason",
                course=title, offering=o.title, starts_at=o.starts_at, location=o.location)
            for e, o, title in rows]


def anonymise(session: Session, user, ctx: AnonymiseContext) -> None:
    session.execute(sa.update(Enrolment).where(Enrolment.user_id == user.id)
                    .values(note=None, reason=None)
                    .execution_options(synchronize_session=False))


register(Provider(
    domain="enrolment",
    sections={"enrolments": export_enrolments},
    columns={
        "enrolment.user_id": Handling("enrolments", "kept (statistics); note and reason removed"),
        "enrolment.decided_by_id": Handling(
            None, "kept (an id)", why="decisions this leader or organiser made about others"),
        "offering.created_by_id": Handling(
            None, "kept (an id)", why="offerings are the organisation's, not the person's"),
    },
    mentions=("offering.contact_name", "offering.contact_email", "offering.cancel_reason",
              "course_session.speaker", "enrolment.note", "enrolment.reason"),
    anonymise=anonymise,
))

"""Privacy provider of seminars: attendance, walk-ins, registration answers (diet, allergies,
accessibility: health-adjacent) and the participant directory."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.catalogue.models import Course
from app.enrolment.models import CourseSession, Offering
from app.privacy.registry import AnonymiseContext, Handling, Provider, register, row
from app.seminars.models import Attendance, NetworkEntry, RegistrationAnswer, WalkIn


def _titles(session: Session, offering_ids) -> dict[int, str]:
    return dict(session.execute(
        sa.select(Offering.id, Course.title + sa.literal(" – ") + Offering.title)
        .join(Course, Offering.course_id == Course.id).where(Offering.id.in_(offering_ids))
    ).all())


def export_attendance(session: Session, user) -> list[dict]:
    rows = session.execute(
        sa.select(Attendance, CourseSession.title, CourseSession.starts_at, Course.title)
        .join(CourseSession, Attendance.session_id == CourseSession.id)
        .join(Offering, CourseSession.offering_id == Offering.id)
        .join(Course, Offering.course_id == Course.id)
        .where(Attendance.user_id == user.id).order_by(CourseSession.starts_at))
    return [row(a, "status", "method", "recorded_at", course=course, session=title,
                starts_at=starts) for a, title, starts, course in rows]


def export_walk_ins(session: Session, user) -> list[dict]:
    rows = list(session.scalars(sa.select(WalkIn).where(WalkIn.user_id == user.id)))
    titles = _titles(session, {w.offering_id for w in rows})
    return [row(w, "status", "requested_at", "decided_at", seminar=titles.get(w.offering_id))
            for w in rows]


def export_registration(session: Session, user) -> list[dict]:
    rows = list(session.scalars(sa.select(RegistrationAnswer)
                                .where(RegistrationAnswer.user_id == user.id)))
    titles = _titles(session, {r.offering_id for r in rows})
    return [row(r, "diet", "accessibility", "free_text", "updated_at",
                seminar=titles.get(r.offering_id)) for r in rows]


def export_network(session: Session, user) -> list[dict]:
    rows = list(session.scalars(sa.select(NetworkEntry).where(NetworkEntry.user_id == user.id)))
    titles = _titles(session, {r.offering_id for r in rows})
    return [row(r, "projects", "phone", "opted_in_at", seminar=titles.get(r.offering_id))
            for r in rows]


def anonymise(session: Session, user, ctx: AnonymiseContext) -> None:
    session.execute(sa.delete(RegistrationAnswer).where(RegistrationAnswer.user_id == user.id))
    session.execute(sa.delete(NetworkEntry).where(NetworkEntry.user_id == user.id))


register(Provider(
    domain="seminars",
    sections={"attendance": export_attendance, "walk_ins": export_walk_ins,
              "registration_answers": export_registration, "participant_directory":
              export_network},
    columns={
        "attendance.user_id": Handling("attendance", "kept (statistics; no text)"),
        "attendance.recorded_by_id": Handling(
            None, "kept (an id)", why="marks this organiser recorded for others"),
        "walk_in.user_id": Handling("walk_ins", "kept (statistics; no text)"),
        "walk_in.decided_by_id": Handling(
            None, "kept (an id)", why="decisions this organiser made about others"),
        "registration_answer.user_id": Handling(
            "registration_answers", "deleted (diet, allergies, accessibility, free text)"),
        "network_entry.user_id": Handling("participant_directory", "deleted"),
        "participant.created_by_id": Handling(
            None, "kept (an id)", why="external participants this organiser added are "
            "other people"),
    },
    anonymise=anonymise,
))

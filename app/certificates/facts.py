"""The facts the completion rule reads, gathered in a few queries."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.catalogue.models import Module, ModuleRead
from app.certificates.rules import Facts, OfferingFacts, SessionFact
from app.enrolment.models import CourseSession, Enrolment, EnrolmentStatus, Offering
from app.quizzes.models import Attempt, Quiz
from app.seminars.models import Attendance

#: Enrolments whose offering's sessions count towards the rule.
COUNTING = (EnrolmentStatus.ENROLLED, EnrolmentStatus.NO_SHOW)


def gather_facts(session: Session, *, user_id: int, course_id: int,
                 since: datetime | None) -> Facts:
    """What the person has done for the course since ``since`` (the previous completion;
    None for all time). Module reading has no rounds: a module once read stays read."""
    return Facts(
        offerings=_offerings(session, user_id, course_id, since),
        quiz_passed=_quiz_passed(session, user_id, course_id, since),
        modules_total=session.scalar(
            sa.select(sa.func.count()).select_from(Module).where(Module.course_id == course_id)
        ),
        modules_read=session.scalar(
            sa.select(sa.func.count())
            .select_from(ModuleRead)
            .join(Module, Module.id == ModuleRead.module_id)
            .where(Module.course_id == course_id, ModuleRead.user_id == user_id)
        ),
    )


def _offerings(session: Session, user_id: int, course_id: int,
               since: datetime | None) -> tuple[OfferingFacts, ...]:
    # The offerings the person is enrolled in or has attendance marks at.
    involved = sa.union(
        sa.select(Enrolment.offering_id).where(Enrolment.user_id == user_id,
                                               Enrolment.status.in_(COUNTING)),
        sa.select(CourseSession.offering_id)
        .join(Attendance, Attendance.session_id == CourseSession.id)
        .where(Attendance.user_id == user_id),
    ).subquery()
    query = (
        sa.select(CourseSession.offering_id, CourseSession.mandatory, Attendance.status)
        .join(Offering, Offering.id == CourseSession.offering_id)
        .outerjoin(Attendance, sa.and_(Attendance.session_id == CourseSession.id,
                                       Attendance.user_id == user_id))
        .where(Offering.course_id == course_id,
               CourseSession.offering_id.in_(sa.select(involved.c[0])))
        .order_by(CourseSession.offering_id, CourseSession.starts_at)
    )
    if since is not None:
        query = query.where(CourseSession.starts_at > since)
    grouped: dict[int, list[SessionFact]] = {}
    for offering_id, mandatory, status in session.execute(query):
        grouped.setdefault(offering_id, []).append(
            SessionFact(bool(mandatory), str(status) if status is not None else None))
    return tuple(OfferingFacts(oid, tuple(s)) for oid, s in grouped.items())


def _quiz_passed(session: Session, user_id: int, course_id: int,
                 since: datetime | None) -> bool:
    query = (
        sa.select(Attempt.id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Quiz.course_id == course_id, Attempt.user_id == user_id,
               Attempt.passed.is_(True))
        .limit(1)
    )
    if since is not None:
        query = query.where(Attempt.graded_at > since)
    return session.scalar(query) is not None


def course_hours(session: Session, *, course_id: int, offering_id: int | None) -> float | None:
    """Hours printed on the certificate: the offering's sessions when attendance counted;
    else (a completion HR registered, or an offering without sessions) the sessions of the
    course's programme, so a two-day seminar is not printed as its reading time; else the
    modules' estimated minutes; None when none is known."""
    if offering_id is not None:
        sessions = session.execute(
            sa.select(CourseSession.starts_at, CourseSession.ends_at)
            .where(CourseSession.offering_id == offering_id)
        ).all()
        seconds = sum((end - start).total_seconds() for start, end in sessions)
        if seconds:
            return round(seconds / 3600, 1)
    programme = programme_minutes(session, course_id=course_id)
    if programme:
        return round(programme / 60, 1)
    minutes = session.scalar(
        sa.select(sa.func.sum(Module.estimated_minutes)).where(Module.course_id == course_id)
    )
    return round(minutes / 60, 1) if minutes else None


def programme_minutes(session: Session, *, course_id: int) -> int | None:
    """The minutes of the sessions (not the breaks) in the course's package programme."""
    from app.sharing.models import CourseContent
    from app.sharing.problems import Collector
    from app.sharing.programfile import parse_program

    text = session.scalar(sa.select(CourseContent.program_toml)
                          .where(CourseContent.course_id == course_id))
    if not text:
        return None
    program = parse_program(Collector(), text.encode())
    return program.minutes() if program is not None else None

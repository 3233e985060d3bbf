"""Registration questions (diet and allergies, accessibility needs, free text) and the
participant network: the two things a participant tells a seminar about themselves.

Answers can be health data: only the seminar's organisers read them, and
``purge_answers`` (``flask seminars purge``) deletes them a set number of days after the
seminar. The network is strictly opt-in: a row exists only while the person wants it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.accounts.models import Unit, User
from app.enrolment.models import CourseSession, Enrolment, EnrolmentStatus, Offering
from app.errors import DomainError, ForbiddenError
from app.security import audit
from app.seminars import queries
from app.seminars.models import NetworkEntry, RegistrationAnswer, RegistrationQuestions

log = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 14
#: Enrolment statuses whose holders may answer the questions (a waitlisted person may get a
#: seat, and the organiser wants to know early).
MAY_ANSWER = (EnrolmentStatus.REQUESTED, EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED)


def questions_for(session: Session, offering: Offering) -> RegistrationQuestions | None:
    return session.get(RegistrationQuestions, offering.id)


def last_session_end(session: Session, offering: Offering) -> datetime | None:
    end = session.scalar(
        sa.select(sa.func.max(CourseSession.ends_at))
        .where(CourseSession.offering_id == offering.id)
    )
    return end or offering.ends_at


def answers_expire_at(session: Session, offering: Offering,
                      questions: RegistrationQuestions | None) -> datetime | None:
    """When the answers' retention runs out: the seminar's end plus the retention days.
    From then on nobody sees them, even before ``purge_answers`` has deleted them."""
    if questions is None:
        return None
    ends_at = last_session_end(session, offering)
    return ends_at + timedelta(days=questions.retention_days) if ends_at else None


def readable_answers(session: Session, offering: Offering,
                     questions: RegistrationQuestions | None, *, now: datetime
                     ) -> tuple[datetime | None, list[tuple]]:
    """When the answers' retention runs out, and (answer, name, unit name) by name while it
    lasts: once it has run out they are health data nobody may read any more, whether or
    not ``purge_answers`` has deleted them yet."""
    expires_at = answers_expire_at(session, offering, questions)
    if expires_at is not None and expires_at <= now:
        return expires_at, []
    rows = session.execute(
        sa.select(RegistrationAnswer, User.name, Unit.name)
        .join(User, RegistrationAnswer.user_id == User.id)
        .outerjoin(Unit, User.unit_id == Unit.id)
        .where(RegistrationAnswer.offering_id == offering.id)
        .order_by(User.name, User.id)
    ).all()
    return expires_at, rows


def save_questions(session: Session, *, actor: User, offering: Offering, ask_diet: bool,
                   ask_accessibility: bool, free_text_label: str | None, retention_days: int,
                   now: datetime) -> RegistrationQuestions:
    if not 0 <= retention_days <= 365:
        raise DomainError("retention_range", _l("Velg mellom 0 og 365 dager."),
                          field="retention_days")
    questions = session.get(RegistrationQuestions, offering.id)
    if questions is None:
        questions = RegistrationQuestions(offering_id=offering.id)
        session.add(questions)
    questions.ask_diet = ask_diet
    questions.ask_accessibility = ask_accessibility
    questions.free_text_label = (free_text_label or "").strip()[:200] or None
    questions.retention_days = retention_days
    questions.updated_at = now
    session.flush()
    audit(session, actor=actor, action="seminars.questions_saved", obj=offering,
          retention_days=retention_days)
    return questions


def may_answer(session: Session, *, user: User, offering: Offering) -> bool:
    return session.scalar(
        sa.select(sa.func.count()).select_from(Enrolment)
        .where(Enrolment.offering_id == offering.id, Enrolment.user_id == user.id,
               Enrolment.status.in_(MAY_ANSWER))
    ) > 0 or queries.is_on_roster(session, offering.id, user.id)


def save_answers(session: Session, *, user: User, offering: Offering, diet: str | None,
                 accessibility: str | None, free_text: str | None,
                 now: datetime) -> RegistrationAnswer | None:
    """Store (or, when all fields are empty, delete) the person's answers."""
    questions = questions_for(session, offering)
    if questions is None or questions.purged_at is not None:
        raise DomainError("no_questions",
                          _l("Denne samlingen stiller ingen spørsmål nå."))
    end = last_session_end(session, offering)
    if end is not None and end < now:
        raise DomainError("seminar_over", _l("Samlingen er over; svarene kan ikke endres."))
    if not may_answer(session, user=user, offering=offering):
        raise ForbiddenError("not_enrolled", _l("Du er ikke påmeldt denne samlingen."))

    def clean(value: str | None, asked: bool) -> str | None:
        return ((value or "").strip()[:1000] or None) if asked else None

    values = {
        "diet": clean(diet, questions.ask_diet),
        "accessibility": clean(accessibility, questions.ask_accessibility),
        "free_text": clean(free_text, questions.free_text_label is not None),
    }
    answer = session.scalar(
        sa.select(RegistrationAnswer).where(RegistrationAnswer.offering_id == offering.id,
                                            RegistrationAnswer.user_id == user.id)
    )
    if not any(values.values()):
        if answer is not None:
            session.delete(answer)
            session.flush()
        return None
    if answer is None:
        answer = RegistrationAnswer(offering_id=offering.id, user_id=user.id)
        session.add(answer)
    for key, value in values.items():
        setattr(answer, key, value)
    answer.updated_at = now
    session.flush()
    log.info("registration answers saved: user=%s offering=%s", user.id, offering.id)
    return answer


def purge_answers(session: Session, *, now: datetime) -> dict[int, int]:
    """Delete the answers of every seminar whose retention has run out.

    Returns offering id -> answers deleted. Safe to run again: a second run finds nothing.
    """
    ends = (
        sa.select(CourseSession.offering_id, sa.func.max(CourseSession.ends_at).label("ends_at"))
        .group_by(CourseSession.offering_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(RegistrationAnswer.offering_id,
                  sa.func.coalesce(ends.c.ends_at, Offering.ends_at),
                  RegistrationQuestions.retention_days, sa.func.count())
        .join(Offering, RegistrationAnswer.offering_id == Offering.id)
        .outerjoin(ends, ends.c.offering_id == Offering.id)
        .outerjoin(RegistrationQuestions,
                   RegistrationQuestions.offering_id == RegistrationAnswer.offering_id)
        .group_by(RegistrationAnswer.offering_id, ends.c.ends_at, Offering.ends_at,
                  RegistrationQuestions.retention_days)
    ).all()
    due = {}
    for offering_id, ended, days, count in rows:
        if ended is None:
            continue  # no end known yet: the seminar has not been planned to the end
        if ended + timedelta(days=DEFAULT_RETENTION_DAYS if days is None else days) <= now:
            due[offering_id] = count
    if due:
        session.execute(sa.delete(RegistrationAnswer)
                        .where(RegistrationAnswer.offering_id.in_(due)))
        session.execute(sa.update(RegistrationQuestions)
                        .where(RegistrationQuestions.offering_id.in_(due))
                        .values(purged_at=now))
        audit(session, actor=None, action="seminars.answers_purged",
              offerings=sorted(due), answers=sum(due.values()))
    log.info("registration answers purged: %s", due)
    return due


def join_network(session: Session, *, user: User, offering: Offering, projects: str | None,
                 phone: str | None, now: datetime) -> NetworkEntry:
    """Opt in to (or update one's entry in) the seminar's participant directory."""
    if not queries.is_on_roster(session, offering.id, user.id):
        raise ForbiddenError("not_participant",
                             _l("Bare deltakerne på samlingen kan stå i nettverket."))
    entry = session.scalar(
        sa.select(NetworkEntry).where(NetworkEntry.offering_id == offering.id,
                                      NetworkEntry.user_id == user.id)
    )
    if entry is None:
        entry = NetworkEntry(offering_id=offering.id, user_id=user.id, opted_in_at=now)
        session.add(entry)
    entry.projects = (projects or "").strip()[:2000]
    entry.phone = (phone or "").strip()[:40] or None
    session.flush()
    audit(session, actor=user, action="seminars.network_joined", obj=offering)
    return entry


def leave_network(session: Session, *, user: User, offering: Offering, now: datetime) -> bool:
    """Withdraw: the entry is deleted at once. Returns whether there was one."""
    deleted = session.execute(
        sa.delete(NetworkEntry).where(NetworkEntry.offering_id == offering.id,
                                      NetworkEntry.user_id == user.id)
    ).rowcount
    if deleted:
        audit(session, actor=user, action="seminars.network_left", obj=offering)
    return bool(deleted)

"""Read queries: certificates in an organiser's reach, an offering's roster, the home page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from app.accounts.models import Unit, User
from app.accounts.scope import organisation_ids, unit_condition
from app.catalogue.models import Course
from app.certificates.models import Certificate, Completion, CompletionSource
from app.certificates.services import RENEWAL_WINDOW
from app.enrolment.models import Enrolment, EnrolmentStatus, Offering
from app.quizzes.models import Attempt, AttemptStatus, Quiz

MANAGERS = ("organiser", "admin")


def managed_organisations(user) -> set[int]:
    return organisation_ids(user, *MANAGERS)


def certificate_status(cert: Certificate, now: datetime) -> str:
    """valid, expired or revoked: what the public verification shows."""
    if cert.revoked_at is not None:
        return "revoked"
    if cert.expires_at is not None and cert.expires_at <= now:
        return "expired"
    return "valid"


def certificate_by_code(session: Session, code: str) -> Certificate | None:
    if not code or len(code) > 64:
        return None
    return session.scalar(
        sa.select(Certificate).where(Certificate.code == code)
        .options(joinedload(Certificate.completion).joinedload(Completion.course))
    )


def may_manage(user, cert: Certificate) -> bool:
    """Organisers and admins of the course's owner or of the offering that counted."""
    orgs = managed_organisations(user)
    completion = cert.completion
    return (completion.course.organisation_id in orgs
            or (completion.offering is not None
                and completion.offering.organisation_id in orgs))


def may_download(user, cert: Certificate) -> bool:
    return cert.completion.user_id == user.id or may_manage(user, cert)


def managed_offerings(session: Session, user, limit: int = 100) -> list[tuple]:
    """(offering, course title, valid certificates) for the organiser's organisations."""
    certs = (
        sa.select(sa.func.count(Certificate.id))
        .join(Completion, Completion.id == Certificate.completion_id)
        .join(Enrolment, sa.and_(Enrolment.user_id == Completion.user_id,
                                 Enrolment.offering_id == Offering.id))
        .where(Completion.course_id == Offering.course_id, Certificate.revoked_at.is_(None))
        .correlate(Offering).scalar_subquery()
    )
    return list(session.execute(
        sa.select(Offering, Course.title, certs)
        .join(Course, Course.id == Offering.course_id)
        .where(Offering.organisation_id.in_(managed_organisations(user)))
        .order_by(Offering.starts_at.desc().nulls_last(), Offering.id.desc())
        .limit(limit)
    ))


@dataclass
class RosterRow:
    user: User
    status: str
    completion: Completion | None
    certificate: Certificate | None


def offering_roster(session: Session, offering: Offering) -> list[RosterRow]:
    """Everyone enrolled, with their latest completion and its current certificate."""
    latest = (
        sa.select(Completion.id)
        .where(Completion.user_id == Enrolment.user_id,
               Completion.course_id == offering.course_id)
        .order_by(Completion.completed_at.desc(), Completion.id.desc()).limit(1)
        .correlate(Enrolment).scalar_subquery()
    )
    rows = session.execute(
        sa.select(Enrolment.status, User, Completion, Certificate)
        .join(User, User.id == Enrolment.user_id)
        .outerjoin(Completion, Completion.id == latest)
        .outerjoin(Certificate, sa.and_(Certificate.completion_id == Completion.id,
                                        Certificate.revoked_at.is_(None)))
        .where(Enrolment.offering_id == offering.id,
               Enrolment.status.in_([EnrolmentStatus.ENROLLED, EnrolmentStatus.NO_SHOW]))
        .order_by(User.name, User.id)
    )
    return [RosterRow(user, str(status), completion, cert)
            for status, user, completion, cert in rows]


def external_completions(session: Session, user, limit: int = 100) -> list[tuple]:
    return list(session.execute(
        sa.select(Completion, User, Course.title)
        .join(User, User.id == Completion.user_id)
        .join(Unit, Unit.id == User.unit_id)
        .join(Course, Course.id == Completion.course_id)
        .where(Completion.source == CompletionSource.EXTERNAL,
               unit_condition(user, "hr", "admin"))
        .order_by(Completion.created_at.desc(), Completion.id.desc())
        .limit(limit)
    ))


def find_person(session: Session, actor, key: str) -> User | None:
    """A person in the actor's HR reach by employee number or e-mail address."""
    key = key.strip()
    column = User.email if "@" in key else User.employee_number
    return session.scalar(
        sa.select(User).join(Unit, Unit.id == User.unit_id)
        .where(column == (key.lower() if "@" in key else key),
               unit_condition(actor, "hr", "admin"))
        .limit(1)
    )


@dataclass
class HomeCertificates:
    certificates: list[Certificate]
    quizzes: list[tuple]
    due_again: list[Completion]


@lru_cache(maxsize=1)
def _home_statements():
    """Built once with the person as a bind parameter (building cost more than running)."""
    me = sa.bindparam("user_id")
    completions = (
        sa.select(Completion, Certificate)
        .outerjoin(Certificate, sa.and_(Certificate.completion_id == Completion.id,
                                        Certificate.revoked_at.is_(None)))
        .where(Completion.user_id == me)
        .options(joinedload(Completion.course))
        .order_by(Completion.completed_at.desc(), Completion.id.desc())
        .limit(500)
    )
    passed = (sa.select(Attempt.id).where(Attempt.quiz_id == Quiz.id,
                                          Attempt.user_id == me,
                                          Attempt.passed.is_(True)).exists())
    open_attempt = (sa.select(Attempt.id)
                    .where(Attempt.quiz_id == Quiz.id, Attempt.user_id == me,
                           Attempt.status == AttemptStatus.IN_PROGRESS)
                    .correlate(Quiz).scalar_subquery())
    enrolled = (sa.select(Offering.course_id).join(Enrolment, Enrolment.offering_id
                                                   == Offering.id)
                .where(Enrolment.user_id == me,
                       Enrolment.status == EnrolmentStatus.ENROLLED))
    quizzes = (
        sa.select(Quiz.id, Quiz.title, Course.title, open_attempt)
        .join(Course, Course.id == Quiz.course_id)
        .where(Quiz.course_id.in_(enrolled), ~passed)
        .order_by(Course.title).limit(20)
    )
    return completions, quizzes


def home_items(session: Session, user, now: datetime) -> HomeCertificates:
    """The home page's parts: my certificates, quizzes to take, courses due again."""
    # One statement for both lists: the person's completions (few), each with its valid
    # certificate if any; the latest completion of each course decides "due again".
    completions, quizzes = _home_statements()
    rows = session.execute(completions, {"user_id": user.id}).all()
    certificates = sorted((cert for _completion, cert in rows if cert is not None),
                          key=lambda cert: cert.issued_at, reverse=True)[:20]
    latest: dict[int, Completion] = {}
    for completion, _cert in rows:
        latest.setdefault(completion.course_id, completion)
    due_again = sorted(
        (c for c in latest.values()
         if c.expires_at is not None and c.expires_at <= now + RENEWAL_WINDOW),
        key=lambda c: c.expires_at,
    )[:20]
    return HomeCertificates(certificates, list(session.execute(quizzes, {"user_id": user.id})),
                            due_again)

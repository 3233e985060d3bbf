"""Enrolling many at once: a pasted list of e-mail addresses or employee numbers, or "all
new leaders without this course", previewed before anything is written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from app.accounts.models import LeaderLevel, Unit, User
from app.accounts.scope import organisation_ids, unit_condition
from app.enrolment import rules, services
from app.enrolment.access import OFFERING_ROLES, manager_reaches
from app.enrolment.models import Enrolment, EnrolmentStatus, Offering
from app.errors import DomainError

SEPARATORS = re.compile(r"[\s,;]+")
MAX_PEOPLE = 2000


def parse_identifiers(text: str) -> list[str]:
    """E-mail addresses (lower-cased) and employee numbers, each once, in the order given."""
    seen: dict[str, None] = {}
    for token in SEPARATORS.split(text or ""):
        token = token.strip().strip("<>\"'")
        if token:
            seen.setdefault(token.lower() if "@" in token else token, None)
    return list(seen)


@dataclass
class PreviewRow:
    identifier: str
    user: User | None
    #: enrol | waitlist | already | not_found | out_of_reach | inactive
    outcome: str


@dataclass
class Preview:
    rows: list[PreviewRow] = field(default_factory=list)

    def people(self) -> list[User]:
        return [r.user for r in self.rows if r.outcome in ("enrol", "waitlist")]

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)


def _existing(session: Session, offering: Offering, user_ids: list[int]) -> set[int]:
    if not user_ids:
        return set()
    return set(session.scalars(
        sa.select(Enrolment.user_id).where(Enrolment.offering_id == offering.id,
                                           Enrolment.user_id.in_(user_ids),
                                           Enrolment.status.in_(rules.ACTIVE))
    ))


def _classify(session: Session, actor: User, offering: Offering,
              pairs: list[tuple[str, User | None]]) -> Preview:
    already = _existing(session, offering, [u.id for _i, u in pairs if u is not None])
    preview = Preview()
    fresh: list[PreviewRow] = []
    for identifier, user in pairs:
        if user is None:
            outcome = "not_found"
        elif not user.active:
            outcome = "inactive"
        elif not manager_reaches(actor, offering, user):
            outcome = "out_of_reach"
        elif user.id in already:
            outcome = "already"
        else:
            outcome = "enrol"
        row = PreviewRow(identifier, user, outcome)
        preview.rows.append(row)
        if outcome == "enrol":
            fresh.append(row)
    for row, status in zip(fresh, rules.preview_outcomes(offering.capacity, offering.taken,
                                                         len(fresh)), strict=True):
        row.outcome = "enrol" if status == EnrolmentStatus.ENROLLED else "waitlist"
    return preview


def preview_list(session: Session, *, actor: User, offering: Offering, text: str) -> Preview:
    identifiers = parse_identifiers(text)[:MAX_PEOPLE]
    emails = [i for i in identifiers if "@" in i]
    numbers = [i for i in identifiers if "@" not in i]
    found = session.scalars(
        sa.select(User)
        .where(sa.or_(User.email.in_(emails) if emails else sa.false(),
                      sa.and_(User.employee_number.in_(numbers),
                              User.organisation_id == offering.organisation_id)
                      if numbers else sa.false()))
        .options(joinedload(User.unit))
    ).all()
    by_key = {u.email: u for u in found}
    by_key.update({u.employee_number: u for u in found
                   if u.employee_number and u.organisation_id == offering.organisation_id})
    return _classify(session, actor, offering, [(i, by_key.get(i)) for i in identifiers])


def new_leaders_without_course(session: Session, *, actor: User, offering: Offering,
                               months: int, now: datetime) -> Preview:
    """Leaders in the actor's reach who became leaders in the last ``months`` months and
    have no seat, place or request on any offering of this course."""
    since = (now - timedelta(days=round(months * 30.44))).date()
    on_course = (
        sa.select(Enrolment.user_id)
        .join(Offering, Offering.id == Enrolment.offering_id)
        .where(Offering.course_id == offering.course_id,
               Enrolment.status.in_((EnrolmentStatus.REQUESTED, EnrolmentStatus.ENROLLED,
                                     EnrolmentStatus.WAITLISTED)))
    )
    if offering.organisation_id in organisation_ids(actor, *OFFERING_ROLES):
        reach = User.organisation_id == offering.organisation_id
    else:
        reach = unit_condition(actor, "hr")
    leaders = session.scalars(
        sa.select(User)
        .join(Unit, Unit.id == User.unit_id)
        .where(reach, User.active.is_(True), User.leader_level != LeaderLevel.NONE,
               User.leader_since >= since, User.id.not_in(on_course))
        .order_by(User.name)
        .options(joinedload(User.unit))
        .limit(MAX_PEOPLE)
    ).all()
    return _classify(session, actor, offering, [(u.email, u) for u in leaders])


@dataclass
class BulkResult:
    enrolled: int = 0
    waitlisted: int = 0
    errors: list[str] = field(default_factory=list)


def enrol_many(session: Session, *, actor: User, offering: Offering, people: list[User],
               now: datetime) -> BulkResult:
    """Enrol each person through the one enrolment service, each in a savepoint, so one
    refusal (already enrolled meanwhile) does not undo the others."""
    result = BulkResult()
    for person in people:
        try:
            with session.begin_nested():
                enrolment = services.enrol(session, actor=actor, offering=offering,
                                           person=person, now=now)
        except DomainError as error:
            result.errors.append(f"{person.name}: {error.message}")
            continue
        if enrolment.status == EnrolmentStatus.ENROLLED:
            result.enrolled += 1
        else:
            result.waitlisted += 1
    return result

"""The one state change of the reports: a reminder to a person who lacks a mandatory
course, and to their leader, through the outbox; at most once per person, course and day."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.catalogue.models import Course
from app.enrolment.access import approvers
from app.enrolment.models import Offering
from app.errors import NotFoundError
from app.outbox.models import OutboxEmail
from app.reports import queries, rules
from app.reports.mail import queue_gap_reminder
from app.reports.scope import OSLO, Filters
from app.security import audit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminded:
    person: User
    course: Course
    #: False: a reminder had already gone today, nothing new was queued.
    queued: bool
    manager: User | None = None


def reminder_reason(user_id: int, course_id: int) -> str:
    return f"reports.gap:{user_id}:{course_id}"


def remind_gap(session: Session, *, actor: User, user_id: int, course_id: int,
               now: datetime) -> Reminded:
    """Remind the person (and the nearest leader above them) that they lack the course.
    Only for a gap the actor sees in the report; a second click the same day (Oslo), even at
    the same moment, queues nothing."""
    row = session.execute(queries.gaps_statement(actor, Filters(), now=now, person_id=user_id,
                                                 course_id=course_id)).first()
    if row is None:
        raise NotFoundError("gap_not_found",
                            str(_l("Fant ikke denne mangelen i rapporten din.")))
    # The person's row is locked before looking for today's reminder, so that two clicks at
    # the same moment take turns and the second finds the first one's e-mail.
    person = session.scalar(sa.select(User).where(User.id == user_id).with_for_update())
    course = session.get(Course, course_id)
    reason = reminder_reason(user_id, course_id)
    day_start = datetime.combine(now.astimezone(OSLO).date(), time(0), OSLO).astimezone(UTC)
    already = session.scalar(sa.select(OutboxEmail.id).where(
        OutboxEmail.reason == reason, OutboxEmail.created_at >= day_start).limit(1))
    if already is not None:
        return Reminded(person, course, queued=False)
    offering = None
    if row.next_offering_id is not None:
        offering = session.execute(
            sa.select(Offering.id, Offering.title, Offering.starts_at)
            .where(Offering.id == row.next_offering_id)).first()
    lack = rules.lack(due_leader=row.due_leader, due_other=row.due_other,
                      leader_since=row.leader_since, unit_since=row.unit_since,
                      last_expired=row.last_expired.astimezone(OSLO).date()
                      if row.last_expired else None)
    queue_gap_reminder(session, recipient=person, person=person, course=course, due=lack.due,
                       offering=offering, reason=reason, now=now, as_manager=False)
    leaders = approvers(session, person)
    manager = leaders[0] if leaders else None
    if manager is not None:
        queue_gap_reminder(session, recipient=manager, person=person, course=course,
                           due=lack.due, offering=offering, reason=reason + ":leader",
                           now=now, as_manager=True)
    audit(session, actor=actor, action="reports.gap_reminder", obj=person,
          course_id=course.id, manager_id=getattr(manager, "id", None))
    return Reminded(person, course, queued=True, manager=manager)

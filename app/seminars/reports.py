"""Attendance reports: per seminar (everyone × every session) and per person (every seminar).

Each is a fixed number of statements returning tuples; the rules (attended, percent,
no-show, the course's attendance rule) come from ``app.seminars.rules``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import Organisation, Unit, User
from app.accounts.scope import unit_condition
from app.catalogue.models import Course, CourseKind
from app.enrolment.models import CourseSession, Enrolment, Offering
from app.seminars import queries
from app.seminars.models import Attendance, AttendanceStatus, Participant, WalkIn, WalkInStatus
from app.seminars.rules import (
    PersonAttendance,
    SessionFacts,
    counts,
    meets_attendance_rule,
    person_attendance,
)


@dataclass
class ReportRow:
    kind: str  # "user", "walk_in" or "participant"
    id: int
    name: str
    detail: str
    marks: dict[int, AttendanceStatus] = field(default_factory=dict)
    summary: PersonAttendance | None = None
    meets_rule: bool | None = None


@dataclass
class SeminarReport:
    offering: Offering
    sessions: list[CourseSession]
    rows: list[ReportRow]
    #: session id -> counts of each status (see ``rules.counts``).
    per_session: dict[int, dict[str, int]]

    @property
    def no_shows(self) -> list[ReportRow]:
        return [r for r in self.rows if r.summary and r.summary.no_show]


def _facts(sessions) -> list[SessionFacts]:
    return [SessionFacts(s.id, s.starts_at, s.mandatory) for s in sessions]


def _rule(course: Course, facts, marks) -> bool | None:
    return meets_attendance_rule(
        facts, marks, requires_all_mandatory=course.completion_requires_attendance,
        min_percent=course.completion_attendance_percent,
    )


def seminar_report(session: Session, offering: Offering, *, now: datetime) -> SeminarReport:
    """Everyone on the offering's list with their mark at every session (4 statements)."""
    sessions = list(session.scalars(
        sa.select(CourseSession).where(CourseSession.offering_id == offering.id)
        .order_by(CourseSession.starts_at, CourseSession.id)
    ))
    walk_in_ids = (sa.select(WalkIn.user_id)
                   .where(WalkIn.offering_id == offering.id,
                          WalkIn.status == WalkInStatus.CONFIRMED))
    enrolled_ids = (sa.select(Enrolment.user_id)
                    .where(Enrolment.offering_id == offering.id,
                           Enrolment.status.in_(queries.ON_LIST)))
    rows: dict[tuple[str, int], ReportRow] = {}
    for uid, name, unit, org, walk_in, enrolled in session.execute(
        sa.select(User.id, User.name, Unit.name, Organisation.name,
                  User.id.in_(walk_in_ids), User.id.in_(enrolled_ids))
        .join(Organisation, User.organisation_id == Organisation.id)
        .outerjoin(Unit, User.unit_id == Unit.id)
        .where(User.id.in_(queries.roster_user_ids(offering.id).scalar_subquery()))
    ):
        kind = "walk_in" if walk_in and not enrolled else "user"
        rows[("user", uid)] = ReportRow(kind, uid, name, unit or org)
    for pid, name, org in session.execute(
        sa.select(Participant.id, Participant.name, Participant.organisation_name)
        .where(Participant.offering_id == offering.id)
    ):
        rows[("participant", pid)] = ReportRow("participant", pid, name, org or "")
    for uid, pid, session_id, status in session.execute(
        sa.select(Attendance.user_id, Attendance.participant_id, Attendance.session_id,
                  Attendance.status)
        .join(CourseSession, Attendance.session_id == CourseSession.id)
        .where(CourseSession.offering_id == offering.id)
    ):
        row = rows.get(("user", uid) if uid is not None else ("participant", pid))
        if row is not None:
            row.marks[session_id] = status
    facts = _facts(sessions)
    for row in rows.values():
        row.summary = person_attendance(facts, row.marks, now)
        # People without an account have no completions: the rule does not apply to them.
        row.meets_rule = (None if row.kind == "participant"
                          else _rule(offering.course, facts, row.marks))
    ordered = sorted(rows.values(), key=lambda r: (queries.name_key(r.name), r.kind, r.id))
    per_session = {s.id: counts(r.marks.get(s.id) for r in ordered) for s in sessions}
    return SeminarReport(offering, sessions, ordered, per_session)


@dataclass
class PersonSeminar:
    offering: Offering
    sessions: list[CourseSession]
    marks: dict[int, AttendanceStatus]
    summary: PersonAttendance
    meets_rule: bool | None


def person_in_reach(session: Session, viewer: User, user_id: int) -> User | None:
    """The person, if the viewer may see their seminar attendance: organisers see the
    people of their organisations and those on the list of one of their seminars (narrowed
    to their own seminars below); HR sees people in their unit scope."""
    person = session.get(User, user_id)
    if person is None:
        return None
    organiser_orgs = queries.organiser_org_ids(viewer)
    if person.organisation_id in organiser_orgs:
        return person
    if organiser_orgs:
        on_their_list = sa.or_(
            sa.select(Enrolment.id).join(Offering, Offering.id == Enrolment.offering_id)
            .where(Enrolment.user_id == person.id,
                   Offering.organisation_id.in_(organiser_orgs)).exists(),
            sa.select(Attendance.id)
            .join(CourseSession, CourseSession.id == Attendance.session_id)
            .join(Offering, Offering.id == CourseSession.offering_id)
            .where(Attendance.user_id == person.id,
                   Offering.organisation_id.in_(organiser_orgs)).exists(),
        )
        if session.scalar(sa.select(on_their_list)):
            return person
    in_scope = session.scalar(
        sa.select(sa.func.count()).select_from(User)
        .join(Unit, User.unit_id == Unit.id)
        .where(User.id == user_id, unit_condition(viewer, "hr"))
    )
    return person if in_scope else None


def person_report(session: Session, viewer: User, person: User, *,
                  now: datetime) -> list[PersonSeminar]:
    """The seminars the person was on the list of, with their attendance (3 statements).

    Organisers see the seminars of their own organisations; HR sees every seminar."""
    organiser_orgs = queries.organiser_org_ids(viewer)
    on_list = sa.or_(
        sa.select(Enrolment.id)
        .where(Enrolment.offering_id == Offering.id,
               Enrolment.user_id == person.id,
               Enrolment.status.in_(queries.ON_LIST)).exists(),
        sa.select(WalkIn.id)
        .where(WalkIn.offering_id == Offering.id, WalkIn.user_id == person.id,
               WalkIn.status == WalkInStatus.CONFIRMED).exists(),
        sa.select(Attendance.id)
        .join(CourseSession, Attendance.session_id == CourseSession.id)
        .where(CourseSession.offering_id == Offering.id,
               Attendance.user_id == person.id).exists(),
    )
    condition = [Course.kind == CourseKind.SEMINAR, on_list]
    if organiser_orgs:
        condition.append(Offering.organisation_id.in_(organiser_orgs))
    offerings = list(session.scalars(
        sa.select(Offering).join(Offering.course).where(*condition)
        .options(sa.orm.contains_eager(Offering.course))
        .order_by(Offering.starts_at.desc(), Offering.id.desc())
    ))
    ids = [o.id for o in offerings]
    sessions: dict[int, list[CourseSession]] = defaultdict(list)
    for s in session.scalars(sa.select(CourseSession).where(CourseSession.offering_id.in_(ids))
                             .order_by(CourseSession.starts_at, CourseSession.id)):
        sessions[s.offering_id].append(s)
    marks: dict[int, dict[int, AttendanceStatus]] = defaultdict(dict)
    for offering_id, session_id, status in session.execute(
        sa.select(CourseSession.offering_id, Attendance.session_id, Attendance.status)
        .join(CourseSession, Attendance.session_id == CourseSession.id)
        .where(Attendance.user_id == person.id, CourseSession.offering_id.in_(ids))
    ):
        marks[offering_id][session_id] = status
    result = []
    for offering in offerings:
        facts = _facts(sessions[offering.id])
        result.append(PersonSeminar(
            offering, sessions[offering.id], marks[offering.id],
            person_attendance(facts, marks[offering.id], now),
            _rule(offering.course, facts, marks[offering.id]),
        ))
    return result

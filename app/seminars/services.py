"""Attendance writes: a grid mark, the bulk API, "mark the rest absent", walk-ins.

Every write of attendance (these, and the QR check-in in ``app.seminars.checkin``) ends in
``_after_attendance_change``: the one place that reacts to changed attendance.

A single grid mark checks the version the organiser saw; two organisers marking one person
at once never lose a mark silently (the later gets ``ConflictError`` with the current
value). The bulk API is last-writer-wins in ONE statement, and idempotent to the column.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.certificates.jobs import queue_completion_check
from app.certificates.models import CompletionSource
from app.common.numbers import whole_number
from app.enrolment.models import CourseSession, Enrolment, Offering
from app.errors import ConflictError, DomainError, NotFoundError
from app.orm import UTCDateTime
from app.security import audit
from app.seminars import queries
from app.seminars.models import (
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    Participant,
    WalkIn,
    WalkInStatus,
)
from app.seminars.rules import ATTENDED, arrival_status, self_checkin_status

log = logging.getLogger(__name__)

#: The most people one bulk request may mark (keeps the one statement within SQLite's
#: parameter limit).
BULK_LIMIT = 2000


def _after_attendance_change(session: Session, *, offering: Offering,
                             user_ids: Iterable[int], now: datetime) -> set[int]:
    """React to changed attendance of ``user_ids`` (people with an account) in ``offering``.

    Every attendance write calls this, in the same transaction, after its change is
    flushed: it queues the completion check (app/certificates/jobs.py), so that a
    participant's completion and certificate follow from attendance however it was
    recorded, without making the organiser at the door wait for the certificates.
    Returns the affected user ids.
    """
    affected = set(user_ids)
    if affected:
        log.info("attendance changed: offering=%s users=%s", offering.id, sorted(affected))
        queue_completion_check(session, course_id=offering.course_id, user_ids=affected,
                               source=CompletionSource.ATTENDANCE, actor=None, now=now)
    return affected


@dataclass(frozen=True)
class PersonRef:
    """A person on a list: ``kind`` "user" (with an account) or "participant" (without)."""

    kind: str
    id: int

    @classmethod
    def parse(cls, text: str) -> PersonRef:
        kind, _, raw_id = (text or "").partition(":")
        number = whole_number(raw_id)
        if kind not in ("user", "participant") or number is None:
            raise DomainError("bad_person", _l("Ukjent person."), status=422)
        return cls(kind, number)


def _person_condition(ref: PersonRef):
    if ref.kind == "user":
        return Attendance.user_id == ref.id
    return Attendance.participant_id == ref.id


def _current(session: Session, course_session: CourseSession, ref: PersonRef):
    return session.scalar(
        sa.select(Attendance)
        .where(Attendance.session_id == course_session.id, _person_condition(ref))
        .execution_options(populate_existing=True)
    )


def conflict(session: Session, row: Attendance) -> ConflictError:
    """The 409 a late mark gets: the current value, who set it and when."""
    recorded_by = session.get(User, row.recorded_by_id) if row.recorded_by_id else None
    return ConflictError(
        "attendance_conflict",
        _l("Noen andre registrerte denne personen samtidig. Verdien som gjelder nå, "
           "vises; trykk igjen hvis den skal endres."),
        current={
            "status": str(row.status),
            "version": row.version,
            "recorded_by": recorded_by.name if recorded_by else None,
            "recorded_at": row.recorded_at.isoformat(),
        },
    )


def _check_on_list(session: Session, course_session: CourseSession, ref: PersonRef) -> None:
    if ref.kind == "user":
        on_list = queries.is_on_roster(session, course_session.offering_id, ref.id)
    else:
        participant = session.get(Participant, ref.id)
        on_list = participant is not None and participant.offering_id == course_session.offering_id
    if not on_list:
        raise NotFoundError("not_on_list", _l("Personen står ikke på listen for denne økta."))


def mark(session: Session, *, actor: User, course_session: CourseSession, person: PersonRef,
         status: AttendanceStatus, seen_version: int, now: datetime) -> Attendance:
    """Set one person's status at one session, as the organiser saw it.

    ``seen_version`` is the version on the organiser's screen (0: no mark yet). If the
    mark changed in between, nothing is written and ``ConflictError`` carries the current
    value; if it already has the wanted status, nothing changes either.
    """
    _check_on_list(session, course_session, person)
    row = _current(session, course_session, person)
    if row is not None and row.status == status:
        return row
    if row is None:
        if seen_version:
            raise NotFoundError("attendance_gone", _l("Registreringen finnes ikke lenger."))
        row = Attendance(
            session_id=course_session.id, status=status, method=AttendanceMethod.MANUAL,
            recorded_by_id=actor.id, recorded_at=now, version=1,
            user_id=person.id if person.kind == "user" else None,
            participant_id=person.id if person.kind == "participant" else None,
        )
        try:
            with session.begin_nested():
                session.add(row)
        except sa.exc.IntegrityError:
            # Another organiser's first mark won the race for this person.
            raise conflict(session, _current(session, course_session, person)) from None
    else:
        if row.version != seen_version:
            raise conflict(session, row)
        updated = session.execute(
            sa.update(Attendance)
            .where(Attendance.id == row.id, Attendance.version == seen_version)
            .values(status=status, method=AttendanceMethod.MANUAL, recorded_by_id=actor.id,
                    recorded_at=now, version=Attendance.version + 1)
            .execution_options(synchronize_session=False)
        )
        if updated.rowcount != 1:
            raise conflict(session, _current(session, course_session, person))
        row = _current(session, course_session, person)
    log.info("attendance marked: actor=%s session=%s %s:%s status=%s", actor.id,
             course_session.id, person.kind, person.id, status)
    _after_attendance_change(session, offering=course_session.offering,
                             user_ids=[person.id] if person.kind == "user" else [], now=now)
    return row


def _insert(session: Session):
    return _dialect_insert(session.get_bind().dialect.name)


def _dialect_insert(dialect: str):
    """An INSERT into attendance that can take ON CONFLICT (PostgreSQL's or SQLite's)."""
    return (postgresql if dialect == "postgresql" else sqlite).insert(Attendance.__table__)


@functools.cache
def _on_list_statement() -> sa.Select:
    """Which of the people ``user_ids`` are on the list of ``offering_id``."""
    return sa.select(User.id).where(
        User.id.in_(sa.bindparam("user_ids", expanding=True)),
        User.id.in_(queries.roster_user_ids(sa.bindparam("offering_id")).scalar_subquery()),
    )


@functools.cache
def _upsert_statement(dialect: str) -> sa.Insert:
    """The bulk write; its rows are the parameters. Built once per dialect: composing the
    ON CONFLICT clause costs more than running it."""
    table = Attendance.__table__
    insert = _dialect_insert(dialect)
    return insert.on_conflict_do_update(
        index_elements=[table.c.session_id, table.c.user_id],
        set_={"status": insert.excluded.status, "method": insert.excluded.method,
              "recorded_by_id": insert.excluded.recorded_by_id,
              "recorded_at": insert.excluded.recorded_at, "version": table.c.version + 1},
        # SQLAlchemy renders IS DISTINCT FROM on PostgreSQL and IS NOT on SQLite.
        where=table.c.status.is_distinct_from(insert.excluded.status),
    ).returning(table.c.user_id).execution_options(
        # The rows of a request in one statement, however many (SQLAlchemy's pages hold
        # 1,000 rows by default).
        insertmanyvalues_page_size=BULK_LIMIT)


def bulk_set(session: Session, *, actor: User, course_session: CourseSession,
             items: Sequence[tuple[int, AttendanceStatus]], now: datetime) -> list[int]:
    """Set many people's status at once; last writer wins. Returns the changed user ids.

    One INSERT … ON CONFLICT DO UPDATE … WHERE the status differs, with the version bumped
    in SQL: a person whose status is already the one sent is not touched at all (not
    ``recorded_at``, not the version), so sending the same body twice changes nothing.
    """
    user_ids = [user_id for user_id, _status in items]
    if len(items) > BULK_LIMIT:
        raise DomainError("too_many", _l("Send høyst %(n)s personer per forespørsel.",
                                         n=BULK_LIMIT), status=422)
    duplicates = sorted({u for u in user_ids if user_ids.count(u) > 1}) if (
        len(set(user_ids)) != len(user_ids)) else []
    if duplicates:
        raise DomainError("duplicate_person",
                          _l("Samme person står flere ganger i listen: %(ids)s.",
                             ids=", ".join(map(str, duplicates))), status=422)
    if not items:
        return []
    found = set(session.scalars(_on_list_statement(),
                                {"user_ids": user_ids, "offering_id": course_session.offering_id}))
    unknown = sorted(set(user_ids) - found)
    if unknown:
        raise DomainError("not_on_list",
                          _l("Disse står ikke på listen for økta: %(ids)s.",
                             ids=", ".join(map(str, unknown))), status=422)
    # The rows as parameters of the statement built once (SQLAlchemy sends them as one
    # multi-row INSERT): a statement with the rows in it costs its cache key and
    # parameters afresh, five times the execution.
    changed = sorted(session.execute(_upsert_statement(session.get_bind().dialect.name), [
        {"session_id": course_session.id, "user_id": user_id, "status": status,
         "method": AttendanceMethod.BULK, "recorded_by_id": actor.id, "recorded_at": now,
         "version": 1}
        for user_id, status in items
    ]).scalars())
    audit(session, actor=actor, action="seminars.attendance_bulk", obj=course_session,
          received=len(items), changed=len(changed))
    _after_attendance_change(session, offering=course_session.offering, user_ids=changed,
                             now=now)
    return changed


def mark_rest_absent(session: Session, *, actor: User, course_session: CourseSession,
                     now: datetime) -> int:
    """Mark everyone on the list without a mark at this session as absent; returns how
    many. Marks already set are never touched (two statements, whatever the list size)."""
    table = Attendance.__table__
    absent = sa.literal(AttendanceStatus.ABSENT.value)
    common = (sa.literal(course_session.id), absent, sa.literal(AttendanceMethod.BULK.value),
              sa.literal(actor.id), sa.literal(now, UTCDateTime()), sa.literal(1))
    columns = ["session_id", "status", "method", "recorded_by_id", "recorded_at", "version"]
    unmarked_users = sa.select(*common, User.id).where(
        User.id.in_(queries.roster_user_ids(course_session.offering_id).scalar_subquery()),
        ~sa.select(Attendance.id).where(Attendance.session_id == course_session.id,
                                        Attendance.user_id == User.id).exists(),
    )
    users = session.execute(
        _insert(session).from_select([*columns, "user_id"], unmarked_users)
        .on_conflict_do_nothing().returning(table.c.user_id)
    ).scalars().all()
    unmarked_participants = sa.select(*common, Participant.id).where(
        Participant.offering_id == course_session.offering_id,
        ~sa.select(Attendance.id).where(Attendance.session_id == course_session.id,
                                        Attendance.participant_id == Participant.id).exists(),
    )
    participants = session.execute(
        _insert(session).from_select([*columns, "participant_id"], unmarked_participants)
        .on_conflict_do_nothing().returning(table.c.participant_id)
    ).scalars().all()
    total = len(users) + len(participants)
    audit(session, actor=actor, action="seminars.attendance_rest_absent", obj=course_session,
          marked=total)
    _after_attendance_change(session, offering=course_session.offering, user_ids=users, now=now)
    return total


def _arrival(course_session: CourseSession, now: datetime) -> AttendanceStatus:
    return arrival_status(course_session.starts_at, course_session.ends_at, now)


def _mark_arrived(session: Session, *, actor: User, course_session: CourseSession,
                  person: PersonRef, status: AttendanceStatus, now: datetime) -> bool:
    """Record that someone is here (walk-ins), keeping an existing present/late mark.
    Returns whether anything changed."""
    row = _current(session, course_session, person)
    if row is not None and row.status in ATTENDED:
        return False
    if row is None:
        session.add(Attendance(
            session_id=course_session.id, status=status, method=AttendanceMethod.MANUAL,
            recorded_by_id=actor.id, recorded_at=now, version=1,
            user_id=person.id if person.kind == "user" else None,
            participant_id=person.id if person.kind == "participant" else None,
        ))
    else:
        row.status, row.method = status, AttendanceMethod.MANUAL
        row.recorded_by_id, row.recorded_at = actor.id, now
        row.version += 1
    session.flush()
    return True


def add_walk_in(session: Session, *, actor: User, course_session: CourseSession, user_id: int,
                now: datetime) -> WalkIn | None:
    """Put someone with an account on the list and mark them present at this session.

    Someone already enrolled is only marked. Returns the walk-in (None if enrolled).
    """
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise NotFoundError("unknown_user", _l("Fant ikke personen."))
    offering = course_session.offering
    enrolled = session.scalar(
        sa.select(Enrolment.id).where(Enrolment.offering_id == offering.id,
                                      Enrolment.user_id == user.id,
                                      Enrolment.status.in_(queries.ON_LIST))
    )
    walk_in = None
    if not enrolled:
        walk_in = session.scalar(
            sa.select(WalkIn).where(WalkIn.offering_id == offering.id, WalkIn.user_id == user.id)
        ) or WalkIn(offering_id=offering.id, user_id=user.id, requested_at=now)
        walk_in.status = WalkInStatus.CONFIRMED
        walk_in.session_id = walk_in.session_id or course_session.id
        walk_in.decided_by_id, walk_in.decided_at = actor.id, now
        session.add(walk_in)
        session.flush()
    _mark_arrived(session, actor=actor, course_session=course_session,
                  person=PersonRef("user", user.id), status=_arrival(course_session, now),
                  now=now)
    audit(session, actor=actor, action="seminars.walk_in_added", obj=course_session,
          user_id=user.id)
    _after_attendance_change(session, offering=offering, user_ids=[user.id], now=now)
    return walk_in


def decide_walk_in(session: Session, *, actor: User, offering: Offering, walk_in_id: int,
                   confirm: bool, now: datetime) -> WalkIn:
    """Confirm (and mark present where they asked) or decline a walk-in request."""
    walk_in = session.get(WalkIn, walk_in_id)
    if walk_in is None or walk_in.offering_id != offering.id:
        raise NotFoundError("unknown_walk_in", _l("Fant ikke forespørselen."))
    if walk_in.status != WalkInStatus.REQUESTED:
        raise ConflictError("walk_in_decided", _l("Forespørselen er allerede behandlet."))
    walk_in.status = WalkInStatus.CONFIRMED if confirm else WalkInStatus.DECLINED
    walk_in.decided_by_id, walk_in.decided_at = actor.id, now
    session.flush()
    changed = []
    where = session.get(CourseSession, walk_in.session_id) if walk_in.session_id else None
    if confirm and where is not None and _mark_arrived(
        session, actor=actor, course_session=where, person=PersonRef("user", walk_in.user_id),
        # They were there when they asked: late or not is judged from that moment.
        status=self_checkin_status(where.starts_at, walk_in.requested_at), now=now,
    ):
        changed.append(walk_in.user_id)
    audit(session, actor=actor, action="seminars.walk_in_" + ("confirmed" if confirm
                                                              else "declined"),
          obj=walk_in, user_id=walk_in.user_id)
    _after_attendance_change(session, offering=offering, user_ids=changed, now=now)
    return walk_in


def add_participant(session: Session, *, actor: User, course_session: CourseSession, name: str,
                    organisation_name: str | None, email: str | None,
                    now: datetime) -> Participant:
    """Add someone without an account (name, organisation, e-mail), present at this session."""
    name = (name or "").strip()
    if not name:
        raise DomainError("name_required", _l("Skriv inn navnet."), field="name")
    participant = Participant(
        offering_id=course_session.offering_id, name=name[:200],
        organisation_name=(organisation_name or "").strip()[:200] or None,
        email=(email or "").strip().lower()[:254] or None, created_by_id=actor.id,
        created_at=now,
    )
    session.add(participant)
    session.flush()
    _mark_arrived(session, actor=actor, course_session=course_session,
                  person=PersonRef("participant", participant.id),
                  status=_arrival(course_session, now), now=now)
    audit(session, actor=actor, action="seminars.participant_added", obj=participant)
    _after_attendance_change(session, offering=course_session.offering, user_ids=[], now=now)
    return participant

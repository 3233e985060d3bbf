"""QR self check-in: reading a scanned token, and registering the person who scanned it.

``inspect`` only reads (the GET page); ``check_in`` writes (the confirm button and
``POST /api/v1/checkin``) and ends, like every attendance write, in
``services._after_attendance_change``.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, contains_eager

from app.accounts.models import User
from app.enrolment.models import CourseSession, Offering
from app.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from app.seminars import checkin_tokens, queries, services
from app.seminars.models import Attendance, AttendanceMethod, WalkIn, WalkInStatus
from app.seminars.rules import ATTENDED, checkin_is_open, self_checkin_status

log = logging.getLogger(__name__)


class Outcome(enum.StrEnum):
    REGISTERED = "registered"
    ALREADY_REGISTERED = "already_registered"
    WALK_IN_REQUESTED = "walk_in_requested"


class State(enum.StrEnum):
    """What the check-in page offers a person (read only)."""

    CAN_CHECK_IN = "can_check_in"
    ALREADY_REGISTERED = "already_registered"
    NOT_ON_LIST = "not_on_list"
    WALK_IN_PENDING = "walk_in_pending"
    WALK_IN_DECLINED = "walk_in_declined"
    CODE_USED = "code_used"


class _MarkChanged(Exception):
    """The row changed between reading and writing it (an organiser marked the person)."""


@dataclass
class Scan:
    course_session: CourseSession
    token: checkin_tokens.CheckinToken


@dataclass
class Result:
    outcome: Outcome
    course_session: CourseSession
    status: str | None = None


def read(session: Session, *, token: str, secret: str, max_age: int, now: datetime) -> Scan:
    """The session a token belongs to, refusing forged, expired and closed ones."""
    try:
        parsed = checkin_tokens.read_token(secret, token, now, max_age)
    except checkin_tokens.TokenExpired:
        raise DomainError("checkin_token_expired",
                          _l("QR-koden er utløpt. Skann koden som vises nå.")) from None
    except checkin_tokens.TokenInvalid:
        raise DomainError("checkin_token_invalid",
                          _l("QR-koden er ugyldig. Skann koden på skjermen i salen på nytt.")
                          ) from None
    course_session = session.scalar(
        sa.select(CourseSession)
        .join(CourseSession.offering)
        .join(Offering.course)
        .options(contains_eager(CourseSession.offering).contains_eager(Offering.course))
        .where(CourseSession.id == parsed.session_id)
    )
    if course_session is None:
        raise NotFoundError("checkin_session_gone", _l("Økta finnes ikke lenger."))
    if not checkin_is_open(course_session.starts_at, course_session.ends_at, now):
        raise ConflictError(
            "checkin_closed",
            _l("Innsjekkingen er ikke åpen. Den åpner 30 minutter før økta starter og "
               "stenger når økta slutter."),
        )
    return Scan(course_session, parsed)


def _attendance(session: Session, course_session: CourseSession, user: User):
    return session.scalar(
        sa.select(Attendance)
        .where(Attendance.session_id == course_session.id, Attendance.user_id == user.id)
        .execution_options(populate_existing=True)
    )


def _walk_in(session: Session, offering_id: int, user: User) -> WalkIn | None:
    return session.scalar(
        sa.select(WalkIn).where(WalkIn.offering_id == offering_id, WalkIn.user_id == user.id)
    )


def inspect(session: Session, *, user: User, scan: Scan) -> State:
    """What the person may do with this scan; writes nothing."""
    row = _attendance(session, scan.course_session, user)
    if row is not None and row.status in ATTENDED:
        return State.ALREADY_REGISTERED
    if row is not None and row.qr_window == scan.token.window:
        return State.CODE_USED
    if queries.is_on_roster(session, scan.course_session.offering_id, user.id):
        return State.CAN_CHECK_IN
    walk_in = _walk_in(session, scan.course_session.offering_id, user)
    if walk_in is not None and walk_in.status == WalkInStatus.REQUESTED:
        return State.WALK_IN_PENDING
    if walk_in is not None and walk_in.status == WalkInStatus.DECLINED:
        return State.WALK_IN_DECLINED
    return State.NOT_ON_LIST


def check_in(session: Session, *, user: User, scan: Scan, now: datetime,
             walk_in: bool = False) -> Result:
    """Mark the person present (late after the grace period) at the scanned session.

    A second scan by someone already present answers "already registered" and writes
    nothing. The same code used again after an organiser changed the mark is a replay and is
    refused. Someone not on the list may ask to be added (``walk_in``): the organiser
    confirms, and only then are they marked.
    """
    course_session = scan.course_session
    state = inspect(session, user=user, scan=scan)
    if state == State.ALREADY_REGISTERED:
        return Result(Outcome.ALREADY_REGISTERED, course_session)
    if state == State.CODE_USED:
        raise ConflictError("checkin_token_used",
                            _l("Denne QR-koden er allerede brukt. Snakk med arrangøren."))
    if state == State.WALK_IN_DECLINED:
        raise ForbiddenError("walk_in_declined",
                             _l("Arrangøren har ikke registrert deg på denne samlingen. "
                                "Snakk med arrangøren."))
    if state == State.WALK_IN_PENDING:
        return Result(Outcome.WALK_IN_REQUESTED, course_session)
    if state == State.NOT_ON_LIST:
        if not walk_in:
            raise ForbiddenError("not_enrolled",
                                 _l("Du er ikke påmeldt denne samlingen. Du kan be arrangøren "
                                    "om å registrere deg."))
        session.add(WalkIn(offering_id=course_session.offering_id, user_id=user.id,
                           session_id=course_session.id, status=WalkInStatus.REQUESTED,
                           requested_at=now))
        session.flush()
        log.info("walk-in requested: user=%s session=%s", user.id, course_session.id)
        return Result(Outcome.WALK_IN_REQUESTED, course_session)

    status = self_checkin_status(course_session.starts_at, now)
    row = _attendance(session, course_session, user)
    values = {"status": status, "method": AttendanceMethod.QR, "recorded_by_id": user.id,
              "recorded_at": now, "qr_window": scan.token.window}
    try:
        with session.begin_nested():
            if row is None:
                session.add(Attendance(session_id=course_session.id, user_id=user.id,
                                       version=1, **values))
            else:
                # Only over the mark we looked at: an organiser's mark made in between wins.
                updated = session.execute(
                    sa.update(Attendance)
                    .where(Attendance.id == row.id, Attendance.version == row.version)
                    .values(version=Attendance.version + 1, **values)
                    .execution_options(synchronize_session=False)
                )
                if updated.rowcount != 1:
                    raise _MarkChanged
    except (sa.exc.IntegrityError, _MarkChanged):
        current = _attendance(session, course_session, user)
        if current is not None and current.status in ATTENDED:
            return Result(Outcome.ALREADY_REGISTERED, course_session)
        raise ConflictError("checkin_conflict",
                            _l("Arrangøren registrerte deg akkurat nå. Prøv igjen.")) from None
    log.info("checked in: user=%s session=%s status=%s", user.id, course_session.id, status)
    services._after_attendance_change(session, offering=course_session.offering,
                                      user_ids=[user.id], now=now)
    return Result(Outcome.REGISTERED, course_session, str(status))

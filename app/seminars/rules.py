"""The attendance rules, without a database: when check-in is open, when a self check-in
counts as late, how attendance adds up per person, and whether it meets a course's rule.

Views, reports and the completion check read the same functions, so "attended" means the
same everywhere: present or late.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.seminars.models import AttendanceStatus

#: Check-in opens this long before a session starts (design.md) and closes when it ends.
CHECKIN_OPENS_BEFORE = timedelta(minutes=30)
#: A self check-in this long after the start is recorded as "late".
LATE_AFTER = timedelta(minutes=15)

ATTENDED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE})

#: The order of the statuses on the grid, in the counts and in the exports.
STATUS_ORDER = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
)


def checkin_opens_at(starts_at: datetime) -> datetime:
    return starts_at - CHECKIN_OPENS_BEFORE


def checkin_is_open(starts_at: datetime, ends_at: datetime, now: datetime) -> bool:
    """From 30 minutes before the start until the session ends."""
    return checkin_opens_at(starts_at) <= now < ends_at


def self_checkin_status(starts_at: datetime, now: datetime) -> AttendanceStatus:
    """What a QR check-in records: present, or late once the grace period has passed."""
    return AttendanceStatus.LATE if now > starts_at + LATE_AFTER else AttendanceStatus.PRESENT


def arrival_status(starts_at: datetime, ends_at: datetime, now: datetime) -> AttendanceStatus:
    """What an organiser's "add and mark as here" records: as a self check-in while the
    session runs; present when it is recorded after the session ended (paperwork after the
    fact says nothing about lateness)."""
    return AttendanceStatus.PRESENT if now >= ends_at else self_checkin_status(starts_at, now)


def counts(statuses: Iterable[AttendanceStatus | str | None]) -> dict[str, int]:
    """How many of each status, plus "unmarked" (None) and "total"."""
    result = {str(s): 0 for s in STATUS_ORDER}
    result["unmarked"] = 0
    total = 0
    for status in statuses:
        total += 1
        result["unmarked" if status is None else str(status)] += 1
    result["total"] = total
    return result


@dataclass(frozen=True)
class SessionFacts:
    """What the rules need to know of a session."""

    id: int
    starts_at: datetime
    mandatory: bool = True


@dataclass(frozen=True)
class PersonAttendance:
    """One person's attendance over a seminar's sessions."""

    #: Sessions that have started by ``now``.
    held: int
    attended: int
    late: int
    excused: int
    #: Held sessions marked absent or not marked at all.
    missed: int
    #: Attended share of the held sessions, 0-100 (None before any session is held).
    percent: int | None

    @property
    def no_show(self) -> bool:
        """Held sessions, none attended, and not excused from all of them."""
        return self.held > 0 and self.attended == 0 and self.excused < self.held


def person_attendance(sessions: Iterable[SessionFacts],
                      marks: Mapping[int, AttendanceStatus | str],
                      now: datetime) -> PersonAttendance:
    """Add up one person's marks (session id -> status) over the sessions held by ``now``."""
    held = attended = late = excused = 0
    for s in sessions:
        if s.starts_at > now:
            continue
        held += 1
        status = marks.get(s.id)
        if status in ATTENDED:
            attended += 1
            late += status == AttendanceStatus.LATE
        elif status == AttendanceStatus.EXCUSED:
            excused += 1
    percent = round(100 * attended / held) if held else None
    return PersonAttendance(held=held, attended=attended, late=late, excused=excused,
                            missed=held - attended - excused, percent=percent)


def meets_attendance_rule(sessions: Iterable[SessionFacts],
                          marks: Mapping[int, AttendanceStatus | str], *,
                          requires_all_mandatory: bool,
                          min_percent: int | None) -> bool | None:
    """Whether a person's attendance satisfies a course's attendance rule.

    ``min_percent`` (share of all the offering's sessions attended), when set, replaces
    "all mandatory sessions". Sessions still ahead count as not attended, so nobody meets a
    rule before the sessions it needs have been held. An offering with no session marked
    mandatory needs all of them. ``None``: the course has no attendance rule at all.
    """
    sessions = list(sessions)
    if min_percent is not None:
        if not sessions:
            return False
        attended = sum(1 for s in sessions if marks.get(s.id) in ATTENDED)
        return 100 * attended >= min_percent * len(sessions)
    if requires_all_mandatory:
        mandatory = [s for s in sessions if s.mandatory] or sessions
        return bool(mandatory) and all(marks.get(s.id) in ATTENDED for s in mandatory)
    return None

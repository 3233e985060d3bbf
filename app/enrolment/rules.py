"""Pure rules of enrolment: the state machine, the enrolment window, the cancellation
deadline and the seat arithmetic. No database and no Flask, so they are tested alone."""

from __future__ import annotations

import enum
from datetime import datetime

from app.enrolment.models import EnrolmentStatus as S
from app.enrolment.models import OfferingStatus

#: old status -> the statuses it may change to. Re-enrolling after a cancellation or a
#: decline reuses the row, so those states lead back into the flow.
TRANSITIONS: dict[S, frozenset[S]] = {
    S.REQUESTED: frozenset({S.ENROLLED, S.WAITLISTED, S.DECLINED, S.CANCELLED}),
    # enrolled -> waitlisted: an organiser gives the seat to the next in line.
    S.ENROLLED: frozenset({S.CANCELLED, S.NO_SHOW, S.WAITLISTED}),
    S.WAITLISTED: frozenset({S.ENROLLED, S.CANCELLED}),
    S.DECLINED: frozenset({S.REQUESTED, S.ENROLLED, S.WAITLISTED}),
    S.CANCELLED: frozenset({S.REQUESTED, S.ENROLLED, S.WAITLISTED}),
    S.NO_SHOW: frozenset(),
}

#: A person with one of these is "already enrolled": a second enrolment is refused.
ACTIVE = frozenset({S.REQUESTED, S.ENROLLED, S.WAITLISTED, S.NO_SHOW})
#: States a person (or their leader) may cancel from. A request is withdrawn the same way.
CANCELLABLE = frozenset({S.REQUESTED, S.ENROLLED, S.WAITLISTED})
#: States from which enrolling again reuses the row.
REUSABLE = frozenset({S.CANCELLED, S.DECLINED})


def can_transition(old: S | str, new: S | str) -> bool:
    return S(new) in TRANSITIONS[S(old)]


class Window(enum.StrEnum):
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


def enrol_window(*, status: str, opens_at: datetime | None, closes_at: datetime | None,
                 starts_at: datetime | None, now: datetime) -> Window:
    """Whether a person may enrol themselves now. Without an explicit closing time the
    window closes when the offering starts; self-paced offerings without dates stay open."""
    if status == OfferingStatus.CANCELLED:
        return Window.CANCELLED
    if status != OfferingStatus.PUBLISHED:
        return Window.CLOSED
    if opens_at is not None and now < opens_at:
        return Window.NOT_YET
    closes = closes_at or starts_at
    if closes is not None and now >= closes:
        return Window.CLOSED
    return Window.OPEN


def cancel_deadline(*, cancel_deadline_at: datetime | None,
                    starts_at: datetime | None) -> datetime | None:
    """Until when a participant may cancel themselves: the deadline, else the start."""
    return cancel_deadline_at or starts_at


def may_cancel_self(*, cancel_deadline_at: datetime | None, starts_at: datetime | None,
                    now: datetime) -> bool:
    deadline = cancel_deadline(cancel_deadline_at=cancel_deadline_at, starts_at=starts_at)
    return deadline is None or now < deadline


def seats_left(capacity: int | None, taken: int) -> int | None:
    """None means no limit."""
    return None if capacity is None else max(capacity - taken, 0)


def preview_outcomes(capacity: int | None, taken: int, count: int) -> list[S]:
    """The outcome of enrolling ``count`` people one after another (the bulk preview):
    seats while they last, then the waitlist. The database decides for real, with one
    conditional UPDATE per person."""
    left = seats_left(capacity, taken)
    if left is None:
        return [S.ENROLLED] * count
    return [S.ENROLLED if i < left else S.WAITLISTED for i in range(count)]

"""Seats and the waitlist, in SQL that holds under concurrency on SQLite and PostgreSQL.

- A seat is taken by ONE conditional UPDATE (``taken = taken + 1 WHERE taken <
  capacity``): of two requests for the last seat, exactly one matches the WHERE.
- A status changes by a conditional UPDATE on the enrolment row (``WHERE status IN
  (...)``): of two tabs cancelling the same enrolment, exactly one changes it.
- The waitlist is ordered by ``(requested_at, id)``. A seat given back goes to its head in
  the same transaction, so ``taken`` never dips and no newcomer can slip in before it.
- Whoever finds the offering full locks the offering row before joining the waitlist, and
  whoever gives a seat back locks it before reading the waitlist: a cancellation can never
  miss a person who joined the waitlist at the same moment. On SQLite, write transactions
  are serialised by BEGIN IMMEDIATE: FOR UPDATE would render as nothing, so no lock is
  taken, and a seat found taken stays taken until the commit, so it is not tried twice.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.enrolment.models import Enrolment, EnrolmentStatus, Offering

_OFFERING = Offering.__table__

#: The seat's two statements, built once and on the table: the ORM's bulk UPDATE path
#: costs five times the statement itself (0.25 against 0.05 ms), on every enrolment.
_TAKE_SEAT = (
    sa.update(_OFFERING)
    .where(_OFFERING.c.id == sa.bindparam("offering_id"),
           sa.or_(_OFFERING.c.capacity.is_(None), _OFFERING.c.taken < _OFFERING.c.capacity))
    .values(taken=_OFFERING.c.taken + 1)
)
_GIVE_BACK_SEAT = (
    sa.update(_OFFERING)
    .where(_OFFERING.c.id == sa.bindparam("offering_id"), _OFFERING.c.taken > 0)
    .values(taken=_OFFERING.c.taken - 1)
)


def take_seat(session: Session, offering: Offering) -> bool:
    """Take one seat if one is left. True when this transaction got it."""
    result = session.execute(_TAKE_SEAT, {"offering_id": offering.id})
    session.expire(offering, ["taken"])
    return result.rowcount == 1


def give_back_seat(session: Session, offering: Offering) -> None:
    session.execute(_GIVE_BACK_SEAT, {"offering_id": offering.id})
    session.expire(offering, ["taken"])


_LOCK_OFFERING = (
    sa.select(_OFFERING.c.id)
    .where(_OFFERING.c.id == sa.bindparam("offering_id"))
    .with_for_update(key_share=True)
)


def serialised(session: Session) -> bool:
    """True where a write transaction is the only writer until it ends (SQLite)."""
    return session.get_bind().dialect.name == "sqlite"


def lock_offering(session: Session, offering: Offering) -> None:
    """Hold the offering row until commit (serialises waitlist joins and seat returns).

    FOR NO KEY UPDATE, the lock an UPDATE of ``taken`` takes anyway: a plain FOR UPDATE
    would also wait for the KEY SHARE locks that every concurrent enrolment INSERT holds
    on the offering (its foreign key), and two such transactions would deadlock. Nothing
    on SQLite, whose write transactions are serialised already.
    """
    if not serialised(session):
        session.execute(_LOCK_OFFERING, {"offering_id": offering.id})


def _looks_full(offering: Offering) -> bool:
    """The offering as loaded has no seat left (a hint: another transaction may have given
    one back since). False when ``taken`` is not loaded."""
    loaded = sa.orm.attributes.instance_dict(offering)
    taken, capacity = loaded.get("taken"), loaded.get("capacity")
    return capacity is not None and taken is not None and taken >= capacity


def transition(session: Session, enrolment: Enrolment, old: set[EnrolmentStatus],
               new: EnrolmentStatus, *, now: datetime, **values) -> bool:
    """Move the row from one of ``old`` to ``new`` if nobody changed it meanwhile.

    True when this transaction made the change; the object is updated in memory too.
    """
    values = {"status": new, "updated_at": now, **values}
    result = session.execute(
        sa.update(Enrolment)
        .where(Enrolment.id == enrolment.id, Enrolment.status.in_(old))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    for key, value in values.items():
        set_committed_value(enrolment, key, value)
    return True


def seat_or_wait(session: Session, offering: Offering) -> EnrolmentStatus:
    """A seat if one is left (ENROLLED), else the offering is locked for joining its
    waitlist (WAITLISTED)."""
    if serialised(session):
        got = take_seat(session, offering)
    elif _looks_full(offering):
        # Full when it was read: the lock first, and then the one try that counts.
        lock_offering(session, offering)
        got = take_seat(session, offering)
    else:
        got = take_seat(session, offering)
        if not got:
            lock_offering(session, offering)
            # A seat given back while we waited for the lock is ours now.
            got = take_seat(session, offering)
    return EnrolmentStatus.ENROLLED if got else EnrolmentStatus.WAITLISTED


def seat_or_waitlist(session: Session, enrolment: Enrolment, offering: Offering, *,
                     now: datetime) -> EnrolmentStatus:
    """Give a provisionally waitlisted enrolment a seat if one is left; else it stays on
    the waitlist. Returns the outcome."""
    status = seat_or_wait(session, offering)
    if enrolment.status != status:
        # Flushed with the caller's next change (the e-mail's calendar sequence): one
        # UPDATE of the row instead of two.
        enrolment.status = status
        enrolment.updated_at = now
    return status


def waitlist_head(session: Session, offering: Offering) -> Enrolment | None:
    return session.scalar(
        sa.select(Enrolment)
        .where(Enrolment.offering_id == offering.id,
               Enrolment.status == EnrolmentStatus.WAITLISTED)
        .order_by(Enrolment.requested_at, Enrolment.id)
        .limit(1)
        .execution_options(populate_existing=True)
    )


def promote_head(session: Session, offering: Offering, *, now: datetime) -> Enrolment | None:
    """Give the seat this transaction holds to the first person waiting; None when
    nobody waits. Two transactions never promote the same person."""
    while True:
        head = waitlist_head(session, offering)
        if head is None:
            return None
        if transition(session, head, {EnrolmentStatus.WAITLISTED}, EnrolmentStatus.ENROLLED,
                      now=now):
            return head
        # Someone else promoted or cancelled this person at the same moment: next one.


def release_seat(session: Session, offering: Offering, *, now: datetime) -> Enrolment | None:
    """A seat holder left. Before the offering starts the seat passes to the head of the
    waitlist (returned); otherwise, or when nobody waits, it becomes free."""
    lock_offering(session, offering)
    if offering.starts_at is None or offering.starts_at > now:
        promoted = promote_head(session, offering, now=now)
        if promoted is not None:
            return promoted
    give_back_seat(session, offering)
    return None


def fill_free_seats(session: Session, offering: Offering, *,
                    now: datetime) -> list[Enrolment]:
    """After the capacity grew: promote from the waitlist while seats are left."""
    promoted: list[Enrolment] = []
    lock_offering(session, offering)
    while waitlist_head(session, offering) is not None and take_seat(session, offering):
        head = promote_head(session, offering, now=now)
        if head is None:
            give_back_seat(session, offering)
            break
        promoted.append(head)
    return promoted


#: Built once (every waitlisted enrolment counts its place twice: for its e-mail and for
#: the answer); ORM-enabled, so pending changes are flushed before it counts.
_WAITING_AHEAD = (
    sa.select(sa.func.count())
    .select_from(Enrolment)
    .where(
        Enrolment.offering_id == sa.bindparam("offering_id"),
        Enrolment.status == EnrolmentStatus.WAITLISTED,
        sa.or_(
            Enrolment.requested_at < sa.bindparam("requested_at"),
            sa.and_(Enrolment.requested_at == sa.bindparam("requested_at"),
                    Enrolment.id < sa.bindparam("enrolment_id")),
        ),
    )
)


def waitlist_position(session: Session, enrolment: Enrolment) -> int | None:
    """1 for the head of the waitlist; None when the person is not waitlisted."""
    if enrolment.status != EnrolmentStatus.WAITLISTED:
        return None
    ahead = session.scalar(_WAITING_AHEAD, {"offering_id": enrolment.offering_id,
                                            "requested_at": enrolment.requested_at,
                                            "enrolment_id": enrolment.id})
    return ahead + 1


#: Built once: an alias's column proxies are costly to make on every request.
_AHEAD = sa.orm.aliased(Enrolment, name="ahead")


def waitlist_position_column(enrolment=Enrolment):
    """The same position as a correlated subquery, for lists (one statement per page)."""
    other = _AHEAD
    ahead = (
        sa.select(sa.func.count())
        .select_from(other)
        .where(
            other.offering_id == enrolment.offering_id,
            other.status == EnrolmentStatus.WAITLISTED,
            sa.or_(
                other.requested_at < enrolment.requested_at,
                sa.and_(other.requested_at == enrolment.requested_at, other.id < enrolment.id),
            ),
        )
        .scalar_subquery()
    )
    return sa.case((enrolment.status == EnrolmentStatus.WAITLISTED, ahead + 1), else_=None)

"""Read queries of the enrolment pages; each page costs a fixed number of statements."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, lazyload, selectinload

from app.accounts.models import Unit, User
from app.accounts.scope import organisation_ids
from app.catalogue.models import Course
from app.catalogue.queries import visible_offering
from app.enrolment.access import OFFERING_ROLES, led_by, manages_participants
from app.enrolment.models import Enrolment, EnrolmentStatus, Offering
from app.enrolment.seats import waitlist_position_column

S = EnrolmentStatus


@dataclass
class OfferingView:
    offering: Offering
    enrolment: Enrolment | None
    position: int | None
    counts: dict[str, int] | None
    #: The person leads a unit (and may enrol their people).
    leads: bool = False


def offering_view(session: Session, user: User, offering_id: int) -> OfferingView | None:
    """The offering with its course and sessions, the person's own enrolment, and (for
    those who manage it) the counts per status, in three statements. None when the person
    may not see it."""
    row = session.execute(
        sa.select(Offering, Enrolment, waitlist_position_column(),
                  visible_offering(user).label("visible"),
                  sa.exists().where(Unit.manager_id == user.id).label("leads"))
        .outerjoin(Enrolment, sa.and_(Enrolment.offering_id == Offering.id,
                                      Enrolment.user_id == user.id))
        .where(Offering.id == offering_id)
        .options(joinedload(Offering.course), selectinload(Offering.sessions))
    ).first()
    if row is None:
        return None
    offering, enrolment, position, visible, leads = row
    manager = manages_participants(user, offering)
    if not (visible or manager or enrolment is not None):
        return None
    return OfferingView(offering=offering, enrolment=enrolment, position=position,
                        counts=status_counts(session, offering) if manager else None,
                        leads=bool(leads))


@functools.cache
def _offering_to_enrol_statement() -> sa.Select:
    return (
        sa.select(Offering)
        .where(Offering.id == sa.bindparam("offering_id"))
        .options(joinedload(Offering.course).lazyload(Course.audiences),
                 joinedload(Offering.sessions))
    )


def offering_to_enrol(session: Session, offering_id: int) -> Offering | None:
    """The offering with what an enrolment reads of it and tells the person (its course
    and sessions, for the e-mail and its calendar invite), in one statement."""
    return session.scalars(_offering_to_enrol_statement(),
                           {"offering_id": offering_id}).unique().one_or_none()


@functools.cache
def _person_and_enrolment_statement() -> sa.Select:
    # The person's roles play no part in their enrolment.
    return (
        sa.select(User, Enrolment)
        .outerjoin(Enrolment, sa.and_(Enrolment.user_id == User.id,
                                      Enrolment.offering_id == sa.bindparam("offering_id")))
        .where(User.id == sa.bindparam("user_id"))
        .options(lazyload(User.roles))
    )


def person_and_enrolment(session: Session, user_id: int,
                         offering_id: int) -> tuple[User | None, Enrolment | None]:
    """A person to enrol and their enrolment in the offering so far, in one statement;
    (None, None) when there is no such person."""
    row = session.execute(_person_and_enrolment_statement(),
                          {"user_id": user_id, "offering_id": offering_id}).one_or_none()
    return (row[0], row[1]) if row is not None else (None, None)


def status_counts(session: Session, offering: Offering) -> dict[str, int]:
    counts = {s.value: 0 for s in S}
    for status, n in session.execute(
        sa.select(Enrolment.status, sa.func.count())
        .where(Enrolment.offering_id == offering.id)
        .group_by(Enrolment.status)
    ):
        counts[str(status)] = n
    return counts


@dataclass
class ParticipantRow:
    enrolment: Enrolment
    user: User
    unit_name: str | None
    position: int | None


#: The participant list's order: seats, then the waitlist in its order, then the rest.
STATUS_ORDER = sa.case(
    {S.ENROLLED: 0, S.WAITLISTED: 1, S.REQUESTED: 2, S.NO_SHOW: 3, S.DECLINED: 4,
     S.CANCELLED: 5},
    value=Enrolment.status,
)


def participants(session: Session, offering: Offering,
                 statuses: tuple[S, ...] | None = None) -> list[ParticipantRow]:
    """Everyone on the offering with their unit and waitlist position: one statement."""
    query = (
        sa.select(Enrolment, User, Unit.name, waitlist_position_column())
        .join(User, User.id == Enrolment.user_id)
        .outerjoin(Unit, Unit.id == User.unit_id)
        .where(Enrolment.offering_id == offering.id)
        .order_by(STATUS_ORDER, Enrolment.requested_at, Enrolment.id)
    )
    if statuses:
        query = query.where(Enrolment.status.in_(statuses))
    return [ParticipantRow(enrolment=e, user=u, unit_name=n, position=p)
            for e, u, n, p in session.execute(query)]


_REQUESTER_UNIT = sa.orm.aliased(Unit, name="requester_unit")


def decidable_requests(session: Session, user: User, *, limit: int = 500) -> list[Enrolment]:
    """Requests the person may approve or decline: those of the people in the units they
    lead, and every request to the offerings their organisations run (organisers and
    admins). Never their own."""
    requester_unit = _REQUESTER_UNIT
    led = led_by(user.id, requester_unit.path)
    orgs = organisation_ids(user, *OFFERING_ROLES)
    by_role = Offering.organisation_id.in_(orgs) if orgs else sa.false()
    return list(session.scalars(
        sa.select(Enrolment)
        .join(Offering, Offering.id == Enrolment.offering_id)
        .join(User, User.id == Enrolment.user_id)
        .outerjoin(requester_unit, requester_unit.id == User.unit_id)
        .where(Enrolment.status == S.REQUESTED, Enrolment.user_id != user.id,
               sa.or_(led, by_role))
        .order_by(Enrolment.requested_at, Enrolment.id)
        .options(joinedload(Enrolment.user).joinedload(User.unit),
                 joinedload(Enrolment.offering).joinedload(Offering.course))
        .limit(limit)
    ).unique())


@dataclass
class PersonRow:
    user: User
    unit_name: str
    status: str | None


def people_led_by(session: Session, leader: User, offering: Offering, *, q: str = "",
                  limit: int = 300) -> list[PersonRow]:
    """The active people in the units the leader leads, with their status on the
    offering (the leader's "enrol my people" page)."""
    query = (
        sa.select(User, Unit.name, Enrolment.status)
        .join(Unit, Unit.id == User.unit_id)
        .outerjoin(Enrolment, sa.and_(Enrolment.offering_id == offering.id,
                                      Enrolment.user_id == User.id))
        .where(led_by(leader.id, Unit.path), User.active.is_(True),
               User.is_service_account.is_(False), User.id != leader.id)
        .order_by(Unit.path, User.name)
        .limit(limit)
    )
    if q:
        pattern = "%" + q.lower().replace("%", r"\%").replace("_", r"\_") + "%"
        query = query.where(sa.or_(sa.func.lower(User.name).like(pattern, escape="\\"),
                                   sa.func.lower(User.email).like(pattern, escape="\\")))
    return [PersonRow(user=u, unit_name=n, status=str(s) if s else None)
            for u, n, s in session.execute(query)]

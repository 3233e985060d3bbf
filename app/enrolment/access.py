"""Who may act on an offering or on someone's enrolment (object checks on top of the
route permissions in ``app.security.PERMISSIONS``).

- Organisers and admins of the organisation that runs an offering manage it: its
  sessions, capacity and status, its participants, its approvals.
- HR of that organisation manages its participants too, and enrols the people in its
  reach (organisation-wide, or its unit subtree), but decides no requests: approval is the
  leader's call (issue 4: "the leader of the requester's unit, or an organiser").
- A leader acts for the people in the subtrees of the units they lead: enrols them,
  cancels for them, and decides their requests when an offering needs approval.
- Everyone acts for themselves.
"""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import Unit, User
from app.accounts.scope import organisation_ids, reaches_unit
from app.enrolment.models import Enrolment, EnrolmentStatus, Offering

OFFERING_ROLES = ("organiser", "admin")
PARTICIPANT_ROLES = ("organiser", "admin", "hr")


class Authority(enum.StrEnum):
    #: The person acts for themselves.
    SELF = "self"
    #: The person's leader (manages a unit above them).
    LEADER = "leader"
    #: An organiser, admin or HR of the offering's organisation.
    MANAGER = "manager"


def manages_offering(actor: User | None, offering: Offering) -> bool:
    """May edit the offering, its sessions and its status."""
    return offering.organisation_id in organisation_ids(actor, *OFFERING_ROLES)


def manages_participants(actor: User | None, offering: Offering) -> bool:
    """May see the participant list, enrol and move people, export and e-mail them."""
    return offering.organisation_id in organisation_ids(actor, *PARTICIPANT_ROLES)


#: Built once: an alias's column proxies are costly to make on every request.
_LED_UNIT = sa.orm.aliased(Unit, name="led_unit")
_PERSON_UNIT = sa.orm.aliased(Unit, name="person_unit")


def led_by(leader_id: int, unit_path):
    """A condition on ``unit_path``: the unit lies in the subtree of a unit the person
    ``leader_id`` leads."""
    return sa.exists().where(_LED_UNIT.manager_id == leader_id,
                             unit_path.like(_LED_UNIT.path + "%"))


def leads(session: Session, actor: User, person: User) -> bool:
    """``actor`` leads a unit whose subtree holds ``person``'s unit (not themselves)."""
    if person.id == actor.id or person.unit_id is None:
        return False
    return bool(session.scalar(
        sa.select(sa.literal(True))
        .select_from(_PERSON_UNIT)
        .where(_PERSON_UNIT.id == person.unit_id, led_by(actor.id, _PERSON_UNIT.path))
        .limit(1)
    ))


def manager_reaches(actor: User, offering: Offering, person: User) -> bool:
    """An offering manager may enrol this person: organisers and admins anyone, HR only
    the people in its reach."""
    if offering.organisation_id in organisation_ids(actor, *OFFERING_ROLES):
        return True
    if offering.organisation_id not in organisation_ids(actor, "hr"):
        return False
    return person.unit is not None and reaches_unit(actor, person.unit, "hr")


def authority_over(session: Session, actor: User, offering: Offering,
                   person: User) -> Authority | None:
    """The strongest way ``actor`` may act for ``person`` on ``offering``; None: not."""
    if person.id == actor.id:
        if manages_participants(actor, offering):
            return Authority.MANAGER
        return Authority.SELF
    if manages_participants(actor, offering) and manager_reaches(actor, offering, person):
        return Authority.MANAGER
    if leads(session, actor, person):
        return Authority.LEADER
    return None


def may_see_enrolment(session: Session, actor: User, enrolment: Enrolment) -> bool:
    if enrolment.user_id == actor.id:
        return True
    if manages_participants(actor, enrolment.offering):
        return True
    return leads(session, actor, enrolment.user)


def may_decide(session: Session, actor: User, enrolment: Enrolment) -> bool:
    """Approve or decline a request: the requester's leader, or an organiser or admin of
    the offering's organisation. Nobody decides their own request."""
    if enrolment.user_id == actor.id:
        return False
    return manages_offering(actor, enrolment.offering) or leads(session, actor, enrolment.user)


def decidable_among(session: Session, actor: User, offering: Offering,
                    enrolments: list[Enrolment]) -> set[int]:
    """The ids of the requests among ``enrolments`` (all of ``offering``) that ``actor``
    may decide, by the rule of ``may_decide``, in at most one statement. HR manages the
    participant list but decides only the requests of the people it leads."""
    requested = [e for e in enrolments
                 if e.status == EnrolmentStatus.REQUESTED and e.user_id != actor.id]
    if not requested:
        return set()
    if manages_offering(actor, offering):
        return {e.id for e in requested}
    led = set(session.scalars(
        sa.select(User.id)
        .join(_PERSON_UNIT, _PERSON_UNIT.id == User.unit_id)
        .where(User.id.in_({e.user_id for e in requested}),
               led_by(actor.id, _PERSON_UNIT.path))
    ))
    return {e.id for e in requested if e.user_id in led}


def approvers(session: Session, person: User) -> list[User]:
    """Who is asked to decide ``person``'s request: the leader of their unit, or, when they
    lead it themselves, the nearest leader above them."""
    if person.unit_id is None:
        return []
    unit = person.unit
    ancestor_ids = unit.path_ids
    rows = session.execute(
        sa.select(Unit.id, User)
        .join(User, User.id == Unit.manager_id)
        .where(Unit.id.in_(ancestor_ids), User.active.is_(True), User.id != person.id)
    ).all()
    by_unit = {unit_id: user for unit_id, user in rows}
    for unit_id in reversed(ancestor_ids):  # nearest first
        if unit_id in by_unit:
            return [by_unit[unit_id]]
    return []

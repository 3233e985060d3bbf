"""Read queries behind the home page."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from app.accounts.models import LeaderLevel, Unit, User
from app.accounts.scope import managed_units_condition, unit_condition
from app.enrolment.models import Enrolment, EnrolmentStatus


def people_by_level(session: Session, condition) -> dict[str, int]:
    """Active people per leader level in the units that ``condition`` selects."""
    return people_by_level_in(session, {"only": condition})["only"]


def people_by_level_in(session: Session, conditions: dict[str, object]) -> dict[str, dict]:
    """Active people per leader level for several unit conditions, in one statement."""
    columns = [sa.func.sum(sa.case((cond, 1), else_=0)).label(name)
               for name, cond in conditions.items()]
    rows = session.execute(
        sa.select(User.leader_level, *columns)
        .join(Unit, User.unit_id == Unit.id)
        .where(User.active.is_(True), User.is_service_account.is_(False),
               sa.or_(*conditions.values()))
        .group_by(User.leader_level)
    )
    counts = {name: {level.value: 0 for level in LeaderLevel} for name in conditions}
    for row in rows:
        for name in conditions:
            counts[name][str(row.leader_level)] = int(getattr(row, name) or 0)
    return counts


def pending_requests_column(user: User):
    """Requests from the people in the units the person leads (uncorrelated)."""
    requester_unit = sa.orm.aliased(Unit)
    return (
        sa.select(sa.func.count())
        .select_from(Enrolment)
        .join(User, User.id == Enrolment.user_id)
        .join(requester_unit, requester_unit.id == User.unit_id)
        .where(Enrolment.status == EnrolmentStatus.REQUESTED, Enrolment.user_id != user.id,
               managed_units_condition(user, unit_path=requester_unit.path))
        .scalar_subquery()
    )


def own_and_led_units(session: Session, user: User) -> tuple[list[Unit], int]:
    """The units the person leads, and the requests waiting for them, in one statement
    that also loads their own unit and organisation (so the page needs no lazy loads)."""
    rows = session.execute(
        sa.select(Unit, pending_requests_column(user))
        .where(sa.or_(Unit.manager_id == user.id, Unit.id == user.unit_id))
        .options(joinedload(Unit.organisation))
        .order_by(Unit.path)
    ).all()
    led = [unit for unit, _pending in rows if unit.manager_id == user.id]
    pending = rows[0][1] if rows and led else 0
    return led, pending


def led_units(session: Session, user: User) -> list[Unit]:
    return own_and_led_units(session, user)[0]


def home_figures(session: Session, user: User) -> dict:
    """What the home page shows beside the person's own courses."""
    led, pending = own_and_led_units(session, user)
    figures: dict = {"led_units": led, "pending_requests": pending}
    conditions = {}
    if led:
        conditions["my_people"] = managed_units_condition(user)
    if user.has_role("hr", "admin"):
        conditions["org_people"] = unit_condition(user, "hr", "admin")
    if conditions:
        figures.update(people_by_level_in(session, conditions))
    return figures

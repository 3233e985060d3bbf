"""Read queries behind the home page."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import LeaderLevel, Unit, User
from app.accounts.scope import managed_units_condition, unit_condition


def people_by_level(session: Session, condition) -> dict[str, int]:
    """Active people per leader level in the units that ``condition`` selects."""
    rows = session.execute(
        sa.select(User.leader_level, sa.func.count())
        .join(Unit, User.unit_id == Unit.id)
        .where(User.active.is_(True), User.is_service_account.is_(False), condition)
        .group_by(User.leader_level)
    )
    counts = {level.value: 0 for level in LeaderLevel}
    for level, n in rows:
        counts[str(level)] = n
    return counts


def led_units(session: Session, user: User) -> list[Unit]:
    return list(session.scalars(sa.select(Unit).where(Unit.manager_id == user.id)
                                .order_by(Unit.path)))


def home_figures(session: Session, user: User) -> dict:
    """What the home page shows beside the person's own courses."""
    figures: dict = {"led_units": led_units(session, user)}
    if figures["led_units"]:
        figures["my_people"] = people_by_level(session, managed_units_condition(user))
    if user.has_role("hr", "admin"):
        figures["org_people"] = people_by_level(session, unit_condition(user, "hr", "admin"))
    return figures

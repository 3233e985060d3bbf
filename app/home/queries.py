"""Read queries behind the home page: two statements for a leader who is also HR."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import LeaderLevel, Unit, User
from app.accounts.scope import subtree_condition, unit_condition
from app.enrolment.models import Enrolment, EnrolmentStatus

#: Built once: an alias's column proxies are costly to make on every request.
_REQUESTER_UNIT = sa.orm.aliased(Unit, name="requester_unit")


def in_units(condition):
    """A condition on a person: their unit is one that ``condition`` (on Unit) selects.
    As ``unit_id IN (…)`` the database finds the units first and then their people by
    index, instead of testing every person's unit."""
    return User.unit_id.in_(sa.select(Unit.id).where(condition))


def people_by_level(session: Session, condition) -> dict[str, int]:
    """Active people per leader level in the units that ``condition`` selects."""
    return people_by_level_in(session, {"only": in_units(condition)})["only"]


def people_by_level_in(session: Session, conditions: dict[str, object],
                       extra_columns: dict | None = None) -> dict[str, dict]:
    """Active people per leader level for several conditions on people, in one statement;
    ``extra_columns`` (name -> scalar subquery) come back under their names."""
    columns = [sa.func.sum(sa.case((cond, 1), else_=0)).label(name)
               for name, cond in conditions.items()]
    extras = [column.label(name) for name, column in (extra_columns or {}).items()]
    rows = session.execute(
        sa.select(User.leader_level, *columns, *extras)
        .where(User.active.is_(True), User.is_service_account.is_(False),
               sa.or_(*conditions.values()))
        .group_by(User.leader_level)
    ).all()
    counts: dict = {name: {level.value: 0 for level in LeaderLevel} for name in conditions}
    for row in rows:
        for name in conditions:
            counts[name][str(row.leader_level)] = int(getattr(row, name) or 0)
    for name in extra_columns or {}:
        counts[name] = getattr(rows[0], name) if rows else 0
    return counts


def in_subtrees(paths: list[str], unit_path=Unit.path):
    """The unit lies below one of these materialised paths (literal prefixes, so the
    database reads the few matching units instead of testing every person)."""
    return sa.or_(*[subtree_condition(unit_path, p) for p in paths]) if paths else sa.false()


def pending_requests_column(user: User, led_paths: list[str]):
    """Requests from the people in the units the person leads."""
    return (
        sa.select(sa.func.count())
        .select_from(Enrolment)
        .join(User, User.id == Enrolment.user_id)
        .join(_REQUESTER_UNIT, _REQUESTER_UNIT.id == User.unit_id)
        .where(Enrolment.status == EnrolmentStatus.REQUESTED, Enrolment.user_id != user.id,
               in_subtrees(led_paths, _REQUESTER_UNIT.path))
        .scalar_subquery()
    )


def led_units(session: Session, user: User) -> list[Unit]:
    """The units the person leads (loaded with the person by the login, see
    ``app.accounts.login``)."""
    return list(user.led_units)


def home_figures(session: Session, user: User) -> dict:
    """What the home page shows beside the person's own courses."""
    led = led_units(session, user)
    figures: dict = {"led_units": led, "pending_requests": 0}
    paths = [unit.path for unit in led]
    conditions, extra = {}, {}
    if led:
        conditions["my_people"] = in_units(in_subtrees(paths))
        extra["pending_requests"] = pending_requests_column(user, paths)
    if user.has_role("hr", "admin"):
        conditions["org_people"] = in_units(unit_condition(user, "hr", "admin"))
    if conditions:
        figures.update(people_by_level_in(session, conditions, extra))
    return figures

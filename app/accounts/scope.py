"""Object scope in queries: which organisations and unit subtrees a role reaches.

A role is held in one organisation, optionally limited to a unit and everything below it.
These helpers turn a person's role assignments into SQL conditions, so that a query can
never return rows outside the caller's reach, whatever filter or sort the caller chose.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import RoleAssignment, Unit, User


def assignments(user: User | None, *roles: str) -> list[RoleAssignment]:
    if user is None:
        return []
    wanted = {str(r) for r in roles}
    return [ra for ra in user.roles if str(ra.role) in wanted]


def organisation_ids(user: User | None, *roles: str) -> set[int]:
    """Organisations where the person holds one of ``roles`` (at any scope)."""
    return {ra.organisation_id for ra in assignments(user, *roles)}


def subtree_condition(path_column, prefix: str):
    """``path_column`` lies in the subtree whose root has materialised path ``prefix``."""
    return path_column.like(prefix.replace("%", r"\%").replace("_", r"\_") + "%", escape="\\")


def unit_condition(user: User | None, *roles: str, unit_path=Unit.path,
                   organisation_id=Unit.organisation_id):
    """A condition on a unit's path and organisation that holds for units in reach.

    Organisation-wide assignments reach every unit of the organisation; scoped ones reach
    their unit's subtree. No assignment reaches nothing (``false``).
    """
    clauses = []
    for ra in assignments(user, *roles):
        if ra.unit_id is None:
            clauses.append(organisation_id == ra.organisation_id)
        else:
            clauses.append(
                sa.and_(organisation_id == ra.organisation_id,
                        subtree_condition(unit_path, ra.unit.path))
            )
    return sa.or_(*clauses) if clauses else sa.false()


def reaches_unit(user: User | None, unit: Unit, *roles: str) -> bool:
    """The same rule as ``unit_condition``, for one unit already loaded."""
    for ra in assignments(user, *roles):
        if ra.organisation_id != unit.organisation_id:
            continue
        if ra.unit_id is None or unit.path.startswith(ra.unit.path):
            return True
    return False


def managed_units_condition(user: User, unit_path=Unit.path):
    """Units in the subtrees of the units the person leads (a leader's own view)."""
    led = sa.orm.aliased(Unit)
    return sa.exists().where(led.manager_id == user.id, unit_path.like(led.path + "%"))

"""The unit tree: creating units and keeping the materialised paths right."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.accounts.models import Organisation, Unit, User
from app.errors import DomainError


def create_unit(session: Session, *, organisation: Organisation, name: str, code: str,
                parent: Unit | None = None, manager: User | None = None) -> Unit:
    if parent is not None and parent.organisation_id != organisation.id:
        raise DomainError("unit_parent_other_org",
                          _l("En enhet må ligge under en enhet i samme organisasjon."),
                          field="parent")
    unit = Unit(organisation=organisation, name=name, code=code, parent=parent,
                manager=manager, path="")
    session.add(unit)
    session.flush()  # the id is part of the path
    unit.path = (parent.path if parent else "/") + f"{unit.id}/"
    unit.depth = parent.depth + 1 if parent else 0
    session.flush()
    return unit


def move_unit(session: Session, *, unit: Unit, new_parent: Unit | None) -> None:
    """Re-hang a unit with its whole subtree, in one UPDATE of the paths."""
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise DomainError("unit_cycle", _l("En enhet kan ikke flyttes under seg selv."),
                          field="parent")
    old_path = unit.path
    new_path = (new_parent.path if new_parent else "/") + f"{unit.id}/"
    depth_change = (new_parent.depth + 1 if new_parent else 0) - unit.depth
    session.execute(
        sa.update(Unit)
        .where(Unit.organisation_id == unit.organisation_id, Unit.path.like(old_path + "%"))
        .values(
            path=sa.literal(new_path, sa.String).concat(
                sa.func.substr(Unit.path, len(old_path) + 1)
            ),
            depth=Unit.depth + depth_change,
        )
        .execution_options(synchronize_session=False)
    )
    unit.parent = new_parent
    session.flush()
    session.expire_all()


def subtree_ids(session: Session, unit: Unit) -> list[int]:
    return list(session.scalars(sa.select(Unit.id).where(Unit.path.like(unit.path + "%"))))

"""The unit tree keeps its materialised paths right."""

from __future__ import annotations

import pytest

from app.accounts.units import move_unit, subtree_ids
from app.errors import DomainError
from tests.factories import make_org, make_unit


def test_paths_name_every_ancestor(session):
    sector = make_unit(session)
    unit = make_unit(session, parent=sector)
    department = make_unit(session, parent=unit)
    assert department.path == f"/{sector.id}/{unit.id}/{department.id}/"
    assert department.depth == 2
    assert set(subtree_ids(session, unit)) == {unit.id, department.id}


def test_moving_a_unit_moves_its_whole_subtree(session):
    org = make_org(session)
    a, b = make_unit(session, org=org), make_unit(session, org=org)
    child = make_unit(session, parent=a)
    grandchild = make_unit(session, parent=child)
    move_unit(session, unit=child, new_parent=b)
    session.refresh(grandchild)
    assert grandchild.path == f"/{b.id}/{child.id}/{grandchild.id}/"
    assert grandchild.depth == 2


def test_a_unit_cannot_move_below_itself(session):
    top = make_unit(session)
    below = make_unit(session, parent=top)
    with pytest.raises(DomainError) as error:
        move_unit(session, unit=top, new_parent=below)
    assert error.value.code == "unit_cycle"

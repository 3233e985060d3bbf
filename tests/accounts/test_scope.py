"""Roles reach their organisation, or a unit subtree, and nothing else."""

from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import Unit
from app.accounts.scope import managed_units_condition, reaches_unit, unit_condition
from tests.factories import make_org, make_unit, make_user


def _units_in_reach(session, condition):
    return set(session.scalars(sa.select(Unit.code).where(condition)))


def test_an_organisation_wide_role_reaches_every_unit_of_its_organisation_only(session):
    org, other = make_org(session), make_org(session)
    top = make_unit(session, org=org, code="TOP")
    make_unit(session, parent=top, code="CHILD")
    make_unit(session, org=other, code="FOREIGN")
    hr = make_user(session, org=org, roles=["hr"])
    assert _units_in_reach(session, unit_condition(hr, "hr")) == {"TOP", "CHILD"}


def test_a_scoped_role_reaches_its_subtree_but_not_its_siblings(session):
    org = make_org(session)
    top = make_unit(session, org=org, code="TOP")
    health = make_unit(session, parent=top, code="HEALTH")
    make_unit(session, parent=health, code="HOMECARE")
    make_unit(session, parent=top, code="SCHOOLS")
    hr = make_user(session, org=org, roles=[("hr", health)])
    assert _units_in_reach(session, unit_condition(hr, "hr")) == {"HEALTH", "HOMECARE"}
    assert reaches_unit(hr, health, "hr")
    assert not reaches_unit(hr, top, "hr")


def test_path_prefixes_do_not_leak_into_units_with_longer_ids(session):
    # "/1/" must not match "/12/": the trailing slash is part of every path.
    org = make_org(session)
    units = [make_unit(session, org=org, code=f"U{i}") for i in range(12)]
    hr = make_user(session, org=org, roles=[("hr", units[0])])
    assert _units_in_reach(session, unit_condition(hr, "hr")) == {"U0"}


def test_no_role_reaches_nothing(session):
    make_unit(session)
    nobody = make_user(session)
    assert _units_in_reach(session, unit_condition(nobody, "hr")) == set()


def test_a_leader_sees_the_units_below_the_ones_they_lead(session):
    org = make_org(session)
    top = make_unit(session, org=org, code="TOP")
    led = make_unit(session, parent=top, code="LED")
    make_unit(session, parent=led, code="BELOW")
    make_unit(session, parent=top, code="SIBLING")
    leader = make_user(session, org=org, unit=led)
    led.manager = leader
    session.flush()
    assert _units_in_reach(session, managed_units_condition(leader)) == {"LED", "BELOW"}

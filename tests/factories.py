"""Builders: ``make_user(session, roles=["hr"])`` returns a flushed object."""

from __future__ import annotations

import itertools
from datetime import date

from app.accounts import passwords
from app.accounts.models import Organisation, RoleAssignment, Unit, User
from app.accounts.services import create_token
from app.accounts.units import create_unit
from app.orm import utcnow

_seq = itertools.count(1)

PASSWORD = "correct horse battery staple"


def make_org(session, *, slug=None, name=None, kind="municipality") -> Organisation:
    n = next(_seq)
    org = Organisation(slug=slug or f"org-{n}", name=name or f"Organisasjon {n}", kind=kind)
    session.add(org)
    session.flush()
    return org


def make_unit(session, *, org=None, parent=None, name=None, code=None, manager=None) -> Unit:
    n = next(_seq)
    org = org or (parent.organisation if parent else make_org(session))
    return create_unit(session, organisation=org, parent=parent, name=name or f"Enhet {n}",
                       code=code or f"U{n}", manager=manager)


def make_user(session, *, org=None, unit=None, roles=(), password=None, email=None,
              name=None, leader_level="none", **kw) -> User:
    """``roles``: role names (organisation-wide) or (role, unit) pairs (subtree)."""
    n = next(_seq)
    if org is None:
        org = unit.organisation if unit is not None else make_org(session)
    user = User(
        organisation=org,
        unit=unit,
        email=email or f"person{n}@example.org",
        name=name or f"Person {n}",
        leader_level=leader_level,
        password_hash=passwords.hash_password(password) if password else None,
        employee_number=kw.pop("employee_number", f"E{n:06d}"),
        unit_since=kw.pop("unit_since", date(2020, 1, 1)),
        **kw,
    )
    session.add(user)
    session.flush()
    for role in roles:
        role_name, scope = (role, None) if isinstance(role, str) else role
        session.add(RoleAssignment(user=user, role=role_name, organisation=org, unit=scope))
    session.flush()
    session.refresh(user)
    return user


def make_token(session, user, name="test", scope="read_write") -> str:
    _token, raw = create_token(session, user=user, name=name, actor=user, now=utcnow(),
                               scope=scope)
    return raw

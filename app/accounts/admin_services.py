"""What admins do to people: roles, deactivation, service accounts.

Every function checks that the person acted on belongs to one of the actor's
organisations (where the actor is admin) and writes an audit event.
"""

from __future__ import annotations

import logging
import re
import secrets
import unicodedata
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.accounts.models import (
    Organisation,
    Role,
    RoleAssignment,
    RoleSource,
    Unit,
    User,
)
from app.accounts.scope import organisation_ids
from app.errors import ConflictError, DomainError, NotFoundError
from app.security import audit

log = logging.getLogger(__name__)


def _check_reach(actor: User, organisation_id: int) -> None:
    if organisation_id not in organisation_ids(actor, "admin"):
        # The same answer as for an id that does not exist: nothing is revealed.
        raise NotFoundError("not_found", _l("Fant ikke personen."))


def grant_role(session: Session, *, actor: User, user: User, role: str,
               unit: Unit | None = None) -> RoleAssignment:
    """A role in the person's organisation; with ``unit``, in that unit's subtree only."""
    _check_reach(actor, user.organisation_id)
    if role not in {r.value for r in Role}:
        raise DomainError("unknown_role", _l("Ukjent rolle."), field="role")
    if unit is not None and unit.organisation_id != user.organisation_id:
        raise DomainError("unit_other_org",
                          _l("Enheten hører til en annen organisasjon."), field="unit")
    exists = session.scalar(sa.select(RoleAssignment.id).where(
        RoleAssignment.user_id == user.id, RoleAssignment.role == role,
        RoleAssignment.organisation_id == user.organisation_id,
        RoleAssignment.unit_id.is_(None) if unit is None
        else RoleAssignment.unit_id == unit.id))
    if exists is not None:
        raise ConflictError("role_exists", _l("Personen har allerede denne rollen."),
                            field="role")
    assignment = RoleAssignment(user=user, role=role, organisation_id=user.organisation_id,
                                unit=unit, source=RoleSource.MANUAL)
    session.add(assignment)
    session.flush()
    audit(session, actor=actor, action="accounts.role_granted", obj=user, role=role,
          unit_id=unit.id if unit else None)
    log.info("role granted user=%s role=%s unit=%s actor=%s", user.id, role,
             unit.id if unit else None, actor.id)
    return assignment


def revoke_role(session: Session, *, actor: User, assignment: RoleAssignment) -> None:
    user = assignment.user
    _check_reach(actor, user.organisation_id)
    if (user.id == actor.id and assignment.role == Role.ADMIN
            and assignment.unit_id is None
            and sum(1 for ra in actor.roles if ra.role == Role.ADMIN) == 1):
        raise DomainError("own_last_admin", _l(
            "Du kan ikke fjerne din egen siste administratorrolle. Be en annen "
            "administrator om å gjøre det."))
    audit(session, actor=actor, action="accounts.role_revoked", obj=user,
          role=str(assignment.role), unit_id=assignment.unit_id)
    log.info("role revoked user=%s role=%s actor=%s", user.id, assignment.role, actor.id)
    user.roles.remove(assignment)
    session.delete(assignment)
    session.flush()


def deactivate(session: Session, *, actor: User, user: User, now: datetime) -> None:
    """End every session and token of the person; they lead no unit any more."""
    _check_reach(actor, user.organisation_id)
    if user.id == actor.id:
        raise DomainError("deactivate_self", _l("Du kan ikke deaktivere deg selv."))
    if not user.active:
        return
    user.active = False
    user.deactivated_at = now
    user.session_version += 1
    led = session.execute(
        sa.update(Unit).where(Unit.manager_id == user.id).values(manager_id=None)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    audit(session, actor=actor, action="accounts.deactivated", obj=user, units_left=led)
    log.info("deactivated user=%s actor=%s", user.id, actor.id)
    session.flush()


def reactivate(session: Session, *, actor: User, user: User) -> None:
    _check_reach(actor, user.organisation_id)
    if user.active:
        return
    user.active = True
    user.deactivated_at = None
    audit(session, actor=actor, action="accounts.reactivated", obj=user)
    log.info("reactivated user=%s actor=%s", user.id, actor.id)
    session.flush()


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().replace("ø", "o").replace("æ", "ae"))
    text = re.sub(r"[^a-z0-9]+", "-", "".join(c for c in text if c.isascii())).strip("-")
    return text[:40] or "tjeneste"


def create_service_account(session: Session, *, actor: User, organisation: Organisation,
                           name: str, roles: list[str], now: datetime) -> User:
    """An integration's own account: no password, no single sign-on, only tokens.

    Its address is a made-up one under ``.invalid`` (a domain that cannot receive mail),
    because every account needs a unique address and this one must never get any.
    """
    _check_reach(actor, organisation.id)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise DomainError("name_invalid", _l("Gi kontoen et navn på 1–200 tegn."), field="name")
    if any(role not in {r.value for r in Role} for role in roles):
        raise DomainError("unknown_role", _l("Ukjent rolle."), field="roles")
    email = f"{_slug(name)}-{secrets.token_hex(3)}@tjeneste.{organisation.slug}.invalid"
    user = User(organisation_id=organisation.id, email=email, name=name,
                is_service_account=True, created_at=now)
    session.add(user)
    session.flush()
    for role in roles:
        session.add(RoleAssignment(user=user, role=role, organisation_id=organisation.id))
    audit(session, actor=actor, action="accounts.service_account_created", obj=user,
          roles=sorted(roles))
    log.info("service account created user=%s actor=%s", user.id, actor.id)
    session.flush()
    return user

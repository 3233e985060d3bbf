"""Privacy provider of accounts: the person's profile, roles, tokens and login attempts.

Runs last on anonymisation: the person's own row keeps its id (statistics and certificate
counts point at it) but loses name, address, employee number and every way to log in.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import ApiToken, LoginAttempt, RoleAssignment, Unit, User
from app.privacy.registry import (
    ANONYMISED_NAME,
    AnonymiseContext,
    Handling,
    Provider,
    register,
    row,
)


def export_profile(session: Session, user: User) -> dict:
    led = session.scalars(sa.select(Unit).where(Unit.manager_id == user.id).order_by(Unit.path))
    return row(
        user, "id", "name", "email", "employee_number", "title", "leader_level",
        "leader_since", "unit_since", "is_project_leader", "locale", "active", "created_at",
        "last_login_at", "deactivated_at",
        organisation=user.organisation.name,
        unit=user.unit.name if user.unit else None,
        login_methods=[m for m, on in (("password", user.password_hash),
                                       ("sso", user.oidc_subject)) if on],
        leads_units=[u.name for u in led],
    )


def export_roles(session: Session, user: User) -> list[dict]:
    rows = session.scalars(sa.select(RoleAssignment).where(RoleAssignment.user_id == user.id)
                           .order_by(RoleAssignment.id))
    return [row(r, "role", "source", "created_at", organisation=r.organisation.name,
                unit=r.unit.name if r.unit else None) for r in rows]


def export_tokens(session: Session, user: User) -> list[dict]:
    # Only a hash of a token is stored; the export shows what the profile page shows.
    rows = session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)
                           .order_by(ApiToken.id))
    return [row(t, "name", "prefix", "scope", "created_at", "expires_at", "revoked_at")
            for t in rows]


def export_login_attempts(session: Session, user: User) -> list[dict]:
    rows = session.scalars(sa.select(LoginAttempt).where(LoginAttempt.email == user.email)
                           .order_by(LoginAttempt.at.desc()))
    return [row(a, "at", "address", "success") for a in rows]


def anonymise(session: Session, user: User, ctx: AnonymiseContext) -> None:
    session.execute(sa.delete(LoginAttempt).where(LoginAttempt.email == user.email))
    session.execute(sa.delete(ApiToken).where(ApiToken.user_id == user.id))
    session.execute(sa.update(Unit).where(Unit.manager_id == user.id).values(manager_id=None)
                    .execution_options(synchronize_session=False))
    for assignment in list(user.roles):
        user.roles.remove(assignment)
    user.name = ANONYMISED_NAME
    # Unique and not a mailbox: ".invalid" can never receive mail (RFC 2606).
    user.email = f"anonymisert-{user.id}@anonymisert.invalid"
    user.employee_number = None
    user.title = None
    user.password_hash = None
    user.oidc_subject = None
    user.leader_since = None
    user.unit_since = None
    user.last_login_at = None
    user.active = False
    user.deactivated_at = user.deactivated_at or ctx.now
    user.anonymised_at = ctx.now
    user.session_version += 1
    session.flush()


register(Provider(
    domain="accounts",
    sections={"profile": export_profile, "roles": export_roles, "api_tokens": export_tokens,
              "login_attempts": export_login_attempts},
    columns={
        "unit.manager_id": Handling("profile", "set to nobody (the unit has no leader)"),
        "role_assignment.user_id": Handling("roles", "deleted"),
        "api_token.user_id": Handling("api_tokens", "deleted"),
        "api_token.created_by_id": Handling(
            None, "kept (an id; the name is gone with the person)",
            why="tokens this admin made for service accounts belong to those accounts"),
    },
    anonymise=anonymise,
    last=True,
))

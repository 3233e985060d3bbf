"""Organisations, the unit tree, people, their roles and API tokens."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.identity import install_schema_events
from app.extensions import db
from app.orm import enum_column, utcnow


class OrganisationKind(enum.StrEnum):
    MUNICIPALITY = "municipality"
    COUNTY = "county"
    STATE_ADMINISTRATOR = "state_administrator"
    OTHER = "other"


class LeaderLevel(enum.StrEnum):
    TOP = "toppleder"
    MIDDLE = "mellomleder"
    FIRST_LINE = "forstelinjeleder"
    NONE = "none"


class Role(enum.StrEnum):
    ADMIN = "admin"
    ORGANISER = "organiser"
    HR = "hr"
    EDITOR = "editor"


class RoleSource(enum.StrEnum):
    #: Granted by an admin or on the command line.
    MANUAL = "manual"
    #: Taken from the identity provider's role claim at login, and kept in step with it.
    SSO = "sso"


class TokenScope(enum.StrEnum):
    #: GET requests only: reports, lookups, exports.
    READ = "read"
    #: Everything the token's account may do.
    READ_WRITE = "read_write"


class Organisation(db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[OrganisationKind] = mapped_column(
        enum_column(OrganisationKind, name="organisation_kind")
    )
    #: The nine-digit number in Enhetsregisteret, when known.
    org_number: Mapped[str | None] = mapped_column(sa.String(9))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    units: Mapped[list[Unit]] = relationship(back_populates="organisation")

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


def unit_ids_of_path(path: str) -> list[int]:
    """``/1/5/9/`` -> [1, 5, 9]: the unit and its ancestors, root first."""
    return [int(part) for part in path.strip("/").split("/") if part]


class Unit(db.Model):
    """A node in an organisation's tree: sector, unit (virksomhet) or department."""

    __tablename__ = "unit"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "code"),
        sa.Index("ix_unit_path", "path"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    #: Materialised path of ids, e.g. "/1/5/12/": a subtree is ``path LIKE '/1/5/%'``.
    path: Mapped[str] = mapped_column(sa.String(255), default="")
    depth: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: The HR system's key for the unit (stable across renames).
    code: Mapped[str] = mapped_column(sa.String(32))
    #: The unit's leader. ``use_alter`` because user and unit point at each other.
    manager_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", use_alter=True, ondelete="SET NULL"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)

    organisation: Mapped[Organisation] = relationship(back_populates="units")
    parent: Mapped[Unit | None] = relationship(remote_side=[id])
    manager: Mapped[User | None] = relationship(foreign_keys=[manager_id])

    @property
    def path_ids(self) -> list[int]:
        """The ids from the top of the tree (the sector) down to this unit."""
        return unit_ids_of_path(self.path)

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.path}>"


class User(db.Model):
    __tablename__ = "user_account"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "employee_number"),
        sa.CheckConstraint("session_version >= 1", name="session_version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("unit.id", ondelete="SET NULL"), index=True
    )
    #: The HR system's key for the person; e-mail addresses change, this does not.
    employee_number: Mapped[str | None] = mapped_column(sa.String(32))
    #: Stored in lower case; unique across the whole installation.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str | None] = mapped_column(sa.String(200))
    leader_level: Mapped[LeaderLevel] = mapped_column(
        enum_column(LeaderLevel, name="leader_level"), default=LeaderLevel.NONE
    )
    leader_since: Mapped[date | None]
    unit_since: Mapped[date | None]
    is_project_leader: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str] = mapped_column(sa.String(8), default="nb")
    active: Mapped[bool] = mapped_column(default=True)
    #: An integration's account rather than a person's: it owns tokens that outlive leavers.
    is_service_account: Mapped[bool] = mapped_column(default=False)
    #: Part of the login cookie; raising it logs the person out everywhere.
    session_version: Mapped[int] = mapped_column(default=1)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    #: The identity provider's stable subject (for Entra ID: tid + oid), when linked.
    oidc_subject: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    #: When the person was deactivated (a leaver); the start of the retention period.
    deactivated_at: Mapped[datetime | None]
    #: When the person was anonymised (a leaver): name, address and free text are gone.
    anonymised_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()
    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])
    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    #: The units this person leads (their manager); loaded with the person on every page.
    led_units: Mapped[list[Unit]] = relationship(
        primaryjoin="Unit.manager_id == User.id", viewonly=True, order_by="Unit.path"
    )

    # Flask-Login protocol -------------------------------------------------------------
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        # The alternative id of Flask-Login: the cookie names the session version too, so
        # a password change or a deactivation ends every session at once.
        return f"{self.id}:{self.session_version}"

    # Roles ----------------------------------------------------------------------------
    def role_names(self) -> set[str]:
        return {str(r.role) for r in self.roles}

    def has_role(self, *roles: Role | str) -> bool:
        wanted = {str(r) for r in roles}
        return bool(self.role_names() & wanted)

    @property
    def is_leader(self) -> bool:
        return self.leader_level != LeaderLevel.NONE

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class RoleAssignment(db.Model):
    """A role in one organisation, optionally limited to one unit and everything below it."""

    __tablename__ = "role_assignment"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "role", "organisation_id", "unit_id"),
        # NULLs are distinct in a unique constraint, so the organisation-wide role needs its own.
        sa.Index(
            "uq_role_assignment_org_wide",
            "user_id",
            "role",
            "organisation_id",
            unique=True,
            sqlite_where=sa.text("unit_id IS NULL"),
            postgresql_where=sa.text("unit_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role, name="role"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    #: When set, the role reaches this unit's subtree only.
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"))
    source: Mapped[RoleSource] = mapped_column(
        enum_column(RoleSource, name="role_source"), default=RoleSource.MANUAL,
        server_default=RoleSource.MANUAL.value,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="roles")
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    unit: Mapped[Unit | None] = relationship(lazy="joined")


class ApiToken(db.Model):
    """A bearer token for /api/v1. Only a SHA-256 of the token is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The first characters of the token, to tell tokens apart in lists.
    prefix: Mapped[str] = mapped_column(sa.String(16))
    #: What the token may do; the API's permission check enforces it on every request.
    scope: Mapped[TokenScope] = mapped_column(
        enum_column(TokenScope, name="token_scope"), default=TokenScope.READ_WRITE,
        server_default=TokenScope.READ_WRITE.value,
    )
    #: Who made it (an admin for a service account's token), for the token lists.
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, method: str) -> bool:
        """Whether a request with this HTTP method is within the token's scope."""
        return self.scope == TokenScope.READ_WRITE or method in ("GET", "HEAD", "OPTIONS")


class LoginAttempt(db.Model):
    """Failed and successful logins, the counters of the login throttle."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        sa.Index("ix_login_attempt_email_at", "email", "at"),
        sa.Index("ix_login_attempt_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    address: Mapped[str] = mapped_column(sa.String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    success: Mapped[bool] = mapped_column(default=False)


class DirectoryGeneration(db.Model):
    """One counter that the database raises (by triggers, ``app.accounts.identity``) in
    every transaction that changes an organisation, a unit, a person or a role: a person
    kept in memory from an earlier request is current exactly while the counter is
    unchanged."""

    __tablename__ = "directory_generation"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0)


install_schema_events(db.metadata, DirectoryGeneration.__table__)

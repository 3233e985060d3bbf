"""Read queries behind the admin pages. Each one is limited, in SQL, to the organisations
where the caller is admin, whatever filters the caller sends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from app.accounts.models import ApiToken, Organisation, RoleAssignment, Unit, User
from app.accounts.scope import organisation_ids, subtree_condition
from app.common.models import AuditEvent

OSLO = ZoneInfo("Europe/Oslo")


def admin_orgs(user: User) -> set[int]:
    return organisation_ids(user, "admin")


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass
class PeopleFilter:
    q: str = ""
    unit_id: int | None = None
    role: str = ""
    level: str = ""
    status: str = "active"
    kind: str = "people"
    page: int = 1


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")


def people(session: Session, *, actor: User, f: PeopleFilter, per_page: int = 50) -> Page:
    orgs = admin_orgs(actor)
    conditions = [User.organisation_id.in_(orgs),
                  User.is_service_account.is_(f.kind == "service")]
    if f.status in ("active", "inactive"):
        conditions.append(User.active.is_(f.status == "active"))
    if f.q:
        pattern = f"%{_escape_like(f.q.strip().lower())}%"
        conditions.append(sa.or_(
            sa.func.lower(User.name).like(pattern, escape="\\"),
            User.email.like(pattern, escape="\\"),
            sa.func.lower(User.employee_number).like(pattern, escape="\\"),
        ))
    if f.level:
        conditions.append(User.leader_level == f.level)
    if f.role:
        conditions.append(sa.exists().where(RoleAssignment.user_id == User.id,
                                            RoleAssignment.role == f.role))
    if f.unit_id:
        root = aliased(Unit)
        conditions.append(sa.exists().where(
            root.id == f.unit_id, root.organisation_id.in_(orgs),
            Unit.id == User.unit_id, Unit.path.like(root.path + "%")))
    total = session.scalar(sa.select(sa.func.count()).select_from(User).where(*conditions))
    page = max(1, f.page)
    rows = session.execute(
        sa.select(User, Unit.name, Unit.code)
        .outerjoin(Unit, User.unit_id == Unit.id)
        .where(*conditions)
        .order_by(User.name, User.id)
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(rows, total, page, per_page)


def filter_units(session: Session, *, actor: User, selected: int | None) -> list[Unit]:
    """Sectors and units (the two top levels) for the filter, and the one chosen."""
    return list(session.scalars(
        sa.select(Unit).where(Unit.organisation_id.in_(admin_orgs(actor)),
                              sa.or_(Unit.depth <= 1, Unit.id == (selected or 0)))
        .order_by(Unit.path)
    ))


def person(session: Session, *, actor: User, user_id: int) -> User | None:
    return session.scalar(sa.select(User).where(User.id == user_id,
                                                User.organisation_id.in_(admin_orgs(actor))))


def person_details(session: Session, user: User) -> dict:
    tokens = session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
    ).all()
    led = session.scalars(sa.select(Unit).where(Unit.manager_id == user.id)
                          .order_by(Unit.path)).all()
    actor = aliased(User)
    events = session.execute(
        sa.select(AuditEvent, actor.name)
        .outerjoin(actor, AuditEvent.actor_id == actor.id)
        .where(AuditEvent.object_type == "User", AuditEvent.object_id == str(user.id))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(20)
    ).all()
    return {"tokens": tokens, "led_units": led, "events": events}


def unit_by_code(session: Session, *, organisation_id: int, code: str) -> Unit | None:
    return session.scalar(sa.select(Unit).where(Unit.organisation_id == organisation_id,
                                                Unit.code == code.strip()))


def units(session: Session, *, actor: User, under: int | None, page: int,
          per_page: int = 200) -> tuple[Page, Unit | None]:
    """The unit tree in path order, with each unit's leader and its active people."""
    orgs = admin_orgs(actor)
    conditions = [Unit.organisation_id.in_(orgs)]
    root = None
    if under:
        root = session.scalar(sa.select(Unit).where(Unit.id == under,
                                                    Unit.organisation_id.in_(orgs)))
        if root is not None:
            conditions.append(subtree_condition(Unit.path, root.path))
    headcount = (
        sa.select(User.unit_id, sa.func.count().label("n"))
        .where(User.active.is_(True), User.is_service_account.is_(False))
        .group_by(User.unit_id).subquery()
    )
    manager = aliased(User)
    total = session.scalar(sa.select(sa.func.count()).select_from(Unit).where(*conditions))
    page = max(1, page)
    rows = session.execute(
        sa.select(Unit, manager.id, manager.name, manager.active,
                  sa.func.coalesce(headcount.c.n, 0), Organisation.name)
        .join(Organisation, Unit.organisation_id == Organisation.id)
        .outerjoin(manager, Unit.manager_id == manager.id)
        .outerjoin(headcount, headcount.c.unit_id == Unit.id)
        .where(*conditions)
        .order_by(Organisation.name, Unit.path)
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(rows, total, page, per_page), root


@dataclass
class AuditFilter:
    action: str = ""
    actor: str = ""
    object_type: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1


def audit_events(session: Session, *, actor: User, f: AuditFilter,
                 per_page: int = 100) -> Page:
    """Events by people of the admin's organisations, or about them or their API tokens
    (a token made on the command line has no actor, and still belongs in the log)."""
    orgs = admin_orgs(actor)
    members = sa.select(User.id).where(User.organisation_id.in_(orgs))
    member_ids = sa.select(sa.cast(User.id, sa.String)).where(User.organisation_id.in_(orgs))
    member_tokens = sa.select(sa.cast(ApiToken.id, sa.String)).where(
        ApiToken.user_id.in_(members))
    conditions = [sa.or_(
        AuditEvent.actor_id.in_(members),
        sa.and_(AuditEvent.object_type == "User", AuditEvent.object_id.in_(member_ids)),
        sa.and_(AuditEvent.object_type == "ApiToken", AuditEvent.object_id.in_(member_tokens)),
        sa.and_(AuditEvent.object_type == "Organisation",
                AuditEvent.object_id.in_([str(o) for o in orgs])),
    )]
    who = aliased(User)
    if f.action:
        conditions.append(AuditEvent.action.like(_escape_like(f.action.strip()) + "%",
                                                 escape="\\"))
    if f.actor:
        conditions.append(who.email == f.actor.strip().lower())
    if f.object_type:
        conditions.append(AuditEvent.object_type == f.object_type)
    if f.object_id:
        conditions.append(AuditEvent.object_id == f.object_id.strip())
    if f.since:
        conditions.append(AuditEvent.at >= datetime.combine(f.since, time(), tzinfo=OSLO))
    if f.until:
        conditions.append(AuditEvent.at < datetime.combine(f.until, time(23, 59, 59, 999999),
                                                           tzinfo=OSLO))
    base = sa.select(AuditEvent.id).outerjoin(who, AuditEvent.actor_id == who.id)
    total = session.scalar(sa.select(sa.func.count()).select_from(
        base.where(*conditions).subquery()))
    page = max(1, f.page)
    rows = session.execute(
        sa.select(AuditEvent, who.name, who.email)
        .outerjoin(who, AuditEvent.actor_id == who.id)
        .where(*conditions)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(rows, total, page, per_page)


def admin_organisations(session: Session, *, actor: User) -> list[Organisation]:
    return list(session.scalars(sa.select(Organisation)
                                .where(Organisation.id.in_(admin_orgs(actor)))
                                .order_by(Organisation.name)))

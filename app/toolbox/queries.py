"""Read queries and object scope for the toolbox and the project register.

Scope lives in SQL conditions, so a list or a lookup can never return a row outside the
caller's reach whatever filters are applied:

- everyone sees the templates and projects of their own organisation (and of the
  organisations where they are organiser or admin);
- a project can be edited by its leader, its owner, the IT service (organiser or admin
  reaching the project's unit) and the leaders of the units above it;
- the IT service's governance view reaches the units of its role assignments.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from app.accounts.models import Unit, User
from app.accounts.scope import managed_units_condition, organisation_ids, unit_condition
from app.enrolment.models import CourseSession, Offering
from app.toolbox.models import (
    ITProject,
    MethodologyDocument,
    Phase,
    ProjectRegisterSettings,
    ToolboxFile,
    ToolboxItem,
    toolbox_item_session,
)

GOVERNANCE_ROLES = ("organiser", "admin")


def visible_organisations(user: User) -> set[int]:
    return {user.organisation_id} | organisation_ids(user, *GOVERNANCE_ROLES)


def manages_toolbox(user: User, organisation_id: int) -> bool:
    return organisation_id in organisation_ids(user, *GOVERNANCE_ROLES)


# The toolbox ---------------------------------------------------------------------------


@functools.cache
def _templates_statement(for_viewer: bool) -> sa.Select:
    # Built once, the ids as bind parameters: building it cost more than running it.
    stmt = (
        sa.select(toolbox_item_session.c.session_id, ToolboxItem)
        .join(ToolboxItem, ToolboxItem.id == toolbox_item_session.c.item_id)
        .where(toolbox_item_session.c.session_id.in_(sa.bindparam("sessions", expanding=True)))
        .order_by(ToolboxItem.title, ToolboxItem.id)
    )
    if for_viewer:
        stmt = stmt.where(ToolboxItem.organisation_id.in_(
            sa.bindparam("organisations", expanding=True)))
    return stmt


def templates_for_sessions(session: Session, session_ids: Iterable[int],
                           viewer: User | None = None) -> dict[int, list[ToolboxItem]]:
    """The toolbox templates reviewed in each of the given course sessions, by title;
    with ``viewer``, only those the person may open.

    One statement whatever the number of sessions; sessions without templates are absent
    from the result. For the seminar pages ("templates reviewed in this session").
    """
    ids = sorted({int(i) for i in session_ids})
    if not ids:
        return {}
    params: dict = {"sessions": ids}
    if viewer is not None:
        params["organisations"] = sorted(visible_organisations(viewer))
    result: dict[int, list[ToolboxItem]] = defaultdict(list)
    for session_id, item in session.execute(_templates_statement(viewer is not None), params):
        result[session_id].append(item)
    return dict(result)


def latest_versions_subquery():
    return (
        sa.select(ToolboxFile.item_id, sa.func.max(ToolboxFile.number).label("number"))
        .group_by(ToolboxFile.item_id)
        .subquery()
    )


def toolbox_items(session: Session, user: User) -> list[tuple[ToolboxItem, ToolboxFile | None]]:
    """Every template the person can see, each with its latest version."""
    latest = latest_versions_subquery()
    rows = session.execute(
        sa.select(ToolboxItem, ToolboxFile)
        .outerjoin(latest, latest.c.item_id == ToolboxItem.id)
        .outerjoin(ToolboxFile, sa.and_(ToolboxFile.item_id == ToolboxItem.id,
                                        ToolboxFile.number == latest.c.number))
        .where(ToolboxItem.organisation_id.in_(visible_organisations(user)))
        .order_by(ToolboxItem.title, ToolboxItem.id)
    )
    return [(item, version) for item, version in rows]


def sessions_for_items(session: Session, item_ids: Iterable[int]
                       ) -> dict[int, list[CourseSession]]:
    ids = list(item_ids)
    if not ids:
        return {}
    rows = session.execute(
        sa.select(toolbox_item_session.c.item_id, CourseSession)
        .join(CourseSession, CourseSession.id == toolbox_item_session.c.session_id)
        .where(toolbox_item_session.c.item_id.in_(ids))
        .order_by(CourseSession.starts_at)
    )
    result: dict[int, list[CourseSession]] = defaultdict(list)
    for item_id, course_session in rows:
        result[item_id].append(course_session)
    return dict(result)


def visible_item(session: Session, user: User, item_id: int) -> ToolboxItem | None:
    return session.scalar(
        sa.select(ToolboxItem)
        .options(joinedload(ToolboxItem.owner))
        .where(ToolboxItem.id == item_id,
               ToolboxItem.organisation_id.in_(visible_organisations(user)))
    )


def item_versions(session: Session, item: ToolboxItem) -> list[ToolboxFile]:
    return list(session.scalars(
        sa.select(ToolboxFile).options(joinedload(ToolboxFile.uploaded_by))
        .where(ToolboxFile.item_id == item.id).order_by(ToolboxFile.number.desc())
    ))


def sessions_to_link(session: Session, organisation_id: int, *, limit: int = 200
                     ) -> list[CourseSession]:
    """Sessions a template can be linked to: those of the organisation's offerings, the
    latest first."""
    return list(session.scalars(
        sa.select(CourseSession)
        .join(Offering, Offering.id == CourseSession.offering_id)
        .options(joinedload(CourseSession.offering).joinedload(Offering.course))
        .where(Offering.organisation_id == organisation_id)
        .order_by(CourseSession.starts_at.desc(), CourseSession.id)
        .limit(limit)
    ))


# Projects ------------------------------------------------------------------------------


def visible_projects_condition(user: User):
    return ITProject.organisation_id.in_(visible_organisations(user))


def registered_projects_led_by(session: Session, viewer: User, leader_ids: Iterable[int]
                               ) -> dict[int, list[tuple[int, str]]]:
    """Leader id -> (id, name) of the projects they lead that are not closed, as far as
    ``viewer`` may see the register (the seminar network shows them)."""
    leader_ids = list(leader_ids)
    if not leader_ids:
        return {}
    led: dict[int, list[tuple[int, str]]] = {}
    for project_id, name, leader_id in session.execute(
        sa.select(ITProject.id, ITProject.name, ITProject.leader_id)
        .where(ITProject.leader_id.in_(leader_ids), ITProject.phase != Phase.CLOSED,
               visible_projects_condition(viewer))
        .order_by(ITProject.name, ITProject.id)
    ):
        led.setdefault(leader_id, []).append((project_id, name))
    return led


def governed_projects_condition(user: User):
    """Projects in units the person's organiser or admin roles reach."""
    return sa.exists().where(Unit.id == ITProject.unit_id,
                             unit_condition(user, *GOVERNANCE_ROLES))


def editable_projects_condition(user: User):
    led = sa.exists().where(Unit.id == ITProject.unit_id, managed_units_condition(user))
    return sa.or_(ITProject.leader_id == user.id, ITProject.owner_id == user.id,
                  governed_projects_condition(user), led)


def project_team_condition(user: User):
    """Who may open and maintain a project's documents: its editors and its IT
    representative. Documents such as risk analyses may describe weaknesses; they are not
    for everyone who can see the project."""
    return sa.or_(editable_projects_condition(user), ITProject.it_representative_id == user.id)


def people_options(*relationships):
    """Eager-load the people of a project without their role assignments (which the User
    model would otherwise fetch with a statement of its own)."""
    return [joinedload(rel).lazyload(User.roles) for rel in relationships]


def project_with_rights(session: Session, user: User, project_id: int):
    """(project, can_edit, can_govern, in_team) or None when the person cannot see it."""
    row = session.execute(
        sa.select(
            ITProject,
            sa.case((editable_projects_condition(user), True), else_=False),
            sa.case((governed_projects_condition(user), True), else_=False),
            sa.case((project_team_condition(user), True), else_=False),
        )
        .options(joinedload(ITProject.unit),
                 *people_options(ITProject.leader, ITProject.owner, ITProject.it_representative))
        .where(ITProject.id == project_id, visible_projects_condition(user))
    ).one_or_none()
    if row is None:
        return None
    project, can_edit, can_govern, can_read = row
    return project, bool(can_edit), bool(can_govern), bool(can_read)


def editable_project(session: Session, user: User, project_id: int) -> ITProject | None:
    return session.scalar(
        sa.select(ITProject).where(ITProject.id == project_id,
                                   editable_projects_condition(user))
    )


def project_documents(session: Session, project: ITProject) -> list[MethodologyDocument]:
    return list(session.scalars(
        sa.select(MethodologyDocument)
        .options(joinedload(MethodologyDocument.toolbox_item))
        .where(MethodologyDocument.project_id == project.id)
        .order_by(MethodologyDocument.category, MethodologyDocument.id)
    ))


def list_projects(session: Session, user: User, *, q: str | None = None,
                  unit: Unit | None = None, phase: str | None = None,
                  network: str | None = None, page: int = 1, per_page: int = 50
                  ) -> tuple[list[ITProject], int]:
    """The public overview: the page of projects matching the filters, and the total."""
    where = [visible_projects_condition(user)]
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        where.append(sa.or_(ITProject.name.ilike(pattern, escape="\\"),
                            ITProject.purpose.ilike(pattern, escape="\\")))
    if unit is not None:
        where.append(ITProject.unit_id.in_(
            sa.select(Unit.id).where(Unit.path.like(unit.path + "%"))))
    if phase:
        where.append(ITProject.phase == phase)
    if network:
        where.append(ITProject.network == network)
    total = session.scalar(sa.select(sa.func.count()).select_from(ITProject).where(*where))
    projects = list(session.scalars(
        sa.select(ITProject)
        .options(joinedload(ITProject.unit),
                 *people_options(ITProject.leader, ITProject.it_representative))
        .where(*where)
        .order_by(ITProject.name, ITProject.id)
        .limit(per_page).offset((page - 1) * per_page)
    ).unique())
    return projects, total or 0


def units_of(session: Session, organisation_ids_: Iterable[int]) -> list[Unit]:
    return list(session.scalars(
        sa.select(Unit).where(Unit.organisation_id.in_(list(organisation_ids_)),
                              Unit.active.is_(True))
        .order_by(Unit.path)
    ))


def unit_by_code(session: Session, user: User, code: str) -> Unit | None:
    return session.scalar(
        sa.select(Unit).where(Unit.code == code,
                              Unit.organisation_id.in_(visible_organisations(user)))
    )


def settings_for(session: Session, organisation_id: int) -> ProjectRegisterSettings | None:
    return session.get(ProjectRegisterSettings, organisation_id)


def it_service_people(session: Session, settings: ProjectRegisterSettings | None,
                      *, limit: int = 500) -> list[User]:
    """The people who can represent the IT service: everyone active in its unit subtree."""
    if settings is None or settings.it_service_unit_id is None:
        return []
    it_unit = sa.orm.aliased(Unit)
    return list(session.scalars(
        sa.select(User).join(Unit, User.unit_id == Unit.id)
        .join(it_unit, it_unit.id == settings.it_service_unit_id)
        .options(sa.orm.lazyload(User.roles))
        .where(Unit.path.like(it_unit.path + "%"), User.active.is_(True),
               User.is_service_account.is_(False))
        .order_by(User.name, User.id).limit(limit)
    ))

"""Privacy provider of the toolbox and the IT project register."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.privacy.registry import Handling, Provider, register, row
from app.toolbox.models import ITProject, ToolboxFile, ToolboxItem


def export_items(session: Session, user) -> list[dict]:
    rows = session.scalars(sa.select(ToolboxItem).where(ToolboxItem.owner_id == user.id)
                           .order_by(ToolboxItem.title))
    return [row(i, "slug", "title", "category", "created_at", "updated_at") for i in rows]


def export_uploads(session: Session, user) -> list[dict]:
    rows = session.execute(
        sa.select(ToolboxFile, ToolboxItem.title).join(ToolboxItem)
        .where(ToolboxFile.uploaded_by_id == user.id).order_by(ToolboxFile.uploaded_at))
    return [row(f, "number", "original_name", "change_note", "uploaded_at", item=title)
            for f, title in rows]


def export_projects(session: Session, user) -> list[dict]:
    rows = session.scalars(sa.select(ITProject).where(sa.or_(
        ITProject.leader_id == user.id, ITProject.owner_id == user.id,
        ITProject.it_representative_id == user.id, ITProject.created_by_id == user.id,
    )).order_by(ITProject.name))
    return [row(p, "name", "purpose", "phase", "contact_email", "contact_phone", "starts_on",
                "planned_end_on", "created_at",
                my_roles=[r for r, col in (("leader", p.leader_id), ("owner", p.owner_id),
                                           ("it_representative", p.it_representative_id),
                                           ("registered_by", p.created_by_id))
                          if col == user.id]) for p in rows]


KEPT = "kept (an id: the project or template is the municipality's; the name is gone)"

register(Provider(
    domain="toolbox",
    sections={"toolbox_items": export_items, "toolbox_uploads": export_uploads,
              "it_projects": export_projects},
    columns={
        "toolbox_item.owner_id": Handling("toolbox_items", KEPT),
        "toolbox_file.uploaded_by_id": Handling("toolbox_uploads", KEPT),
        "it_project.leader_id": Handling("it_projects", KEPT),
        "it_project.owner_id": Handling("it_projects", KEPT),
        "it_project.it_representative_id": Handling("it_projects", KEPT),
        "it_project.created_by_id": Handling("it_projects", KEPT),
        "methodology_document.updated_by_id": Handling(
            None, KEPT, why="documents belong to the project"),
        "project_register_settings.updated_by_id": Handling(
            None, KEPT, why="the register's settings are the IT service's"),
    },
    mentions=("it_project.contact_email", "it_project.contact_phone", "it_project.purpose",
              "methodology_document.note", "toolbox_file.change_note"),
))

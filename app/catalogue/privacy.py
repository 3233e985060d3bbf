"""Privacy provider of the catalogue: modules a person marked as read."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.catalogue.models import Course, Module, ModuleRead
from app.privacy.registry import Handling, Provider, register


def export_module_reads(session: Session, user) -> list[dict]:
    rows = session.execute(
        sa.select(Course.title, Module.title, ModuleRead.read_at)
        .join(Module, ModuleRead.module_id == Module.id).join(Course, Module.course_id == Course.id)
        .where(ModuleRead.user_id == user.id).order_by(ModuleRead.read_at))
    return [{"course": c, "module": m, "read_at": at.isoformat()} for c, m, at in rows]


register(Provider(
    domain="catalogue",
    sections={"modules_read": export_module_reads},
    columns={"module_read.user_id": Handling("modules_read", "kept (progress; no text)")},
))

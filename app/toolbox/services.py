"""State changes of the toolbox: templates, their file versions and their sessions.

Services flush, never commit; the view or command that calls one commits once.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.enrolment.models import CourseSession, Offering
from app.errors import ConflictError, DomainError, ForbiddenError
from app.security import audit
from app.toolbox import storage
from app.toolbox.models import Category, ToolboxFile, ToolboxItem
from app.toolbox.queries import manages_toolbox

log = logging.getLogger(__name__)


def slugify(text: str) -> str:
    text = text.lower().replace("ø", "o").replace("æ", "ae").replace("å", "a")
    text = unicodedata.normalize("NFKD", text)
    text = re.sub(r"[^a-z0-9]+", "-", "".join(c for c in text if c.isascii())).strip("-")
    return text[:70] or "mal"


def _unique_slug(session: Session, organisation_id: int, title: str) -> str:
    base = slugify(title)
    taken = set(session.scalars(
        sa.select(ToolboxItem.slug).where(ToolboxItem.organisation_id == organisation_id,
                                          ToolboxItem.slug.like(base + "%"))
    ))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _require_manager(actor: User, organisation_id: int) -> None:
    if not manages_toolbox(actor, organisation_id):
        raise ForbiddenError("toolbox_forbidden",
                             _l("Bare IT-tjenesten kan endre malene i verktøykassen."))


def _owner(session: Session, organisation_id: int, email: str | None) -> User | None:
    email = (email or "").strip().lower()
    if not email:
        return None
    owner = session.scalar(sa.select(User).where(User.email == email,
                                                 User.organisation_id == organisation_id,
                                                 User.active.is_(True)))
    if owner is None:
        raise DomainError("owner_unknown", _l("Fant ingen aktiv person med denne "
                                              "e-postadressen i organisasjonen."),
                          field="owner_email")
    return owner


def _sessions(session: Session, organisation_id: int, ids: Iterable[int]) -> list[CourseSession]:
    ids = {int(i) for i in ids}
    if not ids:
        return []
    found = list(session.scalars(
        sa.select(CourseSession).join(Offering, Offering.id == CourseSession.offering_id)
        .where(CourseSession.id.in_(ids), Offering.organisation_id == organisation_id)
    ))
    if len(found) != len(ids):
        raise DomainError("session_unknown", _l("En av øktene finnes ikke lenger."),
                          field="session_ids")
    return found


def _text(value: str | None, field: str, *, required: bool = False, limit: int | None = None):
    value = (value or "").strip()
    if required and not value:
        raise DomainError("required", _l("Dette feltet må fylles ut."), field=field)
    if limit and len(value) > limit:
        raise DomainError("too_long", _l("Teksten er for lang (høyst %(n)s tegn).", n=limit),
                          field=field)
    return value


def create_item(session: Session, *, actor: User, organisation_id: int, title: str,
                category: str, description: str, learn_more: str, owner_email: str | None,
                session_ids: Iterable[int], first_file: storage.CheckedFile,
                change_note: str, storage_root: str | Path, now: datetime,
                slug: str | None = None) -> ToolboxItem:
    """A new template with its first version."""
    _require_manager(actor, organisation_id)
    title = _text(title, "title", required=True, limit=200)
    item = ToolboxItem(
        organisation_id=organisation_id,
        slug=slug or _unique_slug(session, organisation_id, title),
        title=title,
        category=Category(category),
        description=_text(description, "description"),
        learn_more=_text(learn_more, "learn_more"),
        owner=_owner(session, organisation_id, owner_email) or actor,
        created_at=now,
        updated_at=now,
    )
    item.sessions = _sessions(session, organisation_id, session_ids)
    session.add(item)
    session.flush()
    add_file(session, actor=actor, item=item, checked=first_file,
              change_note=change_note or "Første versjon.", storage_root=storage_root, now=now)
    audit(session, actor=actor, action="toolbox.item_created", obj=item, title=item.title)
    return item


def update_item(session: Session, *, actor: User, item: ToolboxItem, title: str,
                category: str, description: str, learn_more: str, owner_email: str | None,
                session_ids: Iterable[int], now: datetime) -> ToolboxItem:
    _require_manager(actor, item.organisation_id)
    item.title = _text(title, "title", required=True, limit=200)
    item.category = Category(category)
    item.description = _text(description, "description")
    item.learn_more = _text(learn_more, "learn_more")
    item.owner = _owner(session, item.organisation_id, owner_email) or item.owner
    item.sessions = _sessions(session, item.organisation_id, session_ids)
    item.updated_at = now
    session.flush()
    audit(session, actor=actor, action="toolbox.item_updated", obj=item,
          sessions=sorted(s.id for s in item.sessions))
    return item


def may_add_version(actor: User, item: ToolboxItem) -> bool:
    return actor.id == item.owner_id or manages_toolbox(actor, item.organisation_id)


def add_version(session: Session, *, actor: User, item: ToolboxItem,
                checked: storage.CheckedFile, change_note: str, storage_root: str | Path,
                now: datetime) -> ToolboxFile:
    """Upload a new version; the older versions stay as they are, downloadable."""
    if not may_add_version(actor, item):
        raise ForbiddenError("toolbox_forbidden", _l("Bare eieren av malen og IT-tjenesten "
                                                     "kan laste opp nye versjoner."))
    note = _text(change_note, "change_note", required=True, limit=2000)
    version = add_file(session, actor=actor, item=item, checked=checked, change_note=note,
                        storage_root=storage_root, now=now)
    item.updated_at = now
    audit(session, actor=actor, action="toolbox.version_added", obj=item,
          number=version.number, sha256=checked.sha256)
    return version


def add_file(session: Session, *, actor: User | None, item: ToolboxItem,
             checked: storage.CheckedFile, change_note: str, storage_root: str | Path,
             now: datetime) -> ToolboxFile:
    """Store the file and record it as the item's next version (no permission check: the
    callers check, or are the system's own import)."""
    # Versions are never removed, so their files are stored by content: the same bytes
    # uploaded twice take the space once.
    key = storage.store(storage_root, "toolbox", checked, content_addressed=True)
    number = (session.scalar(sa.select(sa.func.max(ToolboxFile.number))
                             .where(ToolboxFile.item_id == item.id)) or 0) + 1
    version = ToolboxFile(
        item_id=item.id, number=number, storage_key=key, extension=checked.extension,
        content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
        original_name=checked.original_name, change_note=change_note,
        uploaded_by_id=getattr(actor, "id", None), uploaded_at=now,
    )
    try:
        with session.begin_nested():
            session.add(version)
    except IntegrityError:
        # Two uploads took the same number at once; (item, number) is unique.
        raise ConflictError("version_conflict", _l("Noen lastet opp en versjon av malen "
                                                   "samtidig. Prøv igjen.")) from None
    log.info("toolbox version item=%s number=%s actor=%s", item.id, number,
             getattr(actor, "id", None))
    return version

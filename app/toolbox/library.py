"""The starting templates in ``kurs/verktoykasse/``: reading the manifest, importing the
templates into an organisation's toolbox, and rebuilding the spreadsheets.

Importing is idempotent: a template is matched on its slug; a file whose bytes differ from
the latest version becomes a new version, an unchanged one changes nothing. Titles and
descriptions edited in the application are left alone.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import Organisation, User
from app.errors import DomainError
from app.toolbox import storage
from app.toolbox.models import Category, ToolboxFile, ToolboxItem
from app.toolbox.services import add_file

log = logging.getLogger(__name__)

#: The repository's copy of the starting templates.
DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "kurs" / "verktoykasse"
MANIFEST = "verktoykasse.toml"
FORMAT = "verktoykasse/1"


class ManifestError(ValueError):
    """The manifest or a file it names is wrong; the message says which and why."""


@dataclass(frozen=True)
class Template:
    slug: str
    file: str
    title: str
    category: str
    description: str
    learn_more: str


def read_manifest(source: Path) -> list[Template]:
    path = Path(source) / MANIFEST
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ManifestError(f"{path}: {error}") from error
    if data.get("format") != FORMAT:
        raise ManifestError(f"{path}: format must be {FORMAT!r}")
    templates, seen = [], set()
    categories = {c.value for c in Category}
    for n, entry in enumerate(data.get("template", []), start=1):
        where = f"{path}: template {n}"
        missing = [k for k in ("slug", "file", "title", "category") if not entry.get(k)]
        if missing:
            raise ManifestError(f"{where}: missing {', '.join(missing)}")
        if entry["category"] not in categories:
            raise ManifestError(f"{where}: unknown category {entry['category']!r}")
        if entry["slug"] in seen:
            raise ManifestError(f"{where}: slug {entry['slug']!r} used twice")
        name = entry["file"]
        if "/" in name or "\\" in name or name.startswith("."):
            raise ManifestError(f"{where}: file must be a plain file name, not {name!r}")
        seen.add(entry["slug"])
        templates.append(Template(slug=entry["slug"], file=name, title=entry["title"],
                                  category=entry["category"],
                                  description=entry.get("description", "").strip(),
                                  learn_more=entry.get("learn_more", "").strip()))
    return templates


@dataclass
class ImportResult:
    created: int = 0
    new_versions: int = 0
    unchanged: int = 0


def import_templates(session: Session, *, organisation: Organisation, storage_root: str | Path,
                     now: datetime, source: Path = DEFAULT_SOURCE, owner: User | None = None,
                     max_bytes: int = storage.DEFAULT_MAX_BYTES) -> ImportResult:
    """Bring the organisation's toolbox up to date with the templates in ``source``.

    Every file is checked like an upload before anything is written."""
    templates = read_manifest(source)
    checked = {}
    for template in templates:
        path = Path(source) / template.file
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ManifestError(f"{path}: {error}") from error
        try:
            checked[template.slug] = storage.check_upload(data, template.file,
                                                          max_bytes=max_bytes)
        except DomainError as error:
            raise ManifestError(f"{path}: {error.message}") from error

    existing = {item.slug: item for item in session.scalars(
        sa.select(ToolboxItem).where(ToolboxItem.organisation_id == organisation.id))}
    latest = dict(session.execute(
        sa.select(ToolboxFile.item_id, ToolboxFile.sha256)
        .join(ToolboxItem, ToolboxItem.id == ToolboxFile.item_id)
        .where(ToolboxItem.organisation_id == organisation.id)
        .order_by(ToolboxFile.number)
    ).all())
    result = ImportResult()
    for template in templates:
        file = checked[template.slug]
        item = existing.get(template.slug)
        if item is None:
            item = ToolboxItem(organisation_id=organisation.id, slug=template.slug,
                               title=template.title, category=Category(template.category),
                               description=template.description,
                               learn_more=template.learn_more,
                               owner_id=owner.id if owner else None,
                               created_at=now, updated_at=now)
            session.add(item)
            session.flush()
            add_file(session, actor=None, item=item, checked=file, storage_root=storage_root,
                      change_note="Startmal fra kurs/verktoykasse.", now=now)
            result.created += 1
        elif latest.get(item.id) != file.sha256:
            add_file(session, actor=None, item=item, checked=file, storage_root=storage_root,
                      change_note="Oppdatert startmal fra kurs/verktoykasse.", now=now)
            item.updated_at = now
            result.new_versions += 1
        else:
            result.unchanged += 1
    session.flush()
    log.info("toolbox import organisation=%s created=%s new_versions=%s unchanged=%s",
             organisation.id, result.created, result.new_versions, result.unchanged)
    return result


def build_spreadsheets(target: Path = DEFAULT_SOURCE) -> list[Path]:
    """Write the spreadsheet templates into ``target``; returns the files written."""
    from app.toolbox import spreadsheets  # openpyxl: loaded by the command that needs it

    written = []
    for name, builder in spreadsheets.BUILDERS.items():
        path = Path(target) / name
        path.write_bytes(builder())
        written.append(path)
    return written

"""Authoring: an editor's draft of an own course package, and publishing it as a new
version.

A draft holds the whole package as JSON (see ``content_from``); participants never see
it. Every save names the revision the editor started from, so that two editors cannot
overwrite each other without noticing. Publishing builds the package's files from the
draft, validates them exactly like an upload, and stores a new version.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.accounts.models import Organisation, User
from app.catalogue.models import Course, CourseKind, CourseStatus
from app.errors import ConflictError, DomainError
from app.security import audit
from app.sharing import package as fmt
from app.sharing.apply import course_package, free_slug
from app.sharing.archive import ATTACHMENT_TYPES, DEFAULT_LIMITS, MANIFEST, PROGRAM, QUIZ
from app.sharing.canonical import manifest_document
from app.sharing.models import Package, PackageDraft, SharingScope
from app.sharing.problems import Collector, PackageError
from app.sharing.programfile import parse_program
from app.sharing.quizfile import parse_quiz
from app.sharing.quiztables import published_quiz_toml, quiz_toml
from app.sharing.storage import BlobStore
from app.sharing.tomlfile import dumps

BUMPS = ("patch", "minor", "major")


def slugify(text: str, fallback: str = "modul") -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-")
    return slug or fallback


def content_from(package: fmt.Package) -> dict[str, Any]:
    m = package.manifest
    c = m.completion
    return {
        "slug": m.slug, "kind": m.kind, "title": m.title, "summary": m.summary,
        "description": m.description, "language": m.language, "licence": m.licence,
        "audience": list(m.audience), "mandatory_for": list(m.mandatory_for),
        "validity_months": m.validity_months,
        "completion": {"attendance": c.attendance, "attendance_percent": c.attendance_percent,
                       "quiz": c.quiz, "modules": c.modules},
        "based_on": ({"uid": m.based_on.uid, "version": m.based_on.version,
                      "publisher": m.based_on.publisher} if m.based_on else None),
        "modules": [{"name": x.name, "title": x.title, "minutes": x.minutes, "body": x.body}
                    for x in package.modules],
        "attachments": [{"name": a.name, "title": a.title, "sha256": a.sha256, "size": a.size,
                         "media_type": a.media_type} for a in package.attachments],
        "quiz": dumps(_quiz_doc(package)).decode() if package.quiz else None,
        "program": dumps(_program_doc(package)).decode() if package.program else None,
    }


def _quiz_doc(package: fmt.Package) -> dict:
    from app.sharing.quizfile import quiz_document

    return quiz_document(package.quiz)


def _program_doc(package: fmt.Package) -> dict:
    from app.sharing.programfile import program_document

    return program_document(package.program)


def empty_content(*, slug: str, title: str, kind: str, language: str) -> dict[str, Any]:
    return {
        "slug": slug, "kind": kind, "title": title, "summary": "", "description": "",
        "language": language, "licence": "CC-BY-4.0",
        "audience": ["toppleder", "mellomleder", "forstelinjeleder"], "mandatory_for": [],
        "validity_months": None,
        "completion": {"attendance": kind == "seminar", "attendance_percent": None,
                       "quiz": False, "modules": kind != "seminar"},
        "based_on": None, "modules": [], "attachments": [], "quiz": None, "program": None,
    }


def start_draft(session: Session, *, course: Course, package: fmt.Package | None,
                base_version: str | None, actor: User | None, now: datetime,
                content: dict[str, Any] | None = None) -> PackageDraft:
    draft = session.scalar(sa.select(PackageDraft).where(PackageDraft.course_id == course.id))
    if draft is None:
        draft = PackageDraft(course_id=course.id, revision=0)
        session.add(draft)
    draft.content = content if content is not None else content_from(package)
    draft.base_version = base_version
    draft.revision += 1
    draft.changed = package is None or base_version is None
    draft.updated_at = now
    draft.updated_by_id = actor.id if actor else None
    session.flush()
    return draft


def content_of_course(course: Course) -> dict[str, Any]:
    """The content of a course that was never published as a package (made by hand)."""
    content = empty_content(slug=course.slug, title=course.title, kind=str(course.kind),
                            language=course.language)
    content.update({
        "summary": course.summary, "description": course.description,
        "licence": course.licence or "CC-BY-4.0", "validity_months": course.validity_months,
        "audience": sorted(course.audience_values, key=fmt.AUDIENCES.index)
        or content["audience"],
        "completion": {"attendance": course.completion_requires_attendance,
                       "attendance_percent": course.completion_attendance_percent,
                       "quiz": course.completion_requires_quiz,
                       "modules": course.completion_requires_modules},
        "modules": [{"name": m.source_name or f"{i:02d}-{slugify(m.title)}.md",
                     "title": m.title, "minutes": m.estimated_minutes,
                     "body": fmt.normalise_markdown(m.body or m.title)}
                    for i, m in enumerate(course.modules, start=1)],
    })
    return content


def current_draft(session: Session, *, course: Course, store: BlobStore) -> PackageDraft:
    """The course's draft; when there is none, an unsaved one made from what is published
    (reading a page never writes; the first save stores it)."""
    draft = session.scalar(sa.select(PackageDraft).where(PackageDraft.course_id == course.id))
    if draft is not None:
        return draft
    changed = False
    if course.source_version:
        content = content_from(course_package(session, course, store, with_quiz=False))
    else:
        content = content_of_course(course)
    # The quiz is edited in its own pages, straight in the quiz tables; taken as it is, so
    # that anything the format refuses shows among the draft's problems.
    quiz = quiz_toml(session, course)
    content["quiz"] = quiz.decode() if quiz else None
    if course.source_version:
        changed = content["quiz"] != published_quiz_toml(session, course, store)
    return PackageDraft(course_id=course.id, content=content, base_version=course.source_version,
                        revision=0, changed=changed)



def _conflict() -> ConflictError:
    return ConflictError("draft_changed",
                         _l("Utkastet er endret av noen andre siden du åpnet det. Last inn "
                            "siden på nytt og gjør endringen igjen."))


def _save(session: Session) -> None:
    """Write the draft now, so that a concurrent save shows as a conflict here."""
    try:
        session.flush()
    except (StaleDataError, IntegrityError) as error:
        raise _conflict() from error


def _touch(session: Session, draft: PackageDraft, revision: int, actor: User,
           now: datetime) -> dict[str, Any]:
    if revision != draft.revision:
        raise _conflict()
    session.add(draft)
    draft.revision += 1
    draft.changed = True
    draft.updated_at = now
    draft.updated_by_id = actor.id
    # A copy: SQLAlchemy sees a change to a JSON column only when the value is replaced.
    content = dict(draft.content)
    draft.content = content
    return content


def create_package(session: Session, *, actor: User, organisation: Organisation, title: str,
                   kind: str, language: str, now: datetime) -> Course:
    """A new, empty own course package; a draft course until it is first published."""
    from app.sharing.services import fork_uid

    slug = free_slug(session, slugify(title, "kurs"), organisation)
    course = Course(organisation_id=organisation.id, slug=slug, title=title,
                    kind=CourseKind(kind), language=language, status=CourseStatus.DRAFT,
                    licence="CC-BY-4.0", created_at=now)
    session.add(course)
    session.flush()
    row = Package(uid=fork_uid(session, organisation, slug), slug=slug,
                  publisher_organisation_id=organisation.id, scope=SharingScope.OWN,
                  title=title, licence="CC-BY-4.0", language=language, created_at=now,
                  updated_at=now)
    session.add(row)
    course.source_package_uid = row.uid
    start_draft(session, course=course, package=None, base_version=None, actor=actor, now=now,
                content=empty_content(slug=slug, title=title, kind=kind, language=language))
    audit(session, actor=actor, action="sharing.package_created", obj=course, uid=row.uid)
    return course


def save_details(session: Session, *, actor: User, draft: PackageDraft, revision: int,
                 details: dict[str, Any], now: datetime) -> None:
    content = _touch(session, draft, revision, actor, now)
    content.update({k: details[k] for k in (
        "title", "summary", "description", "language", "licence", "audience",
        "mandatory_for", "validity_months", "completion") if k in details})
    _save(session)


def _module_index(content: dict[str, Any], name: str) -> int:
    for index, module in enumerate(content["modules"]):
        if module["name"] == name:
            return index
    raise DomainError("module_not_found", _l("Fant ikke modulen."), status=404)


def save_module(session: Session, *, actor: User, draft: PackageDraft, revision: int,
                name: str | None, title: str, minutes: int | None, body: str,
                now: datetime) -> str:
    """Save a module's text; a new module (``name`` None) is added last. Its name."""
    content = _touch(session, draft, revision, actor, now)
    modules = [dict(m) for m in content["modules"]]
    entry = {"title": title.strip(), "minutes": minutes, "body": fmt.normalise_markdown(body)}
    if name is None:
        taken = {m["name"] for m in modules}
        number = len(modules) + 1
        name = f"{number:02d}-{slugify(title)}.md"
        while name in taken:
            number += 1
            name = f"{number:02d}-{slugify(title)}.md"
        modules.append({"name": name, **entry})
    else:
        modules[_module_index(content, name)].update(entry)
    content["modules"] = modules
    _save(session)
    return name


def move_module(session: Session, *, actor: User, draft: PackageDraft, revision: int,
                name: str, step: int, now: datetime) -> None:
    content = _touch(session, draft, revision, actor, now)
    modules = list(content["modules"])
    index = _module_index(content, name)
    target = max(0, min(len(modules) - 1, index + step))
    modules.insert(target, modules.pop(index))
    content["modules"] = modules
    _save(session)


def delete_module(session: Session, *, actor: User, draft: PackageDraft, revision: int,
                  name: str, now: datetime) -> None:
    content = _touch(session, draft, revision, actor, now)
    index = _module_index(content, name)
    content["modules"] = [m for i, m in enumerate(content["modules"]) if i != index]
    _save(session)


def add_attachment(session: Session, *, actor: User, draft: PackageDraft, revision: int,
                   filename: str, title: str, data: bytes, store: BlobStore,
                   now: datetime) -> str:
    stem, _, extension = filename.rpartition(".")
    extension = extension.lower()
    if extension not in ATTACHMENT_TYPES:
        raise DomainError("attachment_type", _l("Vedlegg kan være PDF, Word (docx), Excel "
                                                "(xlsx), PowerPoint (pptx), PNG eller SVG."),
                          field="file")
    if not data or len(data) > DEFAULT_LIMITS.max_attachment:
        raise DomainError("attachment_size", _l("Filen er tom eller større enn 50 MB."),
                          field="file")
    problem = fmt.attachment_type_problem(extension, data)
    if problem:
        raise DomainError("attachment_content", _l("Filen er ikke det filnavnet sier: %(problem)s",
                                                   problem=_l(problem)), field="file")
    name = f"{slugify(stem, 'vedlegg')}.{extension}"
    content = _touch(session, draft, revision, actor, now)
    attachments = [a for a in content["attachments"] if a["name"] != name]
    store.put(data, prefix="attachments")
    attachments.append({"name": name, "title": title.strip() or name, "sha256": fmt.sha256(data),
                        "size": len(data), "media_type": fmt.MEDIA_TYPES[extension]})
    content["attachments"] = attachments
    _save(session)
    return name


def delete_attachment(session: Session, *, actor: User, draft: PackageDraft, revision: int,
                      name: str, now: datetime) -> None:
    content = _touch(session, draft, revision, actor, now)
    content["attachments"] = [a for a in content["attachments"] if a["name"] != name]
    _save(session)


def save_toml_part(session: Session, *, actor: User, draft: PackageDraft, revision: int,
                   part: str, text: str, now: datetime) -> None:
    """Save the quiz or the programme as TOML, after checking it; empty text removes it."""
    text = text.replace("\r\n", "\n").strip()
    if text:
        collector = Collector()
        parser, file = (parse_quiz, QUIZ) if part == "quiz" else (parse_program, PROGRAM)
        parser(collector, text.encode(), file)
        collector.check()
    content = _touch(session, draft, revision, actor, now)
    content[part] = text + "\n" if text else None
    _save(session)


def next_version(session: Session, uid: str | None, bump: str) -> str:
    row = session.scalar(sa.select(Package).where(Package.uid == uid)) if uid else None
    latest = row.latest if row is not None else None
    if latest is None:
        return "1.0.0"
    major, minor, patch = latest.key
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def draft_files(content: dict[str, Any], *, uid: str, version: str, publisher: Organisation,
                published, change_note: str, store: BlobStore) -> dict[str, bytes]:
    """The files of the package the draft would publish."""
    files: dict[str, bytes] = {f"moduler/{m['name']}": m["body"].encode()
                               for m in content["modules"]}
    for a in content["attachments"]:
        files[f"vedlegg/{a['name']}"] = store.read(store.attachment_key(a["sha256"]))
    if content.get("quiz"):
        files[QUIZ] = content["quiz"].encode()
    if content.get("program"):
        files[PROGRAM] = content["program"].encode()
    based_on = content.get("based_on")
    manifest = fmt.Manifest(
        uid=uid, version=version, slug=content["slug"], kind=content["kind"],
        title=content["title"], summary=content["summary"],
        description=content["description"], language=content["language"],
        licence=content["licence"], published=published, change_note=change_note,
        publisher=fmt.Publisher(publisher.slug, publisher.name, str(publisher.kind),
                                publisher.org_number),
        audience=tuple(content["audience"]), mandatory_for=tuple(content["mandatory_for"]),
        validity_months=content["validity_months"],
        based_on=fmt.BasedOn(**based_on) if based_on else None,
        completion=fmt.Completion(**content["completion"]),
        modules=tuple(fmt.ModuleRef(f"moduler/{m['name']}", m["title"], m["minutes"])
                      for m in content["modules"]),
        attachments=tuple(fmt.AttachmentRef(f"vedlegg/{a['name']}", a["title"])
                          for a in content["attachments"]),
    )
    document = manifest_document(manifest, {})
    del document["checksums"]
    if not manifest.modules:
        document.pop("modules")
    files[MANIFEST] = dumps(document)
    return files


def check_draft(session: Session, *, course: Course, draft: PackageDraft,
                store: BlobStore) -> list:
    """Problems publishing would report now (empty when the draft is ready)."""
    try:
        fmt.parse_files(draft_files(draft.content, uid=course.source_package_uid or "no.x.utkast",
                                    version="1.0.0", publisher=course.organisation,
                                    published=None, change_note="", store=store))
    except PackageError as error:
        return list(error.problems)
    return []


def publish_draft(session: Session, *, actor: User, course: Course, draft: PackageDraft,
                  revision: int, bump: str, change_note: str, scope: SharingScope,
                  store: BlobStore, now: datetime):
    """Publish the draft as the next version (semantic version ``bump``)."""
    from app.sharing.services import _receive, fork_uid

    if revision != draft.revision:
        raise ConflictError("draft_changed",
                            _l("Utkastet er endret av noen andre siden du åpnet det. Last inn "
                               "siden på nytt."))
    if not change_note.strip():
        raise DomainError("change_note_missing", _l("Skriv hva som er endret."),
                          field="change_note")
    uid = course.source_package_uid or fork_uid(session, course.organisation, course.slug)
    version = next_version(session, uid, bump)
    files = draft_files(draft.content, uid=uid, version=version, publisher=course.organisation,
                        published=now.date(), change_note=change_note.strip(), store=store)
    package = fmt.parse_files(files)
    received = _receive(session, package=package, actor=actor, organisation=course.organisation,
                        store=store, now=now, scope=scope)
    draft.base_version = version
    draft.changed = False
    draft.revision += 1
    draft.updated_at = now
    draft.updated_by_id = actor.id
    # Added only now: a draft that was never saved (revision 0, made from what is
    # published) must not be flushed by a query inside _receive before its revision is 1.
    session.add(draft)
    _save(session)
    audit(session, actor=actor, action="sharing.published", obj=received.version,
          uid=uid, version=version, scope=str(scope))
    return received

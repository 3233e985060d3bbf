"""Receiving, importing, updating, forking, sharing and exporting course packages.

One function per state change, as everywhere here: the session, the acting user and
``now`` come in; nothing is committed; a refusal is a ``DomainError``. The HTML views,
the JSON API and the ``flask kurs`` commands all call these.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.accounts.models import Organisation, User
from app.accounts.scope import organisation_ids
from app.catalogue.models import Course
from app.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from app.security import audit
from app.sharing import package as fmt
from app.sharing.apply import apply_package, course_for, course_package
from app.sharing.archive import DEFAULT_LIMITS, Limits
from app.sharing.canonical import canonical_zip
from app.sharing.diff import Change, diff_packages
from app.sharing.models import Package, PackageVersion, SharingScope
from app.sharing.registry import register_version
from app.sharing.storage import BlobStore

log = logging.getLogger(__name__)

EDITOR = "editor"


@dataclass(frozen=True)
class Received:
    package: Package
    version: PackageVersion
    #: The course of the receiving organisation that now follows the package.
    course: Course | None
    #: A new version was stored (False: exactly this version was known already).
    new_version: bool
    #: "created", "updated" or "unchanged".
    course_action: str


def editor_organisations(user: User | None) -> set[int]:
    return organisation_ids(user, EDITOR)


def is_read_only(session: Session, course: Course) -> bool:
    """An imported partner course: its content follows the publisher's package and cannot
    be edited here unless it is forked into an own package."""
    if not course.source_package_uid:
        return False
    owner = session.scalar(sa.select(Package.publisher_organisation_id)
                           .where(Package.uid == course.source_package_uid))
    return owner is not None and owner != course.organisation_id


def _receive(session: Session, *, package: fmt.Package, actor: User | None,
             organisation: Organisation | None, store: BlobStore, now: datetime,
             scope: SharingScope | None) -> Received:
    registered = register_version(session, package=package, canonical=canonical_zip(package),
                                  store=store, actor=actor, now=now, scope=scope)
    version = registered.version
    row = version.package
    target = organisation or (actor.organisation if actor is not None else row.publisher)
    course = course_for(session, organisation=target, uid=row.uid, slug=row.slug)
    course, action = apply_package(session, course=course, organisation=target,
                                   package=package, store=store, now=now)
    audit(session, actor=actor, action="sharing.package_received", obj=course,
          uid=row.uid, version=version.version, course_action=action)
    return Received(row, version, course, registered.created, action)


def upload_package(session: Session, *, actor: User, data: bytes, store: BlobStore,
                   now: datetime, scope: SharingScope | None = None,
                   limits: Limits = DEFAULT_LIMITS) -> Received:
    """A zip uploaded by an editor (page or API): the publisher's own package is published;
    a package of an organisation that does not use this platform is imported as a
    read-only copy for the editor's organisation."""
    if actor.organisation_id not in editor_organisations(actor):
        raise ForbiddenError("not_editor", _l("Du må være redaktør for å laste opp kurspakker."))
    package = fmt.load_package(data, limits=limits)
    return _receive(session, package=package, actor=actor, organisation=None, store=store,
                    now=now, scope=scope)


def import_path(session: Session, *, path: Path, store: BlobStore, now: datetime,
                scope: SharingScope | None = None) -> Received:
    """``flask kurs import``: an operator imports a folder or zip for its publisher."""
    package = fmt.load_package(path)
    return _receive(session, package=package, actor=None, organisation=None, store=store,
                    now=now, scope=scope)


def visible_condition(organisation_id: int | None):
    """Packages an organisation may see: its own, those shared with partners or publicly,
    and those it has imported (it keeps seeing what its courses come from)."""
    shared = Package.scope.in_([SharingScope.PARTNERS, SharingScope.PUBLIC])
    if organisation_id is None:
        return Package.scope == SharingScope.PUBLIC
    imported = sa.exists().where(Course.organisation_id == organisation_id,
                                 Course.source_package_uid == Package.uid)
    return sa.or_(Package.publisher_organisation_id == organisation_id, shared, imported)


def visible_version(session: Session, *, uid: str, version: str,
                    organisation_id: int | None) -> PackageVersion:
    found = session.scalar(
        sa.select(PackageVersion).join(Package)
        .where(Package.uid == uid, PackageVersion.version == version,
               visible_condition(organisation_id)))
    if found is None:
        raise NotFoundError("package_not_found", _l("Fant ikke pakken."))
    return found


def stored_package(version: PackageVersion, store: BlobStore) -> fmt.Package:
    return fmt.load_package(store.read(version.storage_key))


def import_version(session: Session, *, actor: User, version: PackageVersion,
                   store: BlobStore, now: datetime) -> Received:
    """Import a partner's version from the catalogue as the editor's organisation's
    course (or update the copy it already has to this version)."""
    visible_version(session, uid=version.package.uid, version=version.version,
                    organisation_id=actor.organisation_id)
    if actor.organisation_id not in editor_organisations(actor):
        raise ForbiddenError("not_editor", _l("Du må være redaktør for å importere kurs."))
    package = stored_package(version, store)
    organisation = actor.organisation
    course = course_for(session, organisation=organisation, uid=version.package.uid,
                        slug=version.package.slug)
    course, action = apply_package(session, course=course, organisation=organisation,
                                   package=package, store=store, now=now)
    audit(session, actor=actor, action="sharing.imported", obj=course,
          uid=version.package.uid, version=version.version, course_action=action)
    return Received(version.package, version, course, False, action)


def editable_course(session: Session, *, actor: User, slug: str) -> Course:
    """A course of the actor's organisation, for an editor (else not found)."""
    course = session.scalar(sa.select(Course).where(
        Course.slug == slug, Course.organisation_id.in_(editor_organisations(actor))))
    if course is None:
        raise NotFoundError("course_not_found", _l("Fant ikke kurset."))
    return course


@dataclass(frozen=True)
class Update:
    course: Course
    current: PackageVersion
    latest: PackageVersion
    changes: list[Change]


def pending_update(session: Session, *, course: Course, store: BlobStore) -> Update | None:
    """The newer version a course's source has published, with what changed; None when
    the course is up to date or not imported."""
    if not course.source_package_uid or not course.source_version:
        return None
    row = session.scalar(sa.select(Package).where(Package.uid == course.source_package_uid))
    if row is None or row.latest is None or row.latest.version == course.source_version:
        return None
    current = next((v for v in row.versions if v.version == course.source_version), None)
    latest = row.latest
    if current is None or latest.key <= current.key:
        return None
    changes = diff_packages(stored_package(current, store), stored_package(latest, store))
    return Update(course, current, latest, changes)


def update_course(session: Session, *, actor: User, course: Course, to_version: str,
                  store: BlobStore, now: datetime) -> Received:
    """Bring an imported course to a newer version of its source; enrolments, attendance,
    attempts and certificates stay as they are."""
    if course.organisation_id not in editor_organisations(actor):
        raise NotFoundError("course_not_found", _l("Fant ikke kurset."))
    update = pending_update(session, course=course, store=store)
    if update is None or update.latest.version != to_version:
        raise ConflictError("no_update", _l("Kurset er allerede oppdatert, eller det finnes en "
                                            "nyere versjon enn den du så. Last inn siden på "
                                            "nytt."))
    return import_version(session, actor=actor, version=update.latest, store=store, now=now)


def fork_uid(session: Session, organisation: Organisation, slug: str) -> str:
    base = f"no.{organisation.slug}.{slug}"[:110]
    uid, number = base, 2
    while session.scalar(sa.select(sa.exists().where(Package.uid == uid))):
        uid, number = f"{base}-{number}", number + 1
    return uid


def fork_course(session: Session, *, actor: User, course: Course, store: BlobStore,
                now: datetime) -> Package:
    """Turn an imported course into an own package with a new uid: it becomes editable,
    keeps its enrolments, and stops following its source."""
    from app.sharing.drafts import content_from, start_draft

    if course.organisation_id not in editor_organisations(actor):
        raise NotFoundError("course_not_found", _l("Fant ikke kurset."))
    if not is_read_only(session, course):
        raise ConflictError("not_imported", _l("Kurset er allerede deres eget og kan redigeres."))
    source = session.scalar(sa.select(Package).where(Package.uid == course.source_package_uid))
    if (course.licence or source.licence) in fmt.NO_DERIVATIVES:
        raise DomainError("licence_forbids_fork",
                          _l("Lisensen %(licence)s tillater ikke bearbeidelser, så kurset kan "
                             "ikke kopieres til en egen pakke.", licence=course.licence))
    published = course_package(session, course, store)
    organisation = course.organisation
    row = Package(uid=fork_uid(session, organisation, course.slug), slug=course.slug,
                  publisher_organisation_id=organisation.id, scope=SharingScope.OWN,
                  title=course.title, licence=published.manifest.licence,
                  language=course.language, forked_from_uid=source.uid,
                  forked_from_version=course.source_version,
                  forked_from_publisher=source.publisher.name, created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    course.source_package_uid = row.uid
    course.source_version = None
    content = content_from(published)
    content["slug"] = course.slug
    content["based_on"] = {"uid": source.uid, "version": row.forked_from_version,
                           "publisher": source.publisher.name}
    start_draft(session, course=course, package=published, base_version=None, actor=actor,
                now=now, content=content)
    audit(session, actor=actor, action="sharing.forked", obj=row, source=source.uid,
          source_version=row.forked_from_version)
    return row


def set_scope(session: Session, *, actor: User, package: Package, scope: SharingScope,
              now: datetime) -> Package:
    if package.publisher_organisation_id not in editor_organisations(actor):
        raise NotFoundError("package_not_found", _l("Fant ikke pakken."))
    if package.scope != scope:
        package.scope = scope
        package.updated_at = now
        audit(session, actor=actor, action="sharing.scope_changed", obj=package,
              scope=str(scope))
    return package


def export_course(session: Session, *, course: Course, store: BlobStore) -> bytes:
    """The course as a canonical zip under the version it follows, its quiz read from the
    quiz tables (see ``course_package``)."""
    return canonical_zip(course_package(session, course, store))

"""The package registry: who owns a uid, which versions exist, and storing a new one.

A uid belongs to the organisation that first published it. Versions are immutable and
only go forward: the same version with the same content is accepted again and changes
nothing; the same version with other content, or an older one, is refused.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts.models import Organisation, OrganisationKind, User
from app.errors import ConflictError, ForbiddenError
from app.security import audit
from app.sharing import package as fmt
from app.sharing.models import Package, PackageVersion, SharingScope
from app.sharing.storage import BlobStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Registered:
    version: PackageVersion
    #: False when exactly this version was known already (nothing changed).
    created: bool


def organisation_for(session: Session, publisher: fmt.Publisher) -> Organisation:
    """The publisher's organisation, created from the manifest when this platform does
    not know it yet (e.g. importing into an empty database)."""
    org = session.scalar(sa.select(Organisation).where(Organisation.slug == publisher.slug))
    if org is None:
        org = Organisation(slug=publisher.slug, name=publisher.name,
                           kind=OrganisationKind(publisher.kind),
                           org_number=publisher.org_number)
        session.add(org)
        session.flush()
        log.info("organisation created from a package manifest: %s", org.slug)
    return org


def has_members(session: Session, org: Organisation) -> bool:
    """Whether people of the organisation use this platform (then only they publish its
    packages); an organisation known only from manifests has none."""
    return bool(session.scalar(sa.select(sa.exists().where(User.organisation_id == org.id))))


def outline_of(package: fmt.Package) -> dict:
    outline: dict = {
        "modules": [[m.title, m.minutes] for m in package.modules],
        "attachments": [[a.title, a.name, a.size] for a in package.attachments],
    }
    if package.quiz is not None:
        outline["quiz"] = {"title": package.quiz.title, "questions": len(package.quiz.questions),
                           "pass_mark": package.quiz.pass_mark}
    if package.program is not None:
        outline["program"] = {"days": package.program.days,
                              "sessions": sum(s.kind == "session"
                                              for s in package.program.sessions)}
    return outline


def register_version(session: Session, *, package: fmt.Package, canonical: bytes,
                     store: BlobStore, actor: User | None, now: datetime,
                     scope: SharingScope | None = None) -> Registered:
    manifest = package.manifest
    publisher = organisation_for(session, manifest.publisher)
    row = session.scalar(sa.select(Package).where(Package.uid == manifest.uid))
    if row is not None and row.publisher_organisation_id != publisher.id:
        raise ForbiddenError(
            "package_owned_by_other",
            _l("Pakken %(uid)s tilhører %(owner)s. Bare de kan publisere nye versjoner av den.",
               uid=manifest.uid, owner=row.publisher.name))
    if actor is not None and actor.organisation_id != publisher.id and has_members(
            session, publisher):
        raise ForbiddenError(
            "package_not_yours",
            _l("Pakken er publisert av %(owner)s, som selv bruker denne løsningen. Importer "
               "den fra delingskatalogen i stedet for å laste den opp.", owner=publisher.name))

    digest = fmt.sha256(canonical)
    if row is not None:
        same = next((v for v in row.versions if v.version == manifest.version), None)
        if same is not None:
            if same.sha256 == digest:
                return Registered(same, created=False)
            raise ConflictError(
                "version_exists",
                _l("Versjon %(version)s av %(uid)s finnes allerede med annet innhold. Gi "
                   "endringene et nytt versjonsnummer.", version=manifest.version,
                   uid=manifest.uid))
        latest = row.latest
        if latest is not None and manifest.version_key < latest.key:
            raise ConflictError(
                "version_older",
                _l("Versjon %(version)s er eldre enn %(latest)s, som allerede er publisert. "
                   "Eldre versjoner tas ikke imot.", version=manifest.version,
                   latest=latest.version))

    if row is None:
        row = Package(uid=manifest.uid, publisher_organisation_id=publisher.id,
                      scope=scope or SharingScope.OWN, created_at=now)
        session.add(row)
    elif scope is not None:
        row.scope = scope
    row.slug = manifest.slug
    row.title = manifest.title
    row.licence = manifest.licence
    row.language = manifest.language
    based_on = manifest.based_on
    row.forked_from_uid = based_on.uid if based_on else None
    row.forked_from_version = based_on.version if based_on else None
    row.forked_from_publisher = based_on.publisher if based_on else None
    row.updated_at = now
    major, minor, patch = manifest.version_key
    version = PackageVersion(
        package=row, version=manifest.version, major=major, minor=minor, patch=patch,
        title=manifest.title, summary=manifest.summary, language=manifest.language,
        licence=manifest.licence, change_note=manifest.change_note, kind=manifest.kind,
        module_count=len(package.modules),
        question_count=len(package.quiz.questions) if package.quiz else 0,
        outline=outline_of(package), sha256=digest, size=len(canonical),
        storage_key=store.put(canonical, prefix="packages", suffix=".zip"),
        published_on=manifest.published, received_at=now,
        received_by_id=actor.id if actor is not None else None,
    )
    session.add(version)
    try:
        session.flush()
    except IntegrityError as error:
        # Someone published the same uid or version in the same moment.
        raise ConflictError("package_changed",
                            _l("Pakken ble endret samtidig av noen andre. Prøv igjen.")) from error
    # The collection is ordered by version when loaded; reload it with the new one in place.
    session.expire(row, ["versions"])
    audit(session, actor=actor, action="sharing.version_received", obj=version,
          uid=manifest.uid, version=manifest.version, sha256=digest)
    return Registered(version, created=True)

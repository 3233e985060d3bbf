"""What the catalogue pages show, each in a fixed, small number of statements."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from app.catalogue.models import Course
from app.sharing.models import Package, PackageVersion, SharingScope
from app.sharing.package import version_key
from app.sharing.services import visible_condition


@dataclass(frozen=True)
class Entry:
    package: Package
    latest: PackageVersion | None
    #: The viewer's organisation's course for this package, if it has one.
    course: Course | None

    @property
    def update_available(self) -> bool:
        return bool(self.course is not None and self.latest is not None
                    and self.course.source_version
                    and self.latest.key > version_key(self.course.source_version))


def _entries(session: Session, packages: list[Package], organisation_id: int) -> list[Entry]:
    uids = [p.uid for p in packages]
    courses = {c.source_package_uid: c for c in session.scalars(
        sa.select(Course).where(Course.organisation_id == organisation_id,
                                Course.source_package_uid.in_(uids)))} if uids else {}
    return [Entry(p, p.latest, courses.get(p.uid)) for p in packages]


def _packages(session: Session, *conditions) -> list[Package]:
    return list(session.scalars(
        sa.select(Package).options(joinedload(Package.publisher),
                                   selectinload(Package.versions))
        .where(*conditions).order_by(Package.title, Package.id)).unique())


def partner_entries(session: Session, organisation_id: int) -> list[Entry]:
    """Packages other organisations share with this one (or it has imported)."""
    has_versions = sa.exists().where(PackageVersion.package_id == Package.id)
    return _entries(session, _packages(
        session, visible_condition(organisation_id),
        Package.publisher_organisation_id != organisation_id, has_versions), organisation_id)


def own_entries(session: Session, organisation_id: int) -> list[Entry]:
    return _entries(session, _packages(
        session, Package.publisher_organisation_id == organisation_id), organisation_id)


def public_entries(session: Session) -> list[Entry]:
    has_versions = sa.exists().where(PackageVersion.package_id == Package.id)
    packages = _packages(session, Package.scope == SharingScope.PUBLIC, has_versions)
    return [Entry(p, p.latest, None) for p in packages]


def package_entry(session: Session, uid: str, organisation_id: int) -> Entry | None:
    packages = _packages(session, Package.uid == uid, visible_condition(organisation_id))
    return _entries(session, packages, organisation_id)[0] if packages else None

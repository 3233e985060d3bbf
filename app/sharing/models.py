"""Packages and their versions, the package parts of a course, attachments and drafts."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalogue.models import Course
from app.extensions import db
from app.orm import enum_column, utcnow


class SharingScope(enum.StrEnum):
    #: Only the publishing organisation sees the package.
    OWN = "own"
    #: Every organisation on this platform (the partnership) sees it.
    PARTNERS = "partners"
    #: Partners, and anyone through the open catalogue and its downloads.
    PUBLIC = "public"


class Package(db.Model):
    """A course package, identified by its uid, owned by the organisation that first
    published it."""

    __tablename__ = "package"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(sa.String(120), unique=True)
    #: The package's own slug; a partner's imported copy may use another course slug.
    slug: Mapped[str] = mapped_column(sa.String(80))
    publisher_organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id"), index=True
    )
    scope: Mapped[SharingScope] = mapped_column(
        enum_column(SharingScope, name="sharing_scope"), default=SharingScope.OWN
    )
    #: Of the latest version (the catalogue lists these without opening the versions).
    title: Mapped[str] = mapped_column(sa.String(200))
    licence: Mapped[str] = mapped_column(sa.String(40))
    language: Mapped[str] = mapped_column(sa.String(8))
    #: The package this one was forked from (attribution, as CC-BY asks).
    forked_from_uid: Mapped[str | None] = mapped_column(sa.String(120))
    forked_from_version: Mapped[str | None] = mapped_column(sa.String(40))
    forked_from_publisher: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    publisher = relationship("Organisation")
    versions: Mapped[list[PackageVersion]] = relationship(
        back_populates="package", cascade="all, delete-orphan",
        order_by="(PackageVersion.major.desc(), PackageVersion.minor.desc(), "
                 "PackageVersion.patch.desc())",
    )

    @property
    def latest(self) -> PackageVersion | None:
        return self.versions[0] if self.versions else None

    def __repr__(self) -> str:
        return f"<Package {self.uid}>"


class PackageVersion(db.Model):
    """One published version: immutable, its canonical zip stored under KURS_STORAGE_DIR."""

    __tablename__ = "package_version"
    __table_args__ = (
        sa.UniqueConstraint("package_id", "version"),
        sa.UniqueConstraint("package_id", "major", "minor", "patch",
                            name="uq_package_version_semver"),
        sa.CheckConstraint("major >= 0 AND minor >= 0 AND patch >= 0", name="semver_parts"),
        sa.CheckConstraint("size > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(sa.ForeignKey("package.id", ondelete="CASCADE"),
                                            index=True)
    version: Mapped[str] = mapped_column(sa.String(40))
    major: Mapped[int]
    minor: Mapped[int]
    patch: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str] = mapped_column(sa.String(8))
    licence: Mapped[str] = mapped_column(sa.String(40))
    change_note: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[str] = mapped_column(sa.String(16), default="course")
    module_count: Mapped[int] = mapped_column(default=0)
    question_count: Mapped[int] = mapped_column(default=0)
    #: What the version holds, for pages that must not open the zip: module titles and
    #: minutes, attachment names and sizes, programme days and sessions.
    outline: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    #: SHA-256 of the canonical zip; equal content gives equal digests.
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int]
    #: Relative to KURS_STORAGE_DIR.
    storage_key: Mapped[str] = mapped_column(sa.String(255))
    #: The version's own date, from its manifest.
    published_on: Mapped[date | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    package: Mapped[Package] = relationship(back_populates="versions")

    @property
    def key(self) -> tuple[int, int, int]:
        return self.major, self.minor, self.patch


class CourseContent(db.Model):
    """The parts of a course's package that have no table of their own (yet): the
    leader levels it is meant to be mandatory for, its quiz and its programme, as
    canonical TOML. Export reads them back unchanged."""

    __tablename__ = "course_content"

    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course.id", ondelete="CASCADE"), primary_key=True
    )
    mandatory_for: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: Only on courses imported before the quiz tables were written from packages: the
    #: next import of the course's version moves it into the tables and clears it.
    quiz_toml: Mapped[str | None] = mapped_column(sa.Text)
    program_toml: Mapped[str | None] = mapped_column(sa.Text)

    course: Mapped[Course] = relationship()


class CourseAttachment(db.Model):
    """A file that belongs to a course (pdf, docx, xlsx, pptx, png, svg), served as a
    download only; the bytes live under KURS_STORAGE_DIR by their SHA-256."""

    __tablename__ = "course_attachment"
    __table_args__ = (
        sa.UniqueConstraint("course_id", "name"),
        sa.CheckConstraint("size > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"),
                                           index=True)
    position: Mapped[int]
    #: The file name in the package's vedlegg/ folder, e.g. "gevinstkart.pdf".
    name: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str] = mapped_column(sa.String(200))
    media_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))

    course: Mapped[Course] = relationship()


class PackageDraft(db.Model):
    """An editor's unpublished work on an own course: the whole package in progress.

    Participants never see it; publishing turns it into a new version. ``revision``
    rises with every save, so that two editors cannot overwrite each other unnoticed.
    """

    __tablename__ = "package_draft"
    __table_args__ = (sa.CheckConstraint("revision >= 1", name="revision_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"),
                                           unique=True)
    #: The package as edited (see app.sharing.drafts for its shape).
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    #: The published version the draft started from; None before the first publication.
    base_version: Mapped[str | None] = mapped_column(sa.String(40))
    revision: Mapped[int] = mapped_column(default=1)
    #: True once the draft differs from what is published.
    changed: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    course: Mapped[Course] = relationship()

    # Every UPDATE carries "WHERE revision = <the revision read>": of two editors who saved
    # the same revision at once, the second gets a conflict instead of overwriting.
    __mapper_args__ = {"version_id_col": revision, "version_id_generator": False}


#: An organisation has at most one course per package: its own, or its imported copy.
sa.Index("uq_course_organisation_package", Course.organisation_id, Course.source_package_uid,
         unique=True)

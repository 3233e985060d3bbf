"""Course, Module, the audience of a course, Requirement and module reading progress."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.orm import enum_column, utcnow


class CourseKind(enum.StrEnum):
    #: A course with offerings (classroom, online or self-paced).
    COURSE = "course"
    #: A day seminar (dagssamling): its offerings' sessions are the programme.
    SEMINAR = "seminar"


class CourseStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Audience(enum.StrEnum):
    """Whom a course is meant for; leader levels plus the IT project leader role."""

    TOP = "toppleder"
    MIDDLE = "mellomleder"
    FIRST_LINE = "forstelinjeleder"
    PROJECT_LEADER = "project_leader"
    #: Every employee, leader or not.
    EVERYONE = "everyone"


class RequirementGroup(enum.StrEnum):
    LEADER_LEVEL = "leader_level"
    PROJECT_LEADER = "project_leader"
    UNIT = "unit"


class Course(db.Model):
    __tablename__ = "course"
    __table_args__ = (
        sa.CheckConstraint(
            "validity_months IS NULL OR validity_months > 0", name="validity_positive"
        ),
        sa.CheckConstraint(
            "completion_attendance_percent IS NULL OR "
            "(completion_attendance_percent > 0 AND completion_attendance_percent <= 100)",
            name="attendance_percent_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The organisation that owns (offers and edits) the course.
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    kind: Mapped[CourseKind] = mapped_column(
        enum_column(CourseKind, name="course_kind"), default=CourseKind.COURSE
    )
    status: Mapped[CourseStatus] = mapped_column(
        enum_column(CourseStatus, name="course_status"), default=CourseStatus.DRAFT
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    #: One or two sentences for the catalogue.
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    #: Markdown, rendered with markdown-it-py and sanitised with nh3.
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: nb, nn or en.
    language: Mapped[str] = mapped_column(sa.String(8), default="nb")
    #: Months a completion stays valid; NULL: it never expires.
    validity_months: Mapped[int | None]
    # The completion rule (see app.certificates for how it is evaluated).
    #: All mandatory sessions of an offering attended (present or late).
    completion_requires_attendance: Mapped[bool] = mapped_column(default=False)
    #: Instead of "all mandatory": at least this share of the sessions attended.
    completion_attendance_percent: Mapped[int | None]
    #: The course's quiz passed.
    completion_requires_quiz: Mapped[bool] = mapped_column(default=False)
    #: Every module marked as read (self-paced courses).
    completion_requires_modules: Mapped[bool] = mapped_column(default=False)
    #: e.g. NLOD-2.0 or CC-BY-4.0; what partners may do with the content.
    licence: Mapped[str | None] = mapped_column(sa.String(40))
    # Provenance of an imported course (a copy that remembers its source).
    source_package_uid: Mapped[str | None] = mapped_column(sa.String(120), index=True)
    source_version: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation = relationship("Organisation")
    modules: Mapped[list[Module]] = relationship(
        back_populates="course", order_by="Module.position", cascade="all, delete-orphan"
    )
    audiences: Mapped[list[CourseAudience]] = relationship(
        back_populates="course", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def audience_values(self) -> set[str]:
        return {str(a.audience) for a in self.audiences}

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class CourseAudience(db.Model):
    __tablename__ = "course_audience"

    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course.id", ondelete="CASCADE"), primary_key=True
    )
    audience: Mapped[Audience] = mapped_column(
        enum_column(Audience, name="audience"), primary_key=True
    )

    course: Mapped[Course] = relationship(back_populates="audiences")


class Module(db.Model):
    __tablename__ = "module"
    __table_args__ = (
        sa.UniqueConstraint("course_id", "position"),
        sa.CheckConstraint("estimated_minutes IS NULL OR estimated_minutes >= 0",
                           name="minutes_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"),
                                           index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    #: Markdown (CommonMark), rendered without raw HTML and sanitised.
    body: Mapped[str] = mapped_column(sa.Text, default="")
    estimated_minutes: Mapped[int | None]
    #: The file name in the course package, e.g. "01-digital-strategi.md".
    source_name: Mapped[str | None] = mapped_column(sa.String(120))

    course: Mapped[Course] = relationship(back_populates="modules")


class ModuleRead(db.Model):
    """A person marked a module as read (progress, and the "all modules read" rule)."""

    __tablename__ = "module_read"
    __table_args__ = (sa.UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int] = mapped_column(
        sa.ForeignKey("module.id", ondelete="CASCADE"), index=True
    )
    read_at: Mapped[datetime] = mapped_column(default=utcnow)


class Requirement(db.Model):
    """What "mandatory" means: a course an organisation requires of a group of people.

    The group is a leader level, the IT project leader role, or everyone in a unit subtree.
    A person in the group must complete the course within ``due_months`` of joining it
    (``leader_since``, ``unit_since``). It is renewed when the completion expires
    (the course's ``validity_months``): an expired completion no longer satisfies it.
    """

    __tablename__ = "requirement"
    __table_args__ = (
        sa.CheckConstraint(
            "(group_kind = 'leader_level' AND leader_level IS NOT NULL AND unit_id IS NULL) OR "
            "(group_kind = 'project_leader' AND leader_level IS NULL AND unit_id IS NULL) OR "
            "(group_kind = 'unit' AND unit_id IS NOT NULL AND leader_level IS NULL)",
            name="group_consistent",
        ),
        sa.CheckConstraint("due_months IS NULL OR due_months >= 0", name="due_not_negative"),
        sa.Index("ix_requirement_org_course", "organisation_id", "course_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"),
                                           index=True)
    group_kind: Mapped[RequirementGroup] = mapped_column(
        enum_column(RequirementGroup, name="requirement_group")
    )
    #: For group_kind leader_level: toppleder, mellomleder or forstelinjeleder.
    leader_level: Mapped[str | None] = mapped_column(sa.String(32))
    #: For group_kind unit: everyone in this unit's subtree.
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"))
    #: Months after joining the group by which the course must be completed.
    due_months: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship()
    unit = relationship("Unit")

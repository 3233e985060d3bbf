"""The virtual toolbox (templates with versioned files) and the IT project register.

Files are never stored in the database: a row names a server-generated key under
``KURS_STORAGE_DIR`` (see ``app.toolbox.storage``).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.orm import enum_column, utcnow


class Category(enum.StrEnum):
    """The kinds of methodology document a project uses (and a template is for)."""

    MANDATE = "mandate"
    PROJECT_PLAN = "project_plan"
    BENEFITS_PLAN = "benefits_plan"
    COST_BENEFIT = "cost_benefit"
    RISK_ANALYSIS = "risk_analysis"
    ACQUISITION = "acquisition"
    STATUS_REPORT = "status_report"
    CLOSING_REPORT = "closing_report"


class Phase(enum.StrEnum):
    IDEA = "idea"
    PLANNING = "planning"
    ACQUISITION = "acquisition"
    INTRODUCTION = "introduction"
    OPERATION = "operation"
    CLOSED = "closed"


class Network(enum.StrEnum):
    #: The administrative network.
    TK_NETT = "tk_nett"
    #: The school network.
    ELEVNETT = "elevnett"
    NONE = "none"


class DocumentStatus(enum.StrEnum):
    #: The project means to use the template; nothing is attached yet.
    PLANNED = "planned"
    DRAFT = "draft"
    APPROVED = "approved"


#: Phases a project may only be in with an IT service representative when it buys for
#: TK-nett or elevnett (the purchase happens from the acquisition phase on).
PHASES_NEEDING_REPRESENTATIVE = ("acquisition", "introduction", "operation", "closed")

toolbox_item_session = sa.Table(
    "toolbox_item_session",
    db.metadata,
    sa.Column("item_id", sa.ForeignKey("toolbox_item.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("session_id", sa.ForeignKey("course_session.id", ondelete="CASCADE"),
              primary_key=True, index=True),
)


class ToolboxItem(db.Model):
    """A template or tool in the toolbox; its content lives in its file versions."""

    __tablename__ = "toolbox_item"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    #: Stable name, e.g. "risikoanalyse"; the starting templates are matched on it.
    slug: Mapped[str] = mapped_column(sa.String(80))
    title: Mapped[str] = mapped_column(sa.String(200))
    category: Mapped[Category] = mapped_column(enum_column(Category, name="toolbox_category"))
    #: Markdown: what the template is for and how to use it.
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: Markdown: where to learn more (Prosjektveiviseren, DFØ, NSM, Datatilsynet …).
    learn_more: Mapped[str] = mapped_column(sa.Text, default="")
    #: The person who keeps the template up to date.
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner = relationship("User", foreign_keys=[owner_id])
    versions: Mapped[list[ToolboxFile]] = relationship(
        back_populates="item", order_by="ToolboxFile.number.desc()",
        cascade="all, delete-orphan",
    )
    sessions = relationship("CourseSession", secondary=toolbox_item_session,
                            order_by="CourseSession.starts_at")


class ToolboxFile(db.Model):
    """One version of a template's file. Versions are never changed or removed."""

    __tablename__ = "toolbox_file"
    __table_args__ = (
        sa.UniqueConstraint("item_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        sa.CheckConstraint("size >= 0", name="size_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("toolbox_item.id", ondelete="CASCADE"))
    #: 1, 2, 3 … per item.
    number: Mapped[int]
    #: Relative to KURS_STORAGE_DIR, made by the server (never the uploader's name).
    storage_key: Mapped[str] = mapped_column(sa.String(255))
    #: The extension from the allow-list (pdf, docx, xlsx, pptx, png, svg, md, txt).
    extension: Mapped[str] = mapped_column(sa.String(8))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    #: The name the uploader's file had, cleaned; shown only, never used as a path.
    original_name: Mapped[str] = mapped_column(sa.String(200), default="")
    change_note: Mapped[str] = mapped_column(sa.Text, default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    item: Mapped[ToolboxItem] = relationship(back_populates="versions")
    uploaded_by = relationship("User", foreign_keys=[uploaded_by_id])


class ITProject(db.Model):
    """An IT project under way in a unit, with its people, network and documents."""

    __tablename__ = "it_project"
    __table_args__ = (
        sa.CheckConstraint(
            "starts_on IS NULL OR planned_end_on IS NULL OR planned_end_on >= starts_on",
            name="end_after_start",
        ),
        sa.CheckConstraint("buys_equipment_or_software OR network = 'none'",
                           name="network_only_when_buying"),
        # The founding document's measure 3, kept by the database as well: a project that
        # buys for TK-nett or elevnett has an IT service representative before it buys.
        sa.CheckConstraint(
            "network = 'none' OR NOT buys_equipment_or_software "
            "OR it_representative_id IS NOT NULL "
            "OR phase IN ('idea', 'planning')",
            name="representative_before_acquisition",
        ),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        sa.Index("ix_it_project_org_phase", "organisation_id", "phase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    phase: Mapped[Phase] = mapped_column(enum_column(Phase, name="project_phase"),
                                         default=Phase.IDEA)
    leader_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    it_representative_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: Where others reach the project (a shared mailbox, say); the leader's otherwise.
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(40))
    starts_on: Mapped[date | None]
    planned_end_on: Mapped[date | None]
    buys_equipment_or_software: Mapped[bool] = mapped_column(default=False)
    #: The network the bought equipment or software is for.
    network: Mapped[Network] = mapped_column(enum_column(Network, name="project_network"),
                                             default=Network.NONE)
    #: Optimistic lock: an edit states the version it saw (conflict -> 409).
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit = relationship("Unit")
    leader = relationship("User", foreign_keys=[leader_id])
    owner = relationship("User", foreign_keys=[owner_id])
    it_representative = relationship("User", foreign_keys=[it_representative_id])
    documents: Mapped[list[MethodologyDocument]] = relationship(
        back_populates="project", cascade="all, delete-orphan",
        order_by="MethodologyDocument.id",
    )


class MethodologyDocument(db.Model):
    """A methodology document of a project: which template, a link or a file, a status."""

    __tablename__ = "methodology_document"
    __table_args__ = (
        sa.CheckConstraint(
            "status = 'planned' OR url IS NOT NULL OR storage_key IS NOT NULL",
            name="attached_unless_planned",
        ),
        sa.CheckConstraint("url IS NULL OR storage_key IS NULL", name="link_or_file"),
        sa.Index("ix_methodology_document_project", "project_id", "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("it_project.id", ondelete="CASCADE")
    )
    category: Mapped[Category] = mapped_column(
        enum_column(Category, name="document_category")
    )
    #: The toolbox template the document is made from, when it is.
    toolbox_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("toolbox_item.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[DocumentStatus] = mapped_column(
        enum_column(DocumentStatus, name="document_status"), default=DocumentStatus.PLANNED
    )
    #: A link to the document where it lives (the archive, SharePoint …): http(s) only.
    url: Mapped[str | None] = mapped_column(sa.String(500))
    storage_key: Mapped[str | None] = mapped_column(sa.String(255))
    file_name: Mapped[str | None] = mapped_column(sa.String(200))
    content_type: Mapped[str | None] = mapped_column(sa.String(100))
    size: Mapped[int | None]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[ITProject] = relationship(back_populates="documents")
    toolbox_item = relationship("ToolboxItem")

    @property
    def attached(self) -> bool:
        return self.status != DocumentStatus.PLANNED and bool(self.url or self.storage_key)


class ProjectRegisterSettings(db.Model):
    """The IT service's settings for an organisation's project register."""

    __tablename__ = "project_register_settings"

    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"),
                                                 primary_key=True)
    #: Representatives are chosen among the people in this unit's subtree.
    it_service_unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("unit.id", ondelete="SET NULL")
    )
    #: phase -> the document categories a project in that phase must have attached;
    #: NULL: the defaults of ``app.toolbox.rules.DEFAULT_REQUIRED_DOCUMENTS``.
    required_documents: Mapped[dict | None] = mapped_column(sa.JSON)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    it_service_unit = relationship("Unit")

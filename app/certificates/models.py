"""Completion, Certificate and the credential signing keys."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.orm import enum_column, utcnow


class CompletionSource(enum.StrEnum):
    #: The completion rule was met by attendance marks.
    ATTENDANCE = "attendance"
    #: … by passing the quiz.
    QUIZ = "quiz"
    #: … by reading every module.
    MODULES = "modules"
    #: … after a course import or a bulk update of facts.
    IMPORT = "import"
    #: Registered by HR: a course taken elsewhere, on paper, or before the system existed.
    EXTERNAL = "external"


class Completion(db.Model):
    """A person completed a course: recorded exactly once per round.

    ``number`` counts a person's completions of a course (1, then 2 when they renew); the
    unique constraint on (user, course, number) is what makes two simultaneous events record
    one completion.
    """

    __tablename__ = "completion"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "course_id", "number"),
        sa.CheckConstraint("number > 0", name="number_positive"),
        sa.CheckConstraint("expires_at IS NULL OR expires_at > completed_at",
                           name="expires_after_completion"),
        sa.Index("ix_completion_course_expires", "course_id", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(default=1)
    #: The offering whose sessions counted, for attendance-based completions.
    offering_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("offering.id", ondelete="SET NULL")
    )
    completed_at: Mapped[datetime]
    #: From the course's validity months; NULL: never expires.
    expires_at: Mapped[datetime | None]
    source: Mapped[CompletionSource] = mapped_column(
        enum_column(CompletionSource, name="completion_source")
    )
    #: External completions: where and how it was taken, and the proof seen by HR.
    evidence: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Recertification reminders sent (each at most once).
    reminded_90_at: Mapped[datetime | None]
    reminded_30_at: Mapped[datetime | None]

    user = relationship("User", foreign_keys=[user_id])
    course = relationship("Course")
    offering = relationship("Offering")


class Certificate(db.Model):
    """The certificate of a completion, frozen at issue.

    The texts printed on it are copied here when it is issued, and the PDF is stored under
    KURS_STORAGE_DIR with its SHA-256, so neither changes afterwards. Revoking keeps the row;
    reissuing makes a new certificate (new serial and code) that replaces the old one.
    """

    __tablename__ = "certificate"
    __table_args__ = (
        # At most one valid (unrevoked) certificate per completion.
        sa.Index(
            "uq_certificate_current", "completion_id", unique=True,
            sqlite_where=sa.text("revoked_at IS NULL"),
            postgresql_where=sa.text("revoked_at IS NULL"),
        ),
        sa.CheckConstraint(
            "(revoked_at IS NULL) = (revoke_reason IS NULL)", name="revoked_with_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    completion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("completion.id", ondelete="CASCADE"), index=True
    )
    #: Human-readable number printed on the certificate, e.g. "KB-2026-000042".
    serial: Mapped[str] = mapped_column(sa.String(32), unique=True)
    #: Unguessable (128 bits, URL-safe); the QR code and /verify/<code> use it.
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    issued_at: Mapped[datetime]
    #: When the course was completed, printed as the certificate's date: a completion
    #: registered by HR long after it happened, or a certificate reissued a year later,
    #: keeps the day of the completion. NULL on certificates issued before this was kept
    #: (they print their issue date, as they were drawn).
    completed_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    #: nb or en: the person's language when it was issued.
    language: Mapped[str] = mapped_column(sa.String(8))
    # Frozen texts: what the certificate says, whatever is renamed later.
    person_name: Mapped[str] = mapped_column(sa.String(200))
    course_title: Mapped[str] = mapped_column(sa.String(200))
    issuer_name: Mapped[str] = mapped_column(sa.String(200))
    hours: Mapped[float | None] = mapped_column(sa.Float)
    #: Relative to KURS_STORAGE_DIR.
    pdf_path: Mapped[str] = mapped_column(sa.String(255))
    pdf_sha256: Mapped[str] = mapped_column(sa.String(64))
    revoked_at: Mapped[datetime | None]
    revoke_reason: Mapped[str | None] = mapped_column(sa.Text)
    revoked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: The certificate this one was issued to replace.
    replaces_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("certificate.id", ondelete="SET NULL")
    )

    completion: Mapped[Completion] = relationship()

    @property
    def dated(self) -> datetime:
        """The date the certificate shows: the completion's, or the issue's on old ones."""
        return self.completed_at or self.issued_at


class SigningKey(db.Model):
    """An Ed25519 key for signed credentials. The private half is a file under
    KURS_STORAGE_DIR/keys/; the newest unretired key signs, every key stays in the JWKS so
    that credentials signed before a rotation still verify."""

    __tablename__ = "signing_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The raw public key, base64url without padding (the JWK's "x").
    public_x: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: No longer signs; still published so that older credentials verify.
    retired_at: Mapped[datetime | None]

"""Privacy provider of completions and certificates.

On anonymisation the completions and certificates stay (they are the statistics and the
certificate counts), the frozen name becomes "Anonymisert", the frozen PDFs (which print
the name) are deleted, and the verification page says the holder is anonymised.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.catalogue.models import Course
from app.certificates.models import Certificate, Completion
from app.privacy.registry import (
    ANONYMISED_NAME,
    AnonymiseContext,
    Handling,
    Provider,
    register,
    row,
)


def export_completions(session: Session, user) -> list[dict]:
    rows = session.execute(
        sa.select(Completion, Course.title).join(Course, Completion.course_id == Course.id)
        .where(Completion.user_id == user.id).order_by(Completion.completed_at))
    return [row(c, "number", "completed_at", "expires_at", "source", "evidence", course=title)
            for c, title in rows]


def export_certificates(session: Session, user) -> list[dict]:
    rows = session.scalars(
        sa.select(Certificate).join(Completion, Certificate.completion_id == Completion.id)
        .where(Completion.user_id == user.id).order_by(Certificate.issued_at))
    return [row(c, "serial", "code", "person_name", "course_title", "issuer_name",
                "issued_at", "expires_at", "revoked_at", "revoke_reason") for c in rows]


def anonymise(session: Session, user, ctx: AnonymiseContext) -> None:
    own = sa.select(Completion.id).where(Completion.user_id == user.id).scalar_subquery()
    paths = session.scalars(sa.select(Certificate.pdf_path)
                            .where(Certificate.completion_id.in_(own))).all()
    session.execute(sa.update(Completion).where(Completion.user_id == user.id)
                    .values(evidence=None).execution_options(synchronize_session=False))
    session.execute(sa.update(Certificate).where(Certificate.completion_id.in_(own))
                    .values(person_name=ANONYMISED_NAME, pdf_sha256="")
                    .execution_options(synchronize_session=False))
    # The PDF prints the name; it goes. (A crash before the commit leaves the row pointing
    # at a missing file: the person is already unreachable, and running again completes it.)
    for path in paths:
        (ctx.storage_dir / path).unlink(missing_ok=True)


register(Provider(
    domain="certificates",
    sections={"completions": export_completions, "certificates": export_certificates},
    columns={
        "completion.user_id": Handling(
            "completions", "kept (statistics, certificate counts); evidence text removed; "
            "certificates renamed 'Anonymisert' and their PDFs deleted"),
        "completion.recorded_by_id": Handling(
            None, "kept (an id)", why="completions this HR adviser registered for others"),
        "certificate.revoked_by_id": Handling(
            None, "kept (an id)", why="certificates this person revoked belong to others"),
    },
    mentions=("certificate.revoke_reason", "completion.evidence"),
    anonymise=anonymise,
))

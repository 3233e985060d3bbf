"""Anonymising a leaver: the person's name, address, employee number and free text go;
what statistics and certificate counts need stays, attached to a row called "Anonymisert".

Each domain's provider (``app.privacy.registry``) removes or scrubs its own rows; then the
name, address and employee number are replaced wherever free text may mention them (mails
to others, audit details, report filters); the person's own row is scrubbed last. Running it
again on an anonymised person changes nothing.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.errors import DomainError
from app.extensions import db
from app.privacy.guard import privileged
from app.privacy.registry import AnonymiseContext, providers
from app.security import audit

log = logging.getLogger(__name__)

#: What replaces a leaver's name, address or employee number inside other texts.
REPLACEMENT = "[anonymisert]"


def _needles(user: User) -> list[str]:
    found = [user.name, user.email, user.employee_number]
    # Very short values would match inside unrelated words.
    return sorted({n for n in found if n and len(n.strip()) >= 4}, key=len, reverse=True)


def name_parts(user: User) -> list[str]:
    """The parts of a name a viewer might have searched for ("Østgård-Kvål")."""
    parts = {p.strip(",.") for p in (user.name or "").split()}
    return sorted({p for p in parts if len(p) >= 3}, key=len, reverse=True)


def scrub_column(session: Session, column: sa.Column, needles: list[str], *where) -> int:
    """Replace each needle by REPLACEMENT in ``column`` (text or JSON) on both databases."""
    is_json = isinstance(column.type, sa.JSON)
    as_text = sa.cast(column, sa.Text) if is_json else column
    changed = 0
    for needle in needles:
        forms = [needle]
        if is_json:
            escaped = json.dumps(needle)[1:-1]  # how the JSON serialiser stored it
            forms = list(dict.fromkeys([escaped, needle]))
        for form in forms:
            value = sa.func.replace(as_text, form, REPLACEMENT)
            if is_json and session.get_bind().dialect.name != "sqlite":
                value = sa.cast(value, column.type)
            changed += session.execute(
                sa.update(column.table).where(as_text.contains(form, autoescape=True), *where)
                .values({column.name: value})
            ).rowcount or 0
    return changed


def scrub_mentions(session: Session, user: User) -> int:
    """Replace the person's name, address and employee number in every declared free-text
    column (``Provider.mentions``)."""
    needles = _needles(user)
    tables = db.metadata.tables
    changed = 0
    with privileged(session, "anonymisation"):
        for provider in providers():
            for ref in provider.mentions:
                table, column = ref.split(".")
                changed += scrub_column(session, tables[table].c[column], needles)
    return changed


def anonymise_person(session: Session, *, actor, user: User, now, storage_dir: Path) -> bool:
    """Anonymise ``user``. Returns False when they already were (nothing changes)."""
    if user.anonymised_at is not None:
        return False
    if actor is not None and actor.id == user.id:
        raise DomainError("anonymise_self", _l("Du kan ikke anonymisere deg selv."))
    if user.is_service_account:
        raise DomainError("anonymise_service",
                          _l("Tjenestekontoer har ingen personopplysninger å anonymisere."))
    ctx = AnonymiseContext(now=now, storage_dir=Path(storage_dir), actor=actor)
    ordered = providers()
    for provider in ordered:
        if provider.anonymise and not provider.last:
            provider.anonymise(session, user, ctx)
    session.flush()
    mentions = scrub_mentions(session, user)
    for provider in ordered:
        if provider.anonymise and provider.last:
            provider.anonymise(session, user, ctx)
    audit(session, actor=actor, action="privacy.anonymised", obj=user, mentions=mentions)
    session.flush()
    log.info("anonymised user=%s actor=%s mentions=%s", user.id, getattr(actor, "id", None),
             mentions)
    return True

"""The access log is append-only for the application.

Any ORM update or delete of an ``AccessLog`` / ``AccessLogSubject`` row (through the unit
of work or a bulk ``update()``/``delete()``) raises :class:`AppendOnlyError`. The two
privileged paths run inside :func:`privileged`: the retention purge (``flask privacy
purge``) removes rows older than their period, and the anonymisation of a leaver replaces
their name inside the filters viewers typed. Both are documented in SECURITY.md.
"""

from __future__ import annotations

import contextlib

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.privacy.models import AccessLog, AccessLogSubject

APPEND_ONLY = (AccessLog, AccessLogSubject)
APPEND_ONLY_TABLES = frozenset(m.__tablename__ for m in APPEND_ONLY)
_KEY = "kurs_privacy_privileged"


class AppendOnlyError(RuntimeError):
    """Someone tried to change or delete an access-log row."""


@contextlib.contextmanager
def privileged(session: Session, reason: str):
    """Let ``reason`` (purge, anonymisation) change the access log for a moment."""
    previous = session.info.get(_KEY)
    session.info[_KEY] = reason
    try:
        yield
    finally:
        if previous is None:
            session.info.pop(_KEY, None)
        else:
            session.info[_KEY] = previous


@sa.event.listens_for(Session, "before_flush")
def _no_changes_through_the_unit_of_work(session, flush_context, instances):
    if session.info.get(_KEY):
        return
    for obj in session.deleted:
        if isinstance(obj, APPEND_ONLY):
            raise AppendOnlyError(f"{type(obj).__name__} rows are never deleted")
    for obj in session.dirty:
        if isinstance(obj, APPEND_ONLY) and session.is_modified(obj):
            raise AppendOnlyError(f"{type(obj).__name__} rows are never changed")


@sa.event.listens_for(Session, "do_orm_execute")
def _no_bulk_changes(state):
    if not (state.is_update or state.is_delete) or state.session.info.get(_KEY):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in APPEND_ONLY_TABLES:
        raise AppendOnlyError(f"{table.name} rows are never changed or deleted")

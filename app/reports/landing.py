"""The report landing page's figures, kept briefly so that opening /rapporter does not
aggregate every person in reach on every request.

What is kept: the coverage (``parts.coverage``) and the key-figure row
(``queries.summary_statement``) of one reader and one set of filters, in the worker that
computed them (one store per process; the key names the app and its database).

When it is thrown away (the invalidation, design.md §9):

* **Any change to the data the figures read, in this worker**: every flush of an ORM
  object and every ORM ``INSERT``/``UPDATE``/``DELETE`` statement clears the whole store,
  except writes to the bookkeeping tables in ``IGNORED_TABLES`` (the access log that every
  report view writes, the audit trail, login attempts, the outbox, the job queue, tokens).
* **After ``MAX_AGE``**, whatever happened: figures depend on the clock (expired, expiring
  within 30 days, deadlines passed), and another worker's writes are not seen here. The
  page says when its figures were computed.
* The key holds the reader's id, session version and role assignments, so a reader whose
  roles change never sees figures of the reach they had; the permission check and the
  access log run on every request regardless.

The report pages behind the landing page (coverage, gaps, expiry …) and every file are
computed fresh on each request.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.database import flushed_tables, written_table
from app.reports import parts, queries
from app.reports.rules import Cell
from app.reports.scope import Filters

MAX_AGE = timedelta(seconds=60)
#: Readers × filters kept per worker; the oldest go first.
MAX_ENTRIES = 512
#: Tables whose writes never change a report figure.
IGNORED_TABLES = frozenset({
    "access_log", "access_log_subject", "audit_event", "login_attempt", "outbox_email",
    "job", "api_token",
})


@dataclass(frozen=True)
class Totals:
    """What the landing page shows of the coverage: the required courses with their totals
    over everyone in reach (the unit tree itself is the coverage page's and is not kept:
    a few kilobytes per entry instead of megabytes)."""

    #: (id, slug, title) of the required courses.
    courses: list[tuple]
    totals: dict[int, Cell]
    people: int
    #: The reader reaches at least one unit (else the page says they see none).
    has_units: bool

    def total(self, course_id: int) -> Cell:
        return self.totals.get(course_id, Cell())

    @classmethod
    def of(cls, coverage: parts.Coverage) -> Totals:
        return cls(coverage.courses, {c[0]: coverage.total(c[0]) for c in coverage.courses},
                   coverage.people, bool(coverage.roots))


@dataclass(frozen=True)
class Landing:
    coverage: Totals
    #: The row of ``queries.summary_statement``.
    summary: tuple
    computed_at: datetime
    #: The page's figures rendered from these, per (language, script root, organisations
    #: on offer): kept and thrown away with them (``app.reports.views.index``).
    rendered: dict = field(default_factory=dict, compare=False, repr=False)


class _Store:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: dict[tuple, Landing] = {}

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


_STORE = _Store()


def forget() -> None:
    """Throw every kept figure away (what a write to the data does)."""
    _STORE.clear()


def _key(user: User, filters: Filters) -> tuple:
    roles = tuple(sorted((str(r.role), r.organisation_id, r.unit_id or 0) for r in user.roles))
    app = current_app._get_current_object()  # noqa: SLF001
    return (id(app), str(app.config.get("SQLALCHEMY_DATABASE_URI")), user.id,
            user.session_version, roles,
            json.dumps(filters.as_dict(), sort_keys=True, default=str))


def landing(session: Session, user: User, filters: Filters, *, now: datetime) -> Landing:
    """The landing page's figures for ``user`` and ``filters`` as of ``now`` (at most
    ``MAX_AGE`` older, and never older than this worker's last write to the data)."""
    store, key = _STORE, _key(user, filters)
    with store.lock:
        kept = store.entries.get(key)
    if kept is not None and timedelta(0) <= now - kept.computed_at < MAX_AGE:
        return kept
    coverage = parts.coverage(session, user, filters, now=now)
    summary = tuple(session.execute(queries.summary_statement(user, filters, now=now)).one())
    fresh = Landing(Totals.of(coverage), summary, now)
    with store.lock:
        store.entries.pop(key, None)
        while len(store.entries) >= MAX_ENTRIES:
            store.entries.pop(next(iter(store.entries)))
        store.entries[key] = fresh
    return fresh


# Invalidation --------------------------------------------------------------------------


@sa.event.listens_for(Session, "after_flush")
def _after_flush(session, _context) -> None:
    if flushed_tables(session) - IGNORED_TABLES:
        forget()


@sa.event.listens_for(Session, "do_orm_execute")
def _on_orm_statement(state) -> None:
    table = written_table(state)
    if table is not None and table not in IGNORED_TABLES:
        forget()

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
  first request after it is still shown the kept figures while one thread of the worker
  computes new ones (about a second at 14,000 employees, which no reader should wait
  for every minute); figures older than ``STALE_LIMIT`` are never shown, and a reader
  whose kept figures are gone (a write, a new worker) waits for fresh ones. The page
  says when its figures were computed. ``KURS_REPORT_REFRESH_IN_BACKGROUND = False``
  computes them in the request instead.
* The key holds the reader's id, session version and role assignments, so a reader whose
  roles change never sees figures of the reach they had; the permission check and the
  access log run on every request regardless.

The report pages behind the landing page (coverage, gaps, expiry …) and every file are
computed fresh on each request.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.database import flushed_tables, write_intent, written_table
from app.extensions import db
from app.orm import utcnow
from app.reports import parts, queries
from app.reports.rules import Cell
from app.reports.scope import Filters

log = logging.getLogger(__name__)

#: Figures this old are computed again (in the background while the kept ones are shown).
MAX_AGE = timedelta(seconds=60)
#: Figures are never shown older than this.
STALE_LIMIT = timedelta(minutes=5)
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


class _Store:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: dict[tuple, Landing] = {}
        #: Raised by every clearing: figures computed from reads begun before it are not kept.
        self.generation = 0
        #: Keys whose figures a background thread is computing.
        self.refreshing: set[tuple] = set()

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.generation += 1

    def put(self, key: tuple, fresh: Landing, generation: int) -> None:
        with self.lock:
            if generation != self.generation:
                return
            self.entries.pop(key, None)
            while len(self.entries) >= MAX_ENTRIES:
                self.entries.pop(next(iter(self.entries)))
            self.entries[key] = fresh


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


def _compute(session: Session, user: User, filters: Filters, now: datetime) -> Landing:
    coverage = parts.coverage(session, user, filters, now=now)
    summary = tuple(session.execute(queries.summary_statement(user, filters, now=now)).one())
    return Landing(Totals.of(coverage), summary, now)


def landing(session: Session, user: User, filters: Filters, *, now: datetime) -> Landing:
    """The landing page's figures for ``user`` and ``filters`` as of ``now``: at most
    ``MAX_AGE`` older, or at most ``STALE_LIMIT`` older while new ones are being computed,
    and never older than this worker's last write to the data."""
    store, key = _STORE, _key(user, filters)
    with store.lock:
        kept = store.entries.get(key)
        generation = store.generation
    age = now - kept.computed_at if kept is not None else None
    if age is not None and timedelta(0) <= age < MAX_AGE:
        return kept
    if (age is not None and timedelta(0) <= age < STALE_LIMIT
            and current_app.config.get("KURS_REPORT_REFRESH_IN_BACKGROUND", True)):
        _refresh_in_background(key, user.id, filters, generation)
        return kept
    fresh = _compute(session, user, filters, now)
    store.put(key, fresh, generation)
    return fresh


def _refresh_in_background(key: tuple, user_id: int, filters: Filters,
                           generation: int) -> threading.Thread | None:
    """Start one thread computing the figures of ``key`` (none if one is already at it)."""
    with _STORE.lock:
        if key in _STORE.refreshing:
            return None
        _STORE.refreshing.add(key)
    app = current_app._get_current_object()  # noqa: SLF001
    thread = threading.Thread(target=_refresh, args=(app, key, user_id, filters, generation),
                              name="report-landing-refresh", daemon=True)
    try:
        thread.start()
    except RuntimeError:  # no thread to be had (the interpreter shutting down)
        with _STORE.lock:
            _STORE.refreshing.discard(key)
        return None
    return thread


def _refresh(app: Flask, key: tuple, user_id: int, filters: Filters, generation: int) -> None:
    """The figures of ``key`` computed in their own session. The reader is loaded again:
    if they are gone or their roles changed since, nothing is kept. Its transaction only
    reads: on SQLite it must not hold the writers' lock for the second it takes."""
    write_intent.set(False)  # this thread's own context
    try:
        with app.app_context():
            session = db.session
            reader = session.get(User, user_id)
            if reader is not None and reader.active and _key(reader, filters) == key:
                _STORE.put(key, _compute(session, reader, filters, utcnow()), generation)
    except Exception:  # the next request computes them itself
        log.exception("the report landing's figures could not be computed in the background")
    finally:
        with _STORE.lock:
            _STORE.refreshing.discard(key)


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

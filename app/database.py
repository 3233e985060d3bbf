"""Engine set-up: SQLite pragmas, write transactions that lock early, query counting.

SQLite serialises writers. A transaction that starts as a reader and later writes can fail
with "database is locked" instead of waiting, so every transaction that may write starts
with ``BEGIN IMMEDIATE``: requests with an unsafe method, CLI commands and jobs. Read-only
requests (GET) start a plain deferred ``BEGIN`` and never block the writers (WAL mode).
The reads that only establish who is asking (the API's bearer token) run before the write
transaction, in a read transaction of their own (``before_the_write_lock``), and writers
wait for each other on a lock file rather than in SQLite's sleeping busy handler
(``WriterQueue``).
"""

from __future__ import annotations

import fcntl
import os
import re
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, request

from app.extensions import db

#: True when the current unit of work may write. Requests set it from their method;
#: outside a request (CLI, jobs, tests) it stays True.
write_intent: ContextVar[bool] = ContextVar("write_intent", default=True)

SQLITE_BUSY_TIMEOUT_MS = 15000


def engine_options(config) -> dict:
    """The engine options for the configured database. SQLite has no server to lose a
    connection to: a pre-ping there is a wasted statement at the start of every request
    (about a tenth of a static page's time), so it stays for PostgreSQL only, whose
    connections start with ``KURS_POSTGRES_OPTIONS`` unless the engine options name
    their own."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    url = str(config.get("SQLALCHEMY_DATABASE_URI", ""))
    if url.startswith("sqlite"):
        options.pop("pool_pre_ping", None)
    elif url.startswith("postgresql") and config.get("KURS_POSTGRES_OPTIONS"):
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("options", config["KURS_POSTGRES_OPTIONS"])
        options["connect_args"] = connect_args
    return options


def configure_engine(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, in_memory=engine.url.database in (None, "", ":memory:"))
    elif engine.dialect.name == "postgresql":
        _configure_postgresql(engine)

    @app.before_request
    def _set_write_intent():
        write_intent.set(request.method not in ("GET", "HEAD", "OPTIONS"))


def _configure_sqlite(engine: sa.Engine, *, in_memory: bool) -> None:
    queue = None if in_memory else WriterQueue(engine.url.database + "-writers")

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, record):
        if queue is not None:
            queue.attach(record)
        # Take transaction control away from pysqlite so that BEGIN is ours to emit
        # (SQLAlchemy's documented recipe for SAVEPOINT and BEGIN IMMEDIATE on SQLite).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):
        if not write_intent.get():
            connection.exec_driver_sql("BEGIN")
            return
        if queue is not None:
            queue.enter(connection.connection.info)
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    if queue is not None:
        for name in ("commit", "rollback"):
            sa.event.listen(engine, name,
                            lambda connection: queue.leave(connection.connection.info))

        @sa.event.listens_for(engine.pool, "reset")
        def _on_reset(_dbapi_connection, connection_record, _reset_state):
            queue.leave(connection_record.info)

        sa.event.listen(engine.pool, "close", lambda _dbapi, record: queue.detach(record.info))


#: A keyword of a data-modifying statement, as SQLAlchemy writes it (in a ``WITH`` that
#: ends in ``SELECT … FOR UPDATE`` it matches too: taken for a write, the safe side).
_WRITE_KEYWORD = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b")


def only_reads(statement: str) -> bool:
    """True for a plain ``SELECT`` (one that locks rows writes nothing either), or a
    ``WITH … SELECT`` whose common table expressions write nothing."""
    if statement.startswith("SELECT"):
        return True
    return statement.startswith("WITH") and not _WRITE_KEYWORD.search(statement)


def _configure_postgresql(engine: sa.Engine) -> None:
    """A transaction that wrote nothing ends in ``COMMIT`` instead of ``ROLLBACK``.

    For such a transaction the two are the same on the server, but psycopg forgets every
    statement it has prepared on the connection after a ``ROLLBACK``. Every GET request
    ended in one (the session's close), so no statement was ever prepared: PostgreSQL
    parsed and planned the person's load and every page's statements anew on each request.
    Any statement but a plain ``SELECT`` (or a ``WITH … SELECT`` that names no write), and
    any error, keeps the real rollback.
    """
    from psycopg.pq import TransactionStatus

    # The driver's connections whose transaction has only read so far.
    read_only: weakref.WeakSet = weakref.WeakSet()
    rollback = engine.dialect.do_rollback

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):
        read_only.add(connection.connection.dbapi_connection)

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _on_execute(connection, _cursor, statement, _parameters, _context, _executemany):
        if not only_reads(statement):
            read_only.discard(connection.connection.dbapi_connection)

    def do_rollback(connection) -> None:
        raw = connection.dbapi_connection
        if raw in read_only:
            read_only.discard(raw)
            if raw.info.transaction_status == TransactionStatus.INTRANS:
                raw.commit()
                return
        rollback(connection)

    engine.dialect.do_rollback = do_rollback


class WriterQueue:
    """Writers of one SQLite file wait for each other on a lock file, not in SQLite.

    SQLite's busy handler retries a locked database after sleeping 1, 2, 5, 10, 15 … ms,
    so a writer that finds the lock taken usually sleeps past its release, and the writer
    that held it takes it again: the second worker mostly waits. A blocking ``flock`` is
    granted the moment the holder lets go. Each connection has its own descriptor, so
    connections of one process queue like those of two. The lock is taken before
    ``BEGIN IMMEDIATE`` and given back when the transaction ends; a writer that cannot
    get it within the busy timeout goes on to SQLite's own waiting.
    """

    POLL_S = 0.0002

    def __init__(self, path: str) -> None:
        self.path = path

    def attach(self, record) -> None:
        record.info["writers_fd"] = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)

    def detach(self, info) -> None:
        fd = info.pop("writers_fd", None)
        info.pop("writers_held", None)
        if fd is not None:
            os.close(fd)

    def enter(self, info) -> None:
        fd = info.get("writers_fd")
        if fd is None or info.get("writers_held"):
            return
        deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return
                time.sleep(self.POLL_S)
            else:
                info["writers_held"] = True
                return

    def leave(self, info) -> None:
        if info.pop("writers_held", None):
            fcntl.flock(info["writers_fd"], fcntl.LOCK_UN)


@contextmanager
def before_the_write_lock(session) -> Iterator[None]:
    """Run the reads inside (who is asking) ahead of a request's write transaction.

    On SQLite they run in a read transaction of their own that ends before the write
    transaction takes the lock, so writers queue for less time; what they loaded stays
    loaded (it is as current as it would be on PostgreSQL, whose reads never wait for a
    lock). Elsewhere, in read requests, or inside a transaction already begun, they run
    as they are.
    """
    own = session()  # the scoped session's Session of this request
    if (not write_intent.get() or own.in_transaction()
            or own.get_bind().dialect.name != "sqlite"):
        yield
        return
    intent = write_intent.set(False)
    try:
        yield
    finally:
        write_intent.reset(intent)
    if own.in_transaction():
        commit_keeping_loaded(session)


def commit_keeping_loaded(session) -> None:
    """Commit without expiring what the session has loaded, for a transaction that wrote
    nothing it loaded: its reads alone, or a log row. The objects stay as they were read
    (a person kept between requests among them, app.accounts.identity)."""
    own = session()  # the scoped session's Session of this request
    expire = own.expire_on_commit
    own.expire_on_commit = False
    try:
        own.commit()
    finally:
        own.expire_on_commit = expire


def end_the_reads_before_writing(session) -> None:
    """Before a read request writes (the access log), end its reads on SQLite.

    A SQLite transaction that has read cannot always go on to write: when another worker
    has committed since, SQLite refuses the write at once ("database is locked") instead of
    waiting, so the write gets a transaction of its own. PostgreSQL writes in the same
    transaction, which saves a checkout's ping, a COMMIT and a BEGIN.
    """
    own = session()  # the scoped session's Session of this request
    if own.get_bind().dialect.name == "sqlite":
        commit_keeping_loaded(session)


def flushed_tables(session) -> set[str]:
    """The tables a flush writes, in an ``after_flush`` listener (where SQLAlchemy's
    ``new``, ``dirty`` and ``deleted`` still hold the flushed objects)."""
    return {getattr(getattr(item, "__table__", None), "name", "")
            for items in (session.new, session.dirty, session.deleted) for item in items}


def written_table(state) -> str | None:
    """The table an ORM ``INSERT``/``UPDATE``/``DELETE`` statement writes (in a
    ``do_orm_execute`` listener); None for any other statement, or one without a table."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    return getattr(getattr(state.statement, "table", None), "name", None) or "?"


def database_status() -> str:
    """"ok" when a trivial query answers, else "unavailable"."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return "unavailable"
    return "ok"


# Schema migrations ---------------------------------------------------------------------

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def enable_migrations(app: Flask) -> None:
    """Bind Flask-Migrate to ``app``, once. It loads Alembic and Mako (about 11 MB), which
    only ``flask db …`` and in-process migrations need, never a web worker (design.md §9,
    M1); ``flask_migrate.upgrade()`` and friends work in the app's context after this."""
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    Migrate(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True)


class MigrationCommands(click.Command):
    """``flask db …``: stands in the command line's list for Flask-Migrate's command group,
    which is loaded and takes over when the command line reaches it (its help, or one of
    its commands)."""

    def __init__(self, app: Flask) -> None:
        super().__init__("db", help="Database migrations (Alembic, through Flask-Migrate).")
        self._app = app

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        enable_migrations(self._app)
        from flask_migrate.cli import db as commands

        return commands.make_context(info_name, args, parent=parent, **extra)

"""SQLite's writers queue for the write lock and go on the moment it is free; on
PostgreSQL a transaction that only read ends in COMMIT, so the connection keeps the
statements psycopg prepared, and every other transaction is really rolled back."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from app import create_app
from app.database import (
    end_the_reads_before_writing,
    engine_options,
    only_reads,
    write_intent,
)
from app.extensions import db
from tests.conftest import POSTGRES_URL, make_config, throwaway_postgres_database


def _app_engine(url: str, tmp_path, table: str) -> sa.Engine:
    """The engine of an app on ``url``, with one scratch table."""
    app = create_app(make_config(url, str(tmp_path / "files")))
    with app.app_context():
        engine = db.engine
    with engine.begin() as connection:
        connection.exec_driver_sql(table)
    return engine


@pytest.fixture
def engine(tmp_path):
    engine = _app_engine(f"sqlite:///{tmp_path}/kurs.db", tmp_path,
                         "CREATE TABLE mark (who TEXT, at REAL)")
    yield engine
    engine.dispose()


def _write(engine, who: str, events: list, hold_s: float = 0.0) -> None:
    with engine.connect() as connection:
        connection.begin()
        events.append((who, "in", time.monotonic()))
        connection.exec_driver_sql(f"INSERT INTO mark VALUES ('{who}', 0)")
        time.sleep(hold_s)
        events.append((who, "commits", time.monotonic()))
        connection.commit()
        events.append((who, "out", time.monotonic()))


def test_a_second_writer_waits_for_the_first_and_goes_on_once_it_commits(engine):
    events: list = []
    # SQLite's own busy handler would retry 228 and 328 ms into the wait, then every 100 ms
    first = threading.Thread(target=_write, args=(engine, "first", events, 0.36))
    first.start()
    while not events:
        time.sleep(0.001)
    second = threading.Thread(target=_write, args=(engine, "second", events))
    second.start()
    first.join()
    second.join()
    at = {(who, what): when for who, what, when in events}
    # The second is let in once the first commits (which of the two threads is scheduled
    # first after that is the kernel's business), and at once, not at a busy retry.
    assert at["first", "in"] < at["first", "commits"] < at["second", "in"]
    assert at["second", "in"] - at["first", "commits"] < 0.03
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM mark").scalar() == 2


def test_a_rolled_back_writer_lets_the_next_one_in(engine):
    with engine.connect() as connection:
        connection.begin()
        connection.exec_driver_sql("INSERT INTO mark VALUES ('gone', 0)")
        connection.rollback()
    events: list = []
    _write(engine, "next", events)  # would wait out the busy timeout if the lock were kept
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT who FROM mark").scalars().all() == ["next"]


def test_a_reader_does_not_queue_behind_a_writer(engine):
    events: list = []
    writer = threading.Thread(target=_write, args=(engine, "writer", events, 0.5))
    writer.start()
    while not events:
        time.sleep(0.001)
    intent = write_intent.set(False)
    try:
        started = time.monotonic()
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT count(*) FROM mark")).scalar() == 0
        waited = time.monotonic() - started
    finally:
        write_intent.reset(intent)
    writer.join()
    assert waited < 0.25


def test_on_sqlite_a_read_request_ends_its_reads_before_it_writes(engine):
    session = sa.orm.scoped_session(sa.orm.sessionmaker(bind=engine))
    session.execute(sa.text("SELECT count(*) FROM mark"))
    end_the_reads_before_writing(session)
    assert not session().in_transaction()
    session.remove()


# Engine options --------------------------------------------------------------------------

POSTGRES = "postgresql+psycopg://kurs@db/kurs"
OPTIONS = "-c jit=off -c max_parallel_workers_per_gather=0"


def test_sqlite_is_not_pinged_and_gets_no_session_settings():
    options = engine_options({"SQLALCHEMY_DATABASE_URI": "sqlite:///kurs.db",
                              "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
                              "KURS_POSTGRES_OPTIONS": OPTIONS})
    assert options == {}


def test_postgresql_connections_start_with_the_configured_session_settings():
    options = engine_options({"SQLALCHEMY_DATABASE_URI": POSTGRES,
                              "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
                              "KURS_POSTGRES_OPTIONS": OPTIONS})
    assert options == {"pool_pre_ping": True, "connect_args": {"options": OPTIONS}}


def test_session_settings_named_in_the_engine_options_win_and_empty_means_none():
    own = {"connect_args": {"options": "-c work_mem=64MB", "connect_timeout": 5}}
    assert engine_options({"SQLALCHEMY_DATABASE_URI": POSTGRES,
                           "SQLALCHEMY_ENGINE_OPTIONS": own,
                           "KURS_POSTGRES_OPTIONS": OPTIONS}) == own
    assert engine_options({"SQLALCHEMY_DATABASE_URI": POSTGRES,
                           "KURS_POSTGRES_OPTIONS": ""}) == {}


@pytest.mark.parametrize(("statement", "reads"), [
    ("SELECT user_account.id FROM user_account", True),
    ("WITH mine AS (SELECT 1 AS id) SELECT course.id FROM course", True),
    ("SELECT offering.id FROM offering WHERE offering.id = %(id)s FOR UPDATE", True),
    ("WITH gone AS (DELETE FROM mark RETURNING who) SELECT who FROM gone", False),
    ("INSERT INTO mark VALUES ('x')", False),
    ("UPDATE offering SET taken = taken + 1", False),
    ("SAVEPOINT sa_savepoint_1", False),
    ("select 1", False),  # not as SQLAlchemy writes it: the safe side
])
def test_only_a_select_or_a_with_that_names_no_write_counts_as_reading(statement, reads):
    assert only_reads(statement) is reads


# PostgreSQL ------------------------------------------------------------------------------

needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="PostgreSQL only (set KURS_TEST_POSTGRES_URL)")


@pytest.fixture
def pg_engine(tmp_path):
    with throwaway_postgres_database(POSTGRES_URL, "engine") as url:
        engine = _app_engine(url, tmp_path, "CREATE TABLE mark (who TEXT)")
        yield engine
        engine.dispose()


def _marks(connection) -> list[str]:
    return connection.exec_driver_sql("SELECT who FROM mark ORDER BY who").scalars().all()


@needs_postgres
def test_a_transaction_that_only_read_keeps_the_prepared_statements(pg_engine):
    # psycopg prepares a statement on its sixth run and forgets them all on ROLLBACK.
    with pg_engine.connect() as connection:
        for _ in range(8):
            connection.execute(sa.text("SELECT who FROM mark WHERE who = :who"),
                               {"who": "x"}).all()
            connection.rollback()
        prepared = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%%FROM mark%%'")
        assert prepared.scalar() == 1


@needs_postgres
def test_a_with_select_keeps_the_prepared_statements_and_a_with_delete_is_rolled_back(
        pg_engine):
    with pg_engine.connect() as connection:
        for _ in range(8):
            connection.execute(sa.text("WITH m AS (SELECT who FROM mark) SELECT who FROM m")
                               ).all()
            connection.rollback()
        prepared = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'WITH m AS%%'")
        assert prepared.scalar() == 1
        connection.commit()
        connection.exec_driver_sql("INSERT INTO mark VALUES ('kept')")
        connection.commit()
        connection.execute(sa.text(
            "WITH gone AS (DELETE FROM mark RETURNING who) SELECT who FROM gone")).all()
        connection.rollback()
        assert _marks(connection) == ["kept"]


@needs_postgres
def test_a_transaction_that_wrote_is_rolled_back_even_when_it_read_afterwards(pg_engine):
    with pg_engine.connect() as connection:
        connection.exec_driver_sql("INSERT INTO mark VALUES ('ghost')")
        assert _marks(connection) == ["ghost"]
        connection.rollback()
        assert _marks(connection) == []


@needs_postgres
def test_a_session_that_flushed_and_rolled_back_leaves_nothing(pg_engine):
    with sa.orm.Session(pg_engine) as session:
        session.execute(sa.text("SELECT count(*) FROM mark")).scalar()
        session.execute(sa.text("INSERT INTO mark VALUES ('ghost')"))
        session.rollback()
    with pg_engine.connect() as connection:
        assert _marks(connection) == []


@needs_postgres
def test_a_failed_read_is_rolled_back_and_the_connection_goes_on(pg_engine):
    with pg_engine.connect() as connection:
        with pytest.raises(sa.exc.DataError):
            connection.exec_driver_sql("SELECT 1 / 0")
        connection.rollback()
        connection.exec_driver_sql("INSERT INTO mark VALUES ('after')")
        connection.commit()
        assert _marks(connection) == ["after"]


@needs_postgres
def test_a_connection_goes_back_to_the_pool_outside_any_transaction(pg_engine):
    from psycopg.pq import TransactionStatus

    with pg_engine.connect() as connection:
        connection.execute(sa.text("SELECT who FROM mark")).all()
        raw = connection.connection.dbapi_connection
    assert raw.info.transaction_status == TransactionStatus.IDLE


@needs_postgres
def test_connections_start_without_jit_or_parallel_workers(pg_engine):
    with pg_engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW jit").scalar() == "off"
        assert connection.exec_driver_sql(
            "SHOW max_parallel_workers_per_gather").scalar() == "0"


@needs_postgres
def test_on_postgresql_a_read_request_writes_in_the_transaction_it_read_in(pg_engine):
    session = sa.orm.scoped_session(sa.orm.sessionmaker(bind=pg_engine))
    session.execute(sa.text("SELECT count(*) FROM mark"))
    end_the_reads_before_writing(session)
    assert session().in_transaction()
    session.execute(sa.text("INSERT INTO mark VALUES ('viewed')"))
    session.commit()
    session.remove()
    with pg_engine.connect() as connection:
        assert _marks(connection) == ["viewed"]

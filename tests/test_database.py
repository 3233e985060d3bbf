"""SQLite's writers queue for the write lock and go on the moment it is free; on
PostgreSQL a transaction that only read ends in COMMIT, so the connection keeps the
statements psycopg prepared, and every other transaction is really rolled back."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from app import create_app
from app.database import write_intent
from app.extensions import db
from tests.conftest import POSTGRES_URL, make_config, throwaway_postgres_database


@pytest.fixture
def engine(tmp_path):
    app = create_app(make_config(f"sqlite:///{tmp_path}/kurs.db", str(tmp_path / "files")))
    with app.app_context():
        engine = db.engine
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE mark (who TEXT, at REAL)")
    yield engine
    engine.dispose()


def _write(engine, who: str, events: list, hold_s: float = 0.0) -> None:
    with engine.connect() as connection:
        connection.begin()
        events.append((who, "in", time.monotonic()))
        connection.exec_driver_sql(f"INSERT INTO mark VALUES ('{who}', 0)")
        time.sleep(hold_s)
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
    order = [(who, what) for who, what, _at in events]
    assert order == [("first", "in"), ("first", "out"), ("second", "in"), ("second", "out")]
    assert events[2][2] - events[1][2] < 0.03
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


# PostgreSQL ------------------------------------------------------------------------------

needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="PostgreSQL only (set KURS_TEST_POSTGRES_URL)")


@pytest.fixture
def pg_engine(tmp_path):
    with throwaway_postgres_database(POSTGRES_URL, "engine") as url:
        app = create_app(make_config(url, str(tmp_path / "files")))
        with app.app_context():
            engine = db.engine
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE mark (who TEXT)")
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

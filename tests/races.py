"""Helpers for race tests: a PostgreSQL app whose data is committed, and N threads
released together by a barrier, each with its own connection."""

from __future__ import annotations

import contextlib
import threading

import pytest
from sqlalchemy.orm import Session

from app import create_app
from app.extensions import db
from tests.conftest import POSTGRES_URL, make_config, throwaway_postgres_database

needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="race tests need PostgreSQL (set KURS_TEST_POSTGRES_URL)")


@contextlib.contextmanager
def committed_app(tmp_path, label: str):
    with throwaway_postgres_database(POSTGRES_URL, label) as url:
        app = create_app(make_config(url, str(tmp_path / "storage")))
        with app.app_context():
            db.create_all()
        try:
            yield app
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def run_together(app, n: int, work) -> list:
    """Run ``work(session)`` in ``n`` threads at once; each commits or rolls back.
    Returns each thread's result or exception."""
    barrier = threading.Barrier(n)
    results: list = [None] * n
    with app.app_context():
        engine = db.engine

    def run(i):
        with app.test_request_context(), Session(engine) as session:
            barrier.wait()
            try:
                results[i] = work(session)
                session.commit()
            except Exception as error:  # the race's loser: recorded for the assertions
                session.rollback()
                results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results

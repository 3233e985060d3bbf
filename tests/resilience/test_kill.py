"""kill -9 in the middle of a package import, a bulk attendance save and a certificate batch
leaves the database as it was (all or nothing), and the work simply runs again.

Each piece of work runs in its own process (``tests.resilience.victim``) against a file
SQLite database, and against PostgreSQL when KURS_TEST_POSTGRES_URL is set. The process
stops after its N-th SQL statement, transaction open, and is killed with SIGKILL.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import POSTGRES_URL, throwaway_postgres_database
from tests.resilience.victim import CERTIFIED, PEOPLE

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

#: operation -> the writing statement to stop after (inside the work, before its commit):
#: the import has written its package and part of its course; the bulk save its one
#: INSERT … ON CONFLICT for 200 people; the batch about a third of its certificates.
PAUSE = {"import": 5, "attendance": 1, "certificates": 60}


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kill.db'}"
    elif not POSTGRES_URL:
        pytest.skip("PostgreSQL: set KURS_TEST_POSTGRES_URL")
    else:
        with throwaway_postgres_database(POSTGRES_URL, "kill") as url:
            yield url


def victim(url, storage, operation, *extra, timeout=120) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.resilience.victim", url, str(storage), operation,
         *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run(url, storage, operation) -> None:
    process = victim(url, storage, operation)
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err[-3000:]
    assert "done" in out or operation == "seed"


def kill_in_the_middle(url, storage, operation, tmp_path) -> str:
    marker = tmp_path / f"{operation}.paused"
    process = victim(url, storage, operation, "--pause-after", str(PAUSE[operation]),
                     "--marker", str(marker))
    deadline = time.monotonic() + 120
    while not marker.exists():
        if process.poll() is not None:
            _out, err = process.communicate()
            raise AssertionError(f"{operation} ended before its pause: {err[-2000:]}")
        assert time.monotonic() < deadline, "the work never reached its pause"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)  # reaps it and closes the pipes
    assert process.returncode == -signal.SIGKILL
    return marker.read_text()


def snapshot(url) -> dict[str, int]:
    """Rows per table, and the figures the invariants are about."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            counts = {t: conn.execute(sa.text(f'SELECT count(*) FROM "{t}"')).scalar_one()
                      for t in sa.inspect(conn).get_table_names()}
            counts["present"] = conn.execute(sa.text(
                "SELECT count(*) FROM attendance WHERE status = 'present'")).scalar_one()
            if engine.dialect.name == "sqlite":
                assert conn.execute(sa.text("PRAGMA integrity_check")).scalar_one() == "ok"
                assert conn.execute(sa.text("PRAGMA foreign_key_check")).all() == []
    finally:
        engine.dispose()
    return counts


def certificates_match_their_files(url, storage: Path) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT pdf_path, pdf_sha256 FROM certificate")).all()
    finally:
        engine.dispose()
    for path, digest in rows:
        assert hashlib.sha256((storage / path).read_bytes()).hexdigest() == digest
    return len(rows)


WORK_TABLES = {
    "import": ("package", "package_version", "course", "module", "quiz", "quiz_question"),
    "attendance": ("attendance",),
    "certificates": ("completion", "certificate", "outbox_email"),
}


@pytest.mark.parametrize("operation", ["import", "attendance", "certificates"])
def test_a_killed_piece_of_work_leaves_nothing_half_done_and_runs_again(
        database, operation, tmp_path):
    storage = tmp_path / "storage"
    run(database, storage, "seed")
    before = snapshot(database)

    statement = kill_in_the_middle(database, storage, operation, tmp_path)
    after_kill = snapshot(database)
    assert statement.startswith(("INSERT", "UPDATE"))  # stopped inside the work, …
    assert after_kill == before  # … and nothing of it remains (all or nothing)

    run(database, storage, operation)  # simply run it again
    done = snapshot(database)
    assert any(done[t] > before[t] for t in WORK_TABLES[operation])
    if operation == "attendance":
        assert done["present"] - before["present"] == PEOPLE
    if operation == "certificates":
        assert done["certificate"] == done["completion"] == CERTIFIED
        assert certificates_match_their_files(database, storage) == CERTIFIED
    if operation == "import":
        assert done["package_version"] == 1 and done["module"] > 0

    run(database, storage, operation)  # and again: it does not do the work twice
    again = snapshot(database)
    assert {t: again[t] for t in WORK_TABLES[operation]} == {
        t: done[t] for t in WORK_TABLES[operation]}

"""Fixtures: one schema per test worker, a savepoint per test, real HTTP through the
Flask test client, and builders in ``tests.factories``.

The suite runs on SQLite, and again on PostgreSQL when ``KURS_TEST_POSTGRES_URL`` names a
server: each worker then gets a throwaway database that is dropped at the end.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid

import pytest
import sqlalchemy as sa
from flask.globals import _cv_app
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from app.extensions import db, limiter
from config import TestConfig

POSTGRES_URL = os.environ.get("KURS_TEST_POSTGRES_URL")


@contextlib.contextmanager
def throwaway_postgres_database(base_url: str, label: str):
    """Create a database on the server of ``base_url``; drop it afterwards."""
    base = sa.make_url(base_url)
    name = f"kurs_test_{label}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if POSTGRES_URL:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        with throwaway_postgres_database(POSTGRES_URL, worker) as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'kurs.db'}"


def make_config(database_url: str, storage_dir: str, **overrides) -> type[TestConfig]:
    attrs = {"SQLALCHEMY_DATABASE_URI": database_url, "KURS_STORAGE_DIR": storage_dir}
    attrs.update(overrides)
    return type("WorkerTestConfig", (TestConfig,), attrs)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(make_config(database_url, str(tmp_path_factory.mktemp("storage"))))
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def db_session(app):
    """The test's own session; everything is rolled back after the test, even what the
    views commit.

    The test and every request it makes share one connection inside an outer transaction,
    each with its own session whose commits release savepoints (SQLAlchemy's "join an
    external transaction" recipe). No app context stays pushed during the test, so each
    request gets a fresh session, as in production.
    """
    with app.app_context():
        connection = db.engine.connect()
    # People kept between requests belong to the generations of this test's database
    # state only: each test's rollback takes the directory's generation back.
    app.extensions.pop("kurs_identities", None)
    outer = connection.begin()
    original = db.session
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    db.session = scoped_session(factory, scopefunc=lambda: id(_cv_app.get(None)))
    test_session = factory()
    try:
        yield test_session
    finally:
        test_session.close()
        db.session.remove()
        db.session = original
        if outer.is_active:
            outer.rollback()
        connection.close()


@pytest.fixture
def session(db_session):
    """The test's own session (bound to the test's connection)."""
    return db_session


@pytest.fixture
def client(app, db_session):
    limiter.reset()
    return app.test_client()


@pytest.fixture
def runner(app, db_session):
    return app.test_cli_runner()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class Browser:
    """The test client used the way a browser uses the site: forms carry the CSRF token
    of the page they are on."""

    def __init__(self, client):
        self.client = client

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def token(self, page: str = "/personvern") -> str:
        return csrf_token_from(self.client.get(page).get_data(as_text=True))

    def post(self, url, data=None, page: str | None = None, **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(page or "/personvern"))
        return self.client.post(url, data=data, **kw)


@pytest.fixture
def web(client):
    """The test client with CSRF-aware form posts (``web.post(url, data)``)."""
    return Browser(client)


@pytest.fixture
def login_as(client, session):
    """Log the test client in as ``user`` (a built user) without the login form."""

    def login(user):
        session.flush()
        with client.session_transaction() as sess:
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
        return user

    return login


class QueryCounter:
    IGNORED = re.compile(r"^\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)", re.I)

    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not self.IGNORED.match(statement):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app, db_session):
    """``with count_queries() as q: …`` then ``q.count`` SQL statements.

    Nobody is kept in memory from an earlier request when the count starts (unless
    ``cold=False``), so a page is counted with its person loaded (the statement that also
    reads the directory's generation) whatever the test did before; a kept person costs
    the same one statement (the generation alone), one whose directory changed since
    costs two."""

    @contextlib.contextmanager
    def counting(cold: bool = True):
        if cold:
            app.extensions.pop("kurs_identities", None)
        counter = QueryCounter()
        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", counter)

    return counting


@pytest.fixture
def demo(app, session):
    """``demo()`` loads the demo data as `flask demo load` does: inside the app, without
    leaving a context pushed (so the test's requests get their own sessions)."""
    from app.demo.services import load_demo

    def load(**kw):
        with app.app_context():
            return load_demo(session, **kw)

    return load

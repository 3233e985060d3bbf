"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL,
and can be undone."""

from __future__ import annotations

import contextlib

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from tests.conftest import POSTGRES_URL, make_config, throwaway_postgres_database


@contextlib.contextmanager
def fresh_database(tmp_path):
    if POSTGRES_URL:
        with throwaway_postgres_database(POSTGRES_URL, "migrations") as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'migrated.db'}"


@pytest.fixture
def migrated_app(tmp_path):
    with fresh_database(tmp_path) as url:
        app = create_app(make_config(url, str(tmp_path / "storage")))
        with app.app_context():
            upgrade()
            yield app
            db.session.remove()
            db.engine.dispose()


def test_the_migrations_and_the_models_agree(migrated_app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == [], differences


def test_the_migrations_can_be_undone_and_redone(migrated_app):
    downgrade(revision="base")
    upgrade()
    tables = set(sa.inspect(db.engine).get_table_names())
    assert {"user_account", "unit", "outbox_email", "job"} <= tables

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
from app.database import enable_migrations
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
        enable_migrations(app)
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


def test_the_migrated_database_raises_the_directory_generation_on_every_change(
        migrated_app):
    generation = sa.text("SELECT value FROM directory_generation WHERE id = 1")
    with db.engine.begin() as connection:
        before = connection.execute(generation).scalar_one()
        connection.execute(sa.text(
            "INSERT INTO organisation (slug, name, kind, created_at) "
            "VALUES ('o', 'O', 'municipality', CURRENT_TIMESTAMP)"))
        connection.execute(sa.text("UPDATE organisation SET name = 'P'"))
        connection.execute(sa.text("DELETE FROM organisation"))
        assert connection.execute(generation).scalar_one() == before + 3


def test_every_column_of_a_person_but_the_last_login_raises_the_generation(migrated_app):
    """A migration that adds a column to user_account must add it to the trigger."""
    from app.accounts.identity import tracked_columns
    from app.accounts.models import User

    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            definition = connection.execute(sa.text(
                "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
                "WHERE tgname = 'directory_generation_update'")).scalar_one()
        else:
            definition = connection.execute(sa.text(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                "AND name = 'directory_generation_user_account_update'")).scalar_one()
    named = set(definition.split(" OF ", 1)[1].split(" ON ", 1)[0].replace(",", " ").split())
    assert named == set(tracked_columns(User.__table__))


def _organisation_with_a_course(connection) -> tuple[int, int]:
    """One organisation and one published course, written in SQL at an older revision."""
    connection.execute(sa.text(
        "INSERT INTO organisation (slug, name, kind, created_at) "
        "VALUES ('o', 'O', 'municipality', CURRENT_TIMESTAMP)"))
    org = connection.execute(sa.text("SELECT id FROM organisation")).scalar()
    connection.execute(sa.text(
        "INSERT INTO course (organisation_id, slug, title, summary, description, "
        "kind, status, language, completion_requires_attendance, "
        "completion_requires_quiz, completion_requires_modules, created_at, "
        "updated_at) VALUES (:org, 'k', 'K', '', '', 'course', 'published', 'nb', "
        "false, true, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"), {"org": org})
    return org, connection.execute(sa.text("SELECT id FROM course")).scalar()


def test_questions_written_before_source_keys_get_one_from_their_place(tmp_path):
    with fresh_database(tmp_path) as url:
        app = create_app(make_config(url, str(tmp_path / "storage")))
        enable_migrations(app)
        with app.app_context():
            upgrade(revision="9db716eace75")
            with db.engine.begin() as connection:
                _org, course = _organisation_with_a_course(connection)
                connection.execute(sa.text(
                    "INSERT INTO quiz (course_id, title, intro, pass_percent, "
                    "shuffle_questions, shuffle_choices, show_answers, paging, created_at, "
                    "updated_at) VALUES (:c, 'P', '', 80, false, false, true, 'one', "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"), {"c": course})
                quiz = connection.execute(sa.text("SELECT id FROM quiz")).scalar()
                for position in (1, 2):
                    connection.execute(sa.text(
                        "INSERT INTO quiz_question (quiz_id, position, kind, prompt, points, "
                        "explanation, partial_credit) VALUES (:q, :p, 'true_false', 'Sant?', "
                        "1, '', false)"), {"q": quiz, "p": position})
            upgrade()
            keys = db.session.execute(sa.text(
                "SELECT source_key FROM quiz_question ORDER BY position")).scalars().all()
            assert keys == ["q-1", "q-2"]
            db.session.remove()
            db.engine.dispose()


def test_requirements_keep_their_rows_when_the_unused_renewal_column_goes(tmp_path):
    with fresh_database(tmp_path) as url:
        app = create_app(make_config(url, str(tmp_path / "storage")))
        enable_migrations(app)
        with app.app_context():
            upgrade(revision="5c0d9e4f7a21")
            with db.engine.begin() as connection:
                org, course = _organisation_with_a_course(connection)
                connection.execute(sa.text(
                    "INSERT INTO requirement (organisation_id, course_id, group_kind, "
                    "leader_level, due_months, renewal_months, active, created_at) VALUES "
                    "(:org, :c, 'leader_level', 'mellomleder', 6, 24, true, CURRENT_TIMESTAMP)"),
                    {"org": org, "c": course})
            upgrade()
            columns = {c["name"] for c in sa.inspect(db.engine).get_columns("requirement")}
            assert "renewal_months" not in columns
            row = db.session.execute(sa.text(
                "SELECT group_kind, leader_level, due_months, active FROM requirement")).one()
            assert tuple(row) == ("leader_level", "mellomleder", 6, True)
            db.session.remove()
            db.engine.dispose()


def test_flask_db_upgrade_migrates_a_fresh_database_from_the_command_line(tmp_path):
    with fresh_database(tmp_path) as url:
        app = create_app(make_config(url, str(tmp_path / "storage")))
        runner = app.test_cli_runner()
        listed = runner.invoke(args=["db", "--help"])
        assert listed.exit_code == 0, listed.output
        assert {"upgrade", "downgrade", "current", "migrate"} <= set(listed.output.split())

        result = runner.invoke(args=["db", "upgrade"])

        assert result.exit_code == 0, result.output
        with app.app_context():
            assert "user_account" in sa.inspect(db.engine).get_table_names()
            db.engine.dispose()

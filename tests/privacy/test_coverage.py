"""Every column that points at a person is declared in the privacy registry, with what the
export and the anonymiser do with it: a new table cannot forget privacy."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.privacy.registry import declared_columns, providers


def person_columns() -> set[str]:
    return {
        f"{table.name}.{column.name}"
        for table in db.metadata.tables.values()
        for column in table.columns
        for fk in column.foreign_keys
        if fk.column.table.name == "user_account"
    }


def test_every_foreign_key_to_a_person_is_declared_for_export_and_anonymisation(app):
    declared = declared_columns()
    missing = person_columns() - declared.keys()
    assert not missing, (
        "These columns point at a person but no privacy provider says how the own-data "
        f"export and the anonymiser handle them: {sorted(missing)}. Declare them in the "
        "domain's privacy.py (see app/privacy/registry.py).")
    stale = declared.keys() - person_columns()
    assert not stale, f"Declared but no such foreign key to user_account: {sorted(stale)}"


def test_each_declaration_says_what_anonymisation_does_and_why_a_column_is_not_exported(app):
    for column, handling in declared_columns().items():
        assert handling.anonymise.strip(), column
        assert handling.export or handling.why.strip(), column


def test_the_registry_finds_the_foreign_keys_there_are(app):
    # The walk itself is right: it sees the tables everyone knows hold people.
    assert {"enrolment.user_id", "attendance.user_id", "quiz_attempt.user_id",
            "completion.user_id", "registration_answer.user_id"} <= person_columns()
    assert len(person_columns()) >= 35


def test_every_mention_names_a_text_or_json_column(app):
    tables = db.metadata.tables
    for provider in providers():
        for ref in provider.mentions:
            table, column = ref.split(".")
            col = tables[table].c[column]
            assert isinstance(col.type, sa.String | sa.Text | sa.JSON), ref


def test_every_section_is_exported_once(app):
    names = [name for p in providers() for name in p.sections]
    assert len(names) == len(set(names))

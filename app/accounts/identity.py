"""The person behind a login cookie, kept in memory between their requests while the
directory is unchanged.

Every request names its person in the cookie, and every page needs them with their roles,
unit, organisation and the units they lead. Loading that graph from the database costs
a request more than any other single part of a static page (the statement is quick; the
ORM's work on its rows is not). So each worker keeps the graph a request has loaded, and
a later request of the same person takes it back instead of loading it again — but only
while ``directory_generation.value`` is what it was when the graph was loaded.

The database raises that counter itself, by triggers, in every transaction that writes
an organisation, a unit, a person or a role (by the ORM, by a bulk statement or by
hand), except for the time of a person's last login. So nothing about revocation
changes: a deactivation, a new password, a role taken away or a move to another unit is
seen by the very next request, in every worker, as before. The check costs one
single-row read per request.

A kept graph is only taken back whole and clean: never while another request holds it
(it is removed from the store while in use), never after a request that wrote to the
directory's tables (a flush or a bulk statement: what it changed may have been rolled
back) or that left anything in the graph changed or expired (a commit expires it, but
for one that writes only a log row, ``commit_keeping_loaded``), never when it has grown
beyond the person's own directory entries.
"""

from __future__ import annotations

from collections import OrderedDict

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from app.database import flushed_tables, written_table
from app.extensions import db

#: The tables whose rows make up a person's identity graph.
DIRECTORY_TABLES = ("organisation", "unit", "user_account", "role_assignment")
#: People kept per worker; the least recently seen is dropped first.
MAX_KEPT = 500
#: A kept graph larger than this (say, a view loaded every unit of an organisation through
#: it) is not kept.
MAX_GRAPH = 64

_GENERATION = sa.text("SELECT value FROM directory_generation WHERE id = 1")
#: The counter as a column of the statement that loads a person.
GENERATION = sa.literal_column(
    "(SELECT value FROM directory_generation WHERE id = 1)").label("directory_generation")
_WROTE = "kurs_wrote"


# The triggers -------------------------------------------------------------------------

_RAISE = "UPDATE directory_generation SET value = value + 1 WHERE id = 1"
#: Columns whose change alone leaves everyone's identity as it was: the time of the last
#: login, written at every login (which would otherwise send every kept person back to
#: the database after anyone logs in).
UNTRACKED_COLUMNS = {"user_account": frozenset({"last_login_at"})}


def tracked_columns(table: sa.Table) -> list[str] | None:
    """The columns whose update raises the counter; None for all of them."""
    untracked = UNTRACKED_COLUMNS.get(table.name)
    return None if untracked is None else [
        column.name for column in table.columns if column.name not in untracked]


def trigger_statements(dialect: str, tracked: dict[str, list[str] | None]) -> list[str]:
    """The DDL that makes the database raise the counter on every directory change;
    ``tracked``: each directory table's columns whose update counts (None: all)."""
    statements = []
    if dialect == "postgresql":
        statements.append(
            "CREATE OR REPLACE FUNCTION raise_directory_generation() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN {_RAISE}; RETURN NULL; END $$")
    for table in DIRECTORY_TABLES:
        columns = tracked.get(table)
        update = "UPDATE" if columns is None else f"UPDATE OF {', '.join(columns)}"
        if dialect == "postgresql":
            events = ["INSERT OR UPDATE OR DELETE OR TRUNCATE"] if columns is None else [
                "INSERT OR DELETE OR TRUNCATE", update]
            for name, event in zip(("directory_generation", "directory_generation_update"),
                                   events, strict=False):
                statements += [
                    f"DROP TRIGGER IF EXISTS {name} ON {table}",
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH STATEMENT "
                    "EXECUTE FUNCTION raise_directory_generation()"]
        else:
            statements += [
                f"CREATE TRIGGER IF NOT EXISTS directory_generation_{table}_{name} "
                f"AFTER {event} ON {table} BEGIN {_RAISE}; END"
                for name, event in (("insert", "INSERT"), ("update", update),
                                    ("delete", "DELETE"))]
    return statements


def _create_triggers(metadata, connection, **_kw) -> None:
    tracked = {name: tracked_columns(metadata.tables[name]) for name in DIRECTORY_TABLES}
    for statement in trigger_statements(connection.dialect.name, tracked):
        connection.exec_driver_sql(statement)


def _drop_function(_metadata, connection, **_kw) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS raise_directory_generation()")


def install_schema_events(metadata: sa.MetaData, table: sa.Table) -> None:
    """``create_all`` makes the counter's row and the triggers as the migration does."""
    sa.event.listen(table, "after_create", sa.DDL(
        "INSERT INTO directory_generation (id, value) VALUES (1, 0)"))
    sa.event.listen(metadata, "after_create", _create_triggers)
    sa.event.listen(metadata, "after_drop", _drop_function)


# The kept people ----------------------------------------------------------------------

def _kept() -> OrderedDict:
    return current_app.extensions.setdefault("kurs_identities", OrderedDict())


def load(session: Session, user_id: int, statement) -> object | None:
    """The person ``user_id`` with their identity graph, attached to ``session``: the kept
    graph when the directory has not changed since it was loaded, else ``statement``'s
    (which selects the person and ``GENERATION``, read in the same snapshot)."""
    entry = _kept().pop(user_id, None)
    if entry is not None:
        generation = session.connection().execute(_GENERATION).scalar_one_or_none()
        if entry[0] != generation or session.identity_map:
            entry = None
    if entry is not None:
        user = entry[1]
        for item in entry[2]:
            if item not in session:
                session.add(item)
    else:
        row = session.execute(statement, {"user_id": user_id}).unique().one_or_none()
        user, generation = row if row is not None else (None, None)
    if user is not None and generation is not None and current_app.config[
            "KURS_KEEP_IDENTITIES"]:
        g.kurs_identity = (generation, user)
    return user


def _graph(root) -> list | None:
    """``root`` and every object reachable through its loaded relationships, or None when
    any of them is changed, expired, not persistent, or there are too many."""
    seen = {id(root): root}
    todo = [root]
    while todo:
        state = sa.inspect(todo.pop())
        if state.key is None or state.deleted or state.modified or state.expired \
                or state.expired_attributes:
            return None
        for relationship in state.mapper.relationships:
            value = state.dict.get(relationship.key)
            for item in (value if isinstance(value, list) else (value,)):
                if item is not None and id(item) not in seen:
                    if len(seen) >= MAX_GRAPH:
                        return None
                    seen[id(item)] = item
                    todo.append(item)
    return list(seen.values())


def keep(exception: BaseException | None = None) -> None:
    """At the end of a request: keep its person's graph for the next request, detached,
    if nothing has touched it."""
    entry = g.pop("kurs_identity", None)
    session = db.session
    wrote = session.info.pop(_WROTE, False)
    if entry is None or exception is not None or wrote or session.new or session.dirty \
            or session.deleted:
        return
    generation, user = entry
    graph = _graph(user)
    if graph is None:
        return
    # Detached before it is offered to another request: the session ends here (as it
    # would a moment later, in the application context's teardown).
    session.close()
    kept = _kept()
    kept[user.id] = (generation, user, graph)
    while len(kept) > MAX_KEPT:
        kept.popitem(last=False)


def _mark_flush(session, _context) -> None:
    if flushed_tables(session) & set(DIRECTORY_TABLES):
        session.info[_WROTE] = True


def _mark_bulk(state) -> None:
    if written_table(state) in (*DIRECTORY_TABLES, "?"):
        state.session.info[_WROTE] = True


def init_identities(app: Flask) -> None:
    for name, listener in (("after_flush", _mark_flush), ("do_orm_execute", _mark_bulk)):
        if not sa.event.contains(Session, name, listener):
            sa.event.listen(Session, name, listener)
    app.teardown_request(keep)

"""The declarative base, the UTC date-time type and small column helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC. Use as a callable default."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite has no time zones and hands back naive values; PostgreSQL's ``timestamptz``
    returns aware ones. This type makes both look the same to the code, and refuses naive
    values on the way in so that a local time can never be stored by mistake.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use an aware datetime")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


def enum_column(enum_cls, **kwargs) -> sa.Enum:
    """A portable enum: a VARCHAR plus a named CHECK constraint on both databases.

    ``native_enum=False`` keeps migrations simple on SQLite and PostgreSQL alike; the values
    (not the member names) are stored so that the database reads like the code.
    """
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        **kwargs,
    )


def insert_row(session, model, **values):
    """INSERT one row of ``model`` as one statement and return it as a persistent, clean
    object, without the unit of work (a flush costs about four times the statement for
    one row).

    The statement runs through the session, in its transaction (its hooks see it), but
    pending objects are not flushed first: the row must not depend on one. Column
    defaults apply as in a flush. The object holds the values written; a column left out
    is NULL, except one with a server default, which is loaded when read.
    """
    insert, nulls, keys, attributes = _inserts(model)
    result = session.execute(insert, values)
    row = model.__mapper__.class_manager.new_instance()
    # Filled as a query fills what it loads: straight into the instance's dict, without
    # the attribute events of a change (the values are what the database holds).
    loaded = row.__dict__
    loaded.update(nulls)
    written = result.last_inserted_params()
    loaded.update(written if attributes is None
                  else {attributes[key]: value for key, value in written.items()})
    loaded.update(zip(keys, result.inserted_primary_key, strict=True))
    sa.orm.make_transient_to_detached(row)
    session.add(row)
    return row


@cache
def _inserts(model) -> tuple[sa.Insert, dict, tuple[str, ...], dict | None]:
    """The INSERT of ``model``'s table, the NULLs of the columns a row may leave out, the
    primary key's attribute names, and the attribute of each column where a name differs
    (None: none does)."""
    sa.orm.configure_mappers()  # an instance made without its constructor needs them
    mapper = model.__mapper__
    table = model.__table__
    attributes = {c.key: mapper.get_property_by_column(c).key for c in table.columns}
    nulls = {attributes[c.key]: None for c in table.columns
             if c.server_default is None and not c.primary_key}
    keys = tuple(attributes[c.key] for c in table.primary_key.columns)
    same = all(key == attribute for key, attribute in attributes.items())
    return sa.insert(table), nulls, keys, None if same else attributes

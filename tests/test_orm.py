"""``insert_row``: one INSERT, and an object as if the unit of work had written it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.common.models import AuditEvent
from app.jobs.models import Job, JobStatus
from app.orm import insert_row, utcnow
from app.outbox.models import OutboxEmail, OutboxStatus


def _columns(row) -> dict:
    return {c.key: getattr(row, c.key) for c in sa.inspect(type(row)).columns}


def test_a_row_inserted_at_once_equals_the_same_row_flushed_by_the_unit_of_work(
        session, count_queries):
    now = utcnow()
    values = {"recipient": "kari@example.org", "subject": "Påmeldt", "body_text": "Hei",
              "reason": "enrolment:1:enrolled", "created_at": now, "next_attempt_at": now}
    flushed = OutboxEmail(message_id="<a@x>", **values)
    session.add(flushed)
    session.flush()
    with count_queries() as q:
        inserted = insert_row(session, OutboxEmail, message_id="<b@x>", **values)
        # Every column is known without loading the row again.
        seen = _columns(inserted)
    assert q.count == 1
    assert sa.inspect(inserted).persistent
    assert inserted not in session.dirty
    assert inserted.status == OutboxStatus.PENDING
    assert inserted.attempts == 0
    assert inserted.lease_until is None

    expected = _columns(flushed) | {"id": inserted.id, "message_id": "<b@x>"}
    assert seen == expected
    session.expire_all()
    assert _columns(session.get(OutboxEmail, inserted.id)) == expected


def test_an_inserted_row_is_the_object_a_query_in_the_same_transaction_finds(session):
    event = insert_row(session, AuditEvent, actor_id=None, action="test.done",
                       object_type="Job", object_id="7", detail={"n": 1})
    assert session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "test.done")) is event
    assert event.at is not None and event.detail == {"n": 1}


def test_a_default_that_is_a_callable_is_called_once_and_the_object_holds_what_was_written(
        session):
    job = insert_row(session, Job, kind="test.report", params={"a": 1})
    held = (job.created_at, job.status, job.params)
    session.expire_all()
    stored = session.get(Job, job.id)
    assert (stored.created_at, stored.status, stored.params) == held
    assert held[1:] == (JobStatus.QUEUED, {"a": 1})


class _OwnBase(DeclarativeBase):
    pass


class _Renamed(_OwnBase):
    """A model whose attributes are named otherwise than their columns."""

    __tablename__ = "test_insert_row_renamed"
    id: Mapped[int] = mapped_column("row_id", primary_key=True)
    label: Mapped[str] = mapped_column("label_text", sa.String(20), default="none")
    note: Mapped[str | None] = mapped_column("note_text", sa.String(20))


def test_an_inserted_row_is_filled_by_attribute_where_the_columns_are_named_otherwise(
        session):
    _OwnBase.metadata.create_all(session.connection())
    row = insert_row(session, _Renamed)
    assert (row.label, row.note) == ("none", None)
    session.expire_all()
    assert session.get(_Renamed, row.id).label == "none"

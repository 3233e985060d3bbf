"""The report landing's figures once they are a minute old: shown while one thread of the
worker computes new ones, never older than ``STALE_LIMIT``, and not kept when the data or
the reader changed while they were being computed."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.database import write_intent
from app.orm import utcnow
from app.reports import landing
from app.reports.scope import Filters
from tests.reports.builders import complete, make_world

REFRESH_THREAD = "report-landing-refresh"


@pytest.fixture
def world(app, session, monkeypatch):
    monkeypatch.setitem(app.config, "KURS_REPORT_REFRESH_IN_BACKGROUND", True)
    landing.forget()
    world = make_world(session)
    complete(session, world.leaders[1], world.course, at=utcnow() - timedelta(days=1))
    yield world
    _join_refreshes()
    landing.forget()


def _join_refreshes() -> int:
    threads = [t for t in threading.enumerate() if t.name == REFRESH_THREAD]
    for thread in threads:
        thread.join(30)
    return len(threads)


def _completed(figures: landing.Landing, world) -> int:
    return figures.coverage.total(world.course.id).completed


def test_figures_past_the_minute_are_shown_while_a_thread_computes_new_ones(
        app, session, world):
    with app.test_request_context():
        hr = session.get(User, world.hr.id)
        first = landing.landing(session, hr, Filters(), now=utcnow())
        session.execute(sa.text("DELETE FROM completion"))  # another worker's write
        old = first.computed_at + landing.MAX_AGE
        assert landing.landing(session, hr, Filters(), now=old) is first
        _join_refreshes()
        fresh = landing.landing(session, hr, Filters(), now=utcnow())
    assert (_completed(first, world), _completed(fresh, world)) == (1, 0)
    assert first.computed_at < fresh.computed_at < old  # computed by the thread


def test_one_thread_at_a_time_computes_a_readers_figures(app, session, world):
    with app.test_request_context():
        hr = session.get(User, world.hr.id)
        first = landing.landing(session, hr, Filters(), now=utcnow())
        key = landing._key(hr, Filters())
        landing._STORE.refreshing.add(key)  # one is at it already
        try:
            old = first.computed_at + landing.MAX_AGE
            assert landing.landing(session, hr, Filters(), now=old) is first
            _join_refreshes()
            assert landing._STORE.entries[key] is first
        finally:
            landing._STORE.refreshing.discard(key)


def test_figures_past_the_stale_limit_are_computed_in_the_request(app, session, world):
    with app.test_request_context():
        hr = session.get(User, world.hr.id)
        first = landing.landing(session, hr, Filters(), now=utcnow())
        session.execute(sa.text("DELETE FROM completion"))
        later = first.computed_at + landing.STALE_LIMIT
        fresh = landing.landing(session, hr, Filters(), now=later)
    assert _join_refreshes() == 0
    assert fresh.computed_at == later and _completed(fresh, world) == 0


def test_without_the_background_old_figures_are_computed_in_the_request(
        app, session, world, monkeypatch):
    monkeypatch.setitem(app.config, "KURS_REPORT_REFRESH_IN_BACKGROUND", False)
    with app.test_request_context():
        hr = session.get(User, world.hr.id)
        first = landing.landing(session, hr, Filters(), now=utcnow())
        old = first.computed_at + landing.MAX_AGE
        assert landing.landing(session, hr, Filters(), now=old).computed_at == old
    assert _join_refreshes() == 0


def test_a_refresh_is_not_kept_when_the_data_changed_while_it_ran(app, session, world):
    with app.test_request_context():
        hr = session.get(User, world.hr.id)
        first = landing.landing(session, hr, Filters(), now=utcnow())
        key, begun_at = landing._key(hr, Filters()), landing._STORE.generation
    landing.forget()  # a write in this worker after the refresh began its reads
    landing._refresh(app, key, hr.id, Filters(), begun_at)
    assert key not in landing._STORE.entries
    with app.test_request_context():  # and the next reader waits for fresh figures
        later = first.computed_at + timedelta(seconds=1)
        assert landing.landing(session, hr, Filters(), now=later).computed_at == later


def test_a_refresh_is_not_kept_for_a_reader_whose_roles_changed(app, session, world):
    with app.test_request_context():
        hr = session.get(User, world.hr.id)
        first = landing.landing(session, hr, Filters(), now=utcnow())
        key, generation = landing._key(hr, Filters()), landing._STORE.generation
    session.execute(sa.text("DELETE FROM role_assignment WHERE user_id = :id"), {"id": hr.id})
    landing._refresh(app, key, hr.id, Filters(), generation)
    assert landing._STORE.entries[key] is first


def test_a_failed_refresh_leaves_the_kept_figures_and_lets_the_next_one_try(
        app, session, world, monkeypatch):
    def broken(*_args, **_kw):
        raise RuntimeError("the database went away")

    with app.test_request_context():
        hr = session.get(User, world.hr.id)
        first = landing.landing(session, hr, Filters(), now=utcnow())
        key, generation = landing._key(hr, Filters()), landing._STORE.generation
    monkeypatch.setattr(landing, "_compute", broken)
    landing._STORE.refreshing.add(key)
    landing._refresh(app, key, hr.id, Filters(), generation)
    assert landing._STORE.entries[key] is first
    assert key not in landing._STORE.refreshing


def test_a_refresh_only_reads(app, session, world, monkeypatch):
    """On SQLite a transaction that may write takes the writers' lock at its start: a
    refresh holding it for a second would stop every other request's writes meanwhile."""
    seen = []
    compute = landing._compute

    def watched(*args, **kw):
        seen.append(write_intent.get())
        return compute(*args, **kw)

    with app.test_request_context():
        hr = session.get(User, world.hr.id)
        first = landing.landing(session, hr, Filters(), now=utcnow())
        monkeypatch.setattr(landing, "_compute", watched)
        assert landing.landing(session, hr, Filters(), now=first.computed_at
                               + landing.MAX_AGE) is first
    _join_refreshes()
    assert seen == [False]

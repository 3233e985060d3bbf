"""Races through real HTTP: many people press "enrol" in the same instant.

A threaded server serves the app on its own database with committed data; the requests
go through the JSON API, each thread with its own connection, released together by a
barrier. The 20-run, 50-for-10 version (design.md W1) runs on PostgreSQL in the slow
pass; a smaller version runs in every pass (on SQLite, and on PostgreSQL in the
PostgreSQL pass).
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass

import pytest
import requests
import sqlalchemy as sa

from app.accounts.services import create_token
from app.enrolment.models import Enrolment, EnrolmentStatus, Offering
from app.extensions import db
from app.orm import utcnow
from tests.conftest import POSTGRES_URL
from tests.enrolment.builders import make_course, make_offering
from tests.factories import make_org, make_unit, make_user
from tests.live import served_app

_runs = itertools.count(1)


@dataclass
class Live:
    app: object
    base: str


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    # Enough connections for the threads to meet in the database, few enough to leave the
    # shared test server room for the other workers.
    with served_app(tmp_path_factory.mktemp("races"), "race", SQLALCHEMY_ENGINE_OPTIONS={
            "pool_size": 10, "max_overflow": 30, "pool_timeout": 60,
            "pool_pre_ping": True}) as (app, base):
        yield Live(app, base)


def committed_offering(live: Live, *, capacity: int, people: int):
    """A fresh offering and ``people`` participants with API tokens, committed."""
    with live.app.app_context():
        session = db.session
        org = make_org(session, slug=f"race-{next(_runs)}")
        unit = make_unit(session, org=org)
        offering = make_offering(session, course=make_course(session, org=org),
                                 capacity=capacity)
        users = [make_user(session, unit=unit) for _ in range(people)]
        tokens = [create_token(session, user=u, name="race", actor=u, now=utcnow())[1]
                  for u in users]
        session.commit()
        return offering.id, [u.id for u in users], tokens


def at_once(calls):
    """Run the calls in threads released together; returns the responses in call order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        with requests.Session() as http:
            barrier.wait()
            try:
                results[i] = call(http)
            except requests.RequestException as error:  # pragma: no cover - reported below
                results[i] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def enrol_call(live, offering_id, token):
    return lambda http: http.post(f"{live.base}/api/v1/offerings/{offering_id}/enrolments",
                                  headers={"Authorization": f"Bearer {token}"}, timeout=90)


def cancel_call(live, enrolment_id, token):
    return lambda http: http.delete(f"{live.base}/api/v1/enrolments/{enrolment_id}",
                                    headers={"Authorization": f"Bearer {token}"}, timeout=90)


def state(live, offering_id):
    """(taken, {user_id: status}, waitlist user ids in order) as committed."""
    with live.app.app_context():
        session = db.session
        taken = session.scalar(sa.select(Offering.taken).where(Offering.id == offering_id))
        statuses = dict(session.execute(sa.select(Enrolment.user_id, Enrolment.status)
                                        .where(Enrolment.offering_id == offering_id)).all())
        waitlist = session.scalars(
            sa.select(Enrolment.user_id)
            .where(Enrolment.offering_id == offering_id,
                   Enrolment.status == EnrolmentStatus.WAITLISTED)
            .order_by(Enrolment.requested_at, Enrolment.id)).all()
        return taken, statuses, list(waitlist)


def run_contest(live, *, people: int, seats: int) -> None:
    offering_id, user_ids, tokens = committed_offering(live, capacity=seats, people=people)
    responses = at_once([enrol_call(live, offering_id, t) for t in tokens])

    assert [getattr(r, "status_code", r) for r in responses] == [201] * people
    bodies = [r.json() for r in responses]
    assert sorted(b["status"] for b in bodies).count("enrolled") == seats
    taken, statuses, waitlist = state(live, offering_id)
    assert taken == seats == list(statuses.values()).count(EnrolmentStatus.ENROLLED)
    assert len(waitlist) == people - seats == len(set(waitlist))
    final = {user_id: place for place, user_id in enumerate(waitlist, start=1)}
    for body in bodies:
        if body["status"] == "waitlisted":
            # The place a person was told can only have grown as others joined ahead.
            assert 1 <= body["waitlist_position"] <= final[body["user_id"]]

    # Freed seats go to the waitlist strictly in its order.
    token_of = dict(zip(user_ids, tokens, strict=True))
    enrolment_of = {b["user_id"]: b["id"] for b in bodies}
    seated = [u for u, s in statuses.items() if s == EnrolmentStatus.ENROLLED]
    for canceller, expected in zip(seated, waitlist, strict=False):
        response = cancel_call(live, enrolment_of[canceller], token_of[canceller])(requests)
        assert response.status_code == 200
        _taken, after, _waitlist = state(live, offering_id)
        assert after[expected] == EnrolmentStatus.ENROLLED
    taken, statuses, waitlist = state(live, offering_id)
    assert taken == seats == list(statuses.values()).count(EnrolmentStatus.ENROLLED)


def test_twenty_people_for_five_seats_at_once_get_exactly_five_seats_and_a_fair_waitlist(live):
    run_contest(live, people=20, seats=5)


@pytest.mark.slow
@pytest.mark.skipif(not POSTGRES_URL, reason="the 20-run race (design.md W1) runs on "
                                             "PostgreSQL: set KURS_TEST_POSTGRES_URL")
@pytest.mark.parametrize("run", range(20))
def test_fifty_people_for_ten_seats_twenty_times_over(live, run):
    run_contest(live, people=50, seats=10)


def test_a_double_click_and_a_second_tab_make_one_enrolment(live):
    offering_id, (user_id,), (token,) = committed_offering(live, capacity=5, people=1)
    responses = at_once([enrol_call(live, offering_id, token) for _ in range(12)])
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * 11
    assert all(r.json()["code"] == "already_enrolled" for r in responses if r.status_code == 409)
    taken, statuses, _waitlist = state(live, offering_id)
    assert (taken, statuses) == (1, {user_id: EnrolmentStatus.ENROLLED})


def test_cancellations_and_new_enrolments_at_once_keep_the_waitlist_first(live):
    offering_id, user_ids, tokens = committed_offering(live, capacity=6, people=20)
    seated, waiting, newcomers = (slice(0, 6), slice(6, 9), slice(9, 20))
    enrolled = {}
    for user_id, token in zip(user_ids[:9], tokens[:9], strict=True):  # one by one, in order
        enrolled[user_id] = enrol_call(live, offering_id, token)(requests).json()["id"]
    calls = [cancel_call(live, enrolled[u], t)
             for u, t in zip(user_ids[seated], tokens[seated], strict=True)]
    calls += [enrol_call(live, offering_id, t) for t in tokens[newcomers]]
    responses = at_once(calls)

    assert all(getattr(r, "status_code", 500) in (200, 201) for r in responses), responses
    taken, statuses, waitlist = state(live, offering_id)
    assert taken == list(statuses.values()).count(EnrolmentStatus.ENROLLED) == 6
    # Everyone who waited before the rush got a seat before any newcomer.
    assert all(statuses[u] == EnrolmentStatus.ENROLLED for u in user_ids[waiting])
    assert all(statuses[u] == EnrolmentStatus.CANCELLED for u in user_ids[seated])
    assert len(waitlist) == 20 - 6 - 6

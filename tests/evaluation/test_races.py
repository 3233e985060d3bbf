"""Races on PostgreSQL: a double submit records one answer; two hosts running
``flask outbox remind`` at once ask and remind each person once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from app import create_app
from app.errors import ConflictError
from app.evaluation.models import Evaluation, EvaluationRequest
from app.evaluation.services import Answers, send_evaluation_requests, submit_evaluation
from app.extensions import db
from app.outbox.models import OutboxEmail
from tests.conftest import POSTGRES_URL, make_config, throwaway_postgres_database
from tests.evaluation.builders import ask, enrol, make_course, make_offering

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL, reason="races need PostgreSQL (set KURS_TEST_POSTGRES_URL)"
)
THREADS = 6
ROUNDS = 5


@pytest.fixture(scope="module")
def committed(tmp_path_factory):
    """An app on its own database whose data is committed (not the savepoint fixture)."""
    with throwaway_postgres_database(POSTGRES_URL, "eval_races") as url:
        app = create_app(make_config(url, str(tmp_path_factory.mktemp("races"))))
        with app.app_context():
            db.create_all()
            engine = db.engine
        yield app, engine, sessionmaker(bind=engine)
        engine.dispose()


def together(app, factory, work, n=THREADS):
    """Run ``work(session)`` in n threads released at once; return results or errors."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        with app.app_context():
            session = factory()
            try:
                barrier.wait()
                results[i] = work(session)
                session.commit()
            except Exception as error:  # the outcome under test
                session.rollback()
                results[i] = error
            finally:
                session.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_a_double_submit_records_exactly_one_answer(committed):
    app, engine, factory = committed
    for _ in range(ROUNDS):
        with app.app_context():
            session = factory()
            offering = make_offering(
                session, make_course(session), ends_at=datetime.now(UTC) - timedelta(days=1)
            )
            request = ask(session, enrol(session, offering))
            session.commit()
            request_id, user_id = request.id, request.enrolment.user_id
            session.close()

        def submit(session, request_id=request_id):
            request = session.get(EvaluationRequest, request_id)
            user = request.enrolment.user
            answers = Answers(relevance=4, usefulness=4, teaching=4, recommend=9)
            return submit_evaluation(
                session, user=user, request=request, answers=answers, now=datetime.now(UTC)
            )

        results = together(app, factory, submit)
        errors = [r for r in results if isinstance(r, Exception)]
        assert len(errors) == THREADS - 1
        assert all(isinstance(e, ConflictError) for e in errors), errors
        with engine.connect() as conn:
            count = conn.scalar(
                sa.select(sa.func.count())
                .select_from(Evaluation)
                .where(Evaluation.enrolment_id == request.enrolment_id)
            )
        assert count == 1, user_id


def test_two_hosts_reminding_at_once_ask_and_remind_each_person_once(committed):
    app, engine, factory = committed
    now = datetime.now(UTC)
    with app.app_context():
        session = factory()
        offering = make_offering(session, make_course(session), ends_at=now - timedelta(days=2))
        people = [enrol(session, offering).user_id for _ in range(5)]
        session.commit()
        session.close()

    def remind(at):
        return lambda session: send_evaluation_requests(
            session, now=at, base_url="https://kurs.example", domain="kurs.example"
        )

    first = together(app, factory, remind(now))
    assert all(isinstance(r, int) for r in first), first
    assert sum(first) == 5
    later = together(app, factory, remind(now + timedelta(days=8)))
    assert all(isinstance(r, int) for r in later), later
    assert sum(later) == 5
    with engine.connect() as conn:
        per_person = conn.execute(
            sa.select(OutboxEmail.user_id, sa.func.count())
            .where(OutboxEmail.user_id.in_(people))
            .group_by(OutboxEmail.user_id)
        ).all()
    assert sorted(n for _, n in per_person) == [2] * 5

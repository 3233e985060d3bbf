"""A double submit from two connections grades an attempt once (PostgreSQL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.errors import ConflictError
from app.extensions import db
from app.orm import utcnow
from app.quizzes.models import Attempt, AttemptStatus, Quiz
from app.quizzes.services import start_attempt, submit_attempt
from tests.certificates.builders import make_course, make_quiz
from tests.factories import make_user
from tests.races import committed_app, needs_postgres, run_together

pytestmark = needs_postgres


def _attempt(app):
    with app.app_context(), Session(db.engine) as session:
        quiz = make_quiz(session, make_course(session), questions=2)
        user = make_user(session)
        attempt = start_attempt(session, user=user, quiz=quiz, now=utcnow())
        session.commit()
        return attempt.id, attempt.sequence, user.id, quiz.id


def _submit_together(app, attempt_id, sequence, user_id, threads):
    def work(session):
        attempt = session.get(Attempt, attempt_id)
        user = session.get(User, user_id)
        answers = {qid: {"value": True} for qid in attempt.question_ids}
        return submit_attempt(session, attempt=attempt, user=user, responses=answers,
                              sequence=sequence, now=utcnow()).score

    return run_together(app, threads, work)


def test_two_simultaneous_submits_produce_one_graded_result(tmp_path):
    with committed_app(tmp_path, "race_submit") as app:
        attempt_id, sequence, user_id, _quiz = _attempt(app)
        results = _submit_together(app, attempt_id, sequence, user_id, threads=2)
        assert sorted(type(r).__name__ for r in results) in (
            ["ConflictError", "float"], ["StaleForm", "float"]), results
        with app.app_context(), Session(db.engine) as session:
            attempt = session.get(Attempt, attempt_id)
            assert attempt.status == AttemptStatus.GRADED and attempt.score == 2


def test_two_tabs_starting_at_once_open_one_attempt(tmp_path):
    with committed_app(tmp_path, "race_start") as app:
        with app.app_context(), Session(db.engine) as session:
            quiz_id = make_quiz(session, make_course(session)).id
            user_id = make_user(session).id
            session.commit()

        def work(session):
            return start_attempt(session, user=session.get(User, user_id),
                                 quiz=session.get(Quiz, quiz_id), now=utcnow()).id

        results = run_together(app, 4, work)
        assert len(set(results)) == 1, results
        with app.app_context(), Session(db.engine) as session:
            assert session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 1


@pytest.mark.slow
def test_a_hundred_double_submits_never_grade_twice(tmp_path):
    with committed_app(tmp_path, "race_submit_100") as app:
        for _ in range(100):
            attempt_id, sequence, user_id, _quiz = _attempt(app)
            results = _submit_together(app, attempt_id, sequence, user_id, threads=2)
            winners = [r for r in results if not isinstance(r, Exception)]
            assert len(winners) == 1, results
            assert all(isinstance(r, ConflictError) for r in results if r not in winners)

"""The evaluation demo: results to look at, and a threshold to see."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.evaluation import demo
from app.evaluation.aggregates import first_results
from app.evaluation.models import Evaluation, EvaluationRequest
from app.evaluation.queries import answer_rows, my_requests
from app.evaluation.scope import full_condition
from app.orm import utcnow

TODAY = date(2026, 11, 20)


@pytest.fixture
def load_everything(demo):
    """The whole demo (which imports the "IT i hverdagen" package first)."""
    return demo


def count(session, model):
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_without_the_course_the_demo_loads_no_evaluations_and_says_why(session, caplog):
    with caplog.at_level(logging.INFO, logger="app.evaluation.demo"):
        demo.load(session, TODAY)
    assert count(session, Evaluation) == 0
    assert "evaluation demo skipped" in caplog.text


def test_the_demo_shows_one_offering_with_results_and_one_below_the_threshold(session,
                                                                           load_everything):
    load_everything(today=TODAY)
    organiser = session.scalar(sa.select(User).where(User.email == demo.ORGANISER))
    rows = answer_rows(session, kind="first", condition=full_condition(organiser)).rows
    by_offering = {}
    for r in rows:
        by_offering.setdefault(r.group, []).append(r)
    assert sorted(len(v) for v in by_offering.values()) == [4, 9]
    results = first_results(rows)
    assert results.summary.n == 9 and results.split.withheld == 4
    follow = answer_rows(session, kind="follow_up", condition=full_condition(organiser)).rows
    assert len(follow) == 6

    leader = session.scalar(sa.select(User).where(User.email == demo.LEADER))
    (prompt,) = my_requests(
        session, leader, now=datetime(2026, 11, 20, 12, tzinfo=UTC), open_only=True
    )
    assert prompt.course_title.startswith("IT i hverdagen") and prompt.kind == "first"


def test_loading_the_evaluation_demo_twice_changes_nothing(session, load_everything):
    load_everything(today=TODAY)
    before = (count(session, Evaluation), count(session, EvaluationRequest))
    demo.load(session, TODAY)
    load_everything(today=TODAY)
    assert (count(session, Evaluation), count(session, EvaluationRequest)) == before


def test_the_demo_leaders_request_is_open_today(session, load_everything):
    load_everything(today=date.today())
    leader = session.scalar(sa.select(User).where(User.email == demo.LEADER))
    assert len(my_requests(session, leader, now=utcnow(), open_only=True)) == 1

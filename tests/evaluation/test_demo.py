"""The evaluation demo: results to look at, and a threshold to see."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import sqlalchemy as sa

from app.accounts.models import Organisation, User
from app.catalogue.models import Course
from app.demo.services import load_demo
from app.evaluation import demo
from app.evaluation.aggregates import first_results
from app.evaluation.models import Evaluation, EvaluationRequest
from app.evaluation.queries import answer_rows, my_requests
from app.evaluation.scope import full_condition
from app.orm import utcnow

TODAY = date(2026, 11, 20)


def demo_course(session) -> Course:
    trondheim = session.scalar(sa.select(Organisation).where(Organisation.slug == "trondheim"))
    course = Course(
        organisation_id=trondheim.id,
        slug="it-i-hverdagen",
        title="IT i hverdagen",
        status="published",
    )
    session.add(course)
    session.flush()
    return course


def count(session, model):
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_without_the_course_the_demo_loads_no_evaluations_and_says_why(session, caplog):
    with caplog.at_level(logging.INFO, logger="app.evaluation.demo"):
        load_demo(session, today=TODAY)
    assert count(session, Evaluation) == 0
    assert "evaluation demo skipped" in caplog.text


def test_the_demo_shows_one_offering_with_results_and_one_below_the_threshold(session):
    load_demo(session, today=TODAY)
    demo_course(session)
    demo.load(session, TODAY)
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
    assert prompt.course_title == "IT i hverdagen" and prompt.kind == "first"


def test_loading_the_evaluation_demo_twice_changes_nothing(session):
    load_demo(session, today=TODAY)
    demo_course(session)
    demo.load(session, TODAY)
    before = (count(session, Evaluation), count(session, EvaluationRequest))
    demo.load(session, TODAY)
    load_demo(session, today=TODAY)
    assert (count(session, Evaluation), count(session, EvaluationRequest)) == before


def test_the_demo_leaders_request_is_open_today(session):
    load_demo(session)
    demo_course(session)
    demo.load(session, date.today())
    leader = session.scalar(sa.select(User).where(User.email == demo.LEADER))
    assert len(my_requests(session, leader, now=utcnow(), open_only=True)) == 1

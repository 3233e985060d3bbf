"""A participant answers their evaluation once, from the home page or the e-mail link."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.errors import ConflictError, DomainError, NotFoundError
from app.evaluation.models import Evaluation, EvaluationKind, EvaluationQuestion
from app.evaluation.queries import own_evaluations
from app.evaluation.services import Answers, submit_evaluation
from app.orm import utcnow
from tests.evaluation.builders import ask, enrol, make_course, make_offering
from tests.factories import make_user

GOOD = {"relevance": "4", "usefulness": "5", "teaching": "3", "recommend": "9"}


def open_request(session, kind=EvaluationKind.FIRST, **offering_kw):
    """A request that is open now: the offering ended yesterday."""
    offering = make_offering(
        session,
        offering_kw.pop("course", None) or make_course(session, title="IT i hverdagen"),
        ends_at=utcnow() - timedelta(days=1),
        **offering_kw,
    )
    enrolment = enrol(session, offering)
    return ask(session, enrolment, kind)


def evaluations(session):
    return session.scalars(sa.select(Evaluation)).all()


def test_the_home_page_asks_and_the_answer_is_recorded_once(web, session, login_as):
    request = open_request(session)
    login_as(request.enrolment.user)
    home = web.get("/").get_data(as_text=True)
    assert "Du har 1 evaluering å svare på" in home
    assert f'href="/evalueringer/{request.id}"' in home

    page = web.get(f"/evalueringer/{request.id}").get_data(as_text=True)
    assert "<legend" in page and "Hvor relevant var kurset for arbeidet ditt?" in page
    response = web.post(
        f"/evalueringer/{request.id}", {**GOOD, "comment": "Nyttig om gevinstrealisering"}
    )
    assert response.status_code == 302
    (evaluation,) = evaluations(session)
    assert (evaluation.relevance, evaluation.usefulness, evaluation.teaching) == (4, 5, 3)
    assert evaluation.recommend == 9
    assert evaluation.comment == "Nyttig om gevinstrealisering"
    session.refresh(request)
    assert request.answered_at is not None

    thanks = web.get(f"/evalueringer/{request.id}").get_data(as_text=True)
    assert "Takk, du har svart" in thanks and "9 / 10" in thanks
    assert "evaluering å svare på" not in web.get("/").get_data(as_text=True)

    again = web.post(f"/evalueringer/{request.id}", GOOD)
    assert again.status_code == 200
    assert len(evaluations(session)) == 1


def test_a_missing_score_is_named_and_nothing_typed_is_lost(web, session, login_as):
    request = open_request(session)
    login_as(request.enrolment.user)
    response = web.post(
        f"/evalueringer/{request.id}",
        {"relevance": "4", "usefulness": "5", "recommend": "11", "comment": "Bra dag"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="#teaching"' in page, "the error summary links to the question"
    assert 'id="teaching"' in page
    assert "Bra dag" in page
    assert 'checked class="ds-input" id="relevance-3"' in page, "the chosen 4 stays chosen"
    assert evaluations(session) == []


def test_someone_elses_request_is_not_found(web, session, login_as):
    request = open_request(session)
    login_as(make_user(session))
    assert web.get(f"/evalueringer/{request.id}").status_code == 404
    assert web.post(f"/evalueringer/{request.id}", GOOD).status_code == 404
    assert evaluations(session) == []


def test_a_closed_request_can_no_longer_be_answered(web, session, login_as):
    request = open_request(session)
    request.closes_at = utcnow() - timedelta(minutes=1)
    request.opens_at = request.closes_at - timedelta(days=42)
    login_as(request.enrolment.user)
    page = web.get(f"/evalueringer/{request.id}").get_data(as_text=True)
    assert "Fristen for å svare var" in page
    assert '<form method="post" class="form-stack evaluation-form"' not in page
    web.post(f"/evalueringer/{request.id}", GOOD)
    assert evaluations(session) == []


def test_the_follow_up_asks_one_question_yes_partly_or_no(web, session, login_as):
    request = open_request(session, EvaluationKind.FOLLOW_UP)
    login_as(request.enrolment.user)
    page = web.get(f"/evalueringer/{request.id}").get_data(as_text=True)
    assert "Har du endret hvordan du bruker IT i enheten din på grunn av kurset?" in page
    assert "Hvor relevant" not in page
    web.post(f"/evalueringer/{request.id}", {"follow_up": "partly", "comment": "Ny rutine"})
    (evaluation,) = evaluations(session)
    assert (evaluation.kind, evaluation.follow_up, evaluation.relevance) == (
        "follow_up",
        "partly",
        None,
    )


def test_the_courses_own_questions_are_asked_after_the_standard_ones(web, session, login_as):
    course = make_course(session)
    scale = EvaluationQuestion(course_id=course.id, position=1, text="Var tempoet riktig?")
    text = EvaluationQuestion(course_id=course.id, position=2, text="Hva savnet du?", kind="text")
    retired = EvaluationQuestion(course_id=course.id, position=3, text="Gammelt", active=False)
    session.add_all([scale, text, retired])
    request = open_request(session, course=course)
    login_as(request.enrolment.user)
    page = web.get(f"/evalueringer/{request.id}").get_data(as_text=True)
    assert page.index("Hvor god var undervisningen?") < page.index("Var tempoet riktig?")
    assert "Gammelt" not in page
    response = web.post(f"/evalueringer/{request.id}", GOOD)
    assert 'href="#own_' in response.get_data(as_text=True), "the scale question is required"
    web.post(f"/evalueringer/{request.id}", {**GOOD, f"own_{scale.id}": "2"})
    (evaluation,) = evaluations(session)
    assert [(a.question_id, a.score, a.text) for a in evaluation.answers] == [(scale.id, 2, None)]


def test_two_submissions_of_one_request_record_one_answer(session):
    request = open_request(session)
    user = request.enrolment.user
    answers = Answers(relevance=4, usefulness=4, teaching=4, recommend=8)
    submit_evaluation(session, user=user, request=request, answers=answers, now=utcnow())
    with pytest.raises(ConflictError):
        submit_evaluation(session, user=user, request=request, answers=answers, now=utcnow())
    assert len(evaluations(session)) == 1


def test_the_service_checks_ranges_and_ownership_itself(session):
    request = open_request(session)
    user = request.enrolment.user
    bad = Answers(relevance=6, usefulness=4, teaching=4, recommend=8)
    with pytest.raises(DomainError) as error:
        submit_evaluation(session, user=user, request=request, answers=bad, now=utcnow())
    assert error.value.field == "relevance"
    with pytest.raises(NotFoundError):
        submit_evaluation(
            session,
            user=make_user(session),
            request=request,
            answers=Answers(relevance=4, usefulness=4, teaching=4, recommend=8),
            now=utcnow(),
        )
    with pytest.raises(DomainError, match="ikke åpnet"):
        submit_evaluation(
            session,
            user=user,
            request=request,
            answers=Answers(relevance=4, usefulness=4, teaching=4, recommend=8),
            now=request.opens_at - timedelta(seconds=1),
        )
    assert evaluations(session) == []


def test_the_database_refuses_scores_outside_the_scale(session):
    request = open_request(session)
    session.add(
        Evaluation(
            enrolment_id=request.enrolment_id,
            offering_id=request.enrolment.offering_id,
            kind="first",
            relevance=6,
            usefulness=4,
            teaching=4,
            recommend=8,
        )
    )
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()


def test_my_own_answers_are_ready_for_my_data_export(session):
    request = open_request(session, title="Vår 2027")
    user = request.enrolment.user
    submit_evaluation(
        session,
        user=user,
        request=request,
        now=utcnow(),
        answers=Answers(relevance=5, usefulness=4, teaching=3, recommend=10, comment="Takk"),
    )
    other = open_request(session)
    submit_evaluation(
        session,
        user=other.enrolment.user,
        request=other,
        now=utcnow(),
        answers=Answers(relevance=1, usefulness=1, teaching=1, recommend=0),
    )
    (mine,) = own_evaluations(session, user)
    assert mine["course"] == "IT i hverdagen" and mine["offering"] == "Vår 2027"
    assert (mine["relevance"], mine["recommend"], mine["comment"]) == (5, 10, "Takk")
    assert mine["kind"] == "first" and mine["own_questions"] == []


def test_my_evaluations_lists_open_and_answered_requests(web, session, login_as):
    request = open_request(session)
    login_as(request.enrolment.user)
    page = web.get("/evalueringer/").get_data(as_text=True)
    assert "Svar nå" in page and "IT i hverdagen" in page

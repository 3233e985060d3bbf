"""A course's own questions: at most three, edited only until someone answers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.errors import DomainError
from app.evaluation.models import Evaluation, EvaluationAnswer, EvaluationQuestion
from app.evaluation.questions import add_question
from app.orm import utcnow
from tests.evaluation.builders import answered_offering, make_course
from tests.factories import make_org, make_user


def questions(session, course):
    return session.scalars(
        sa.select(EvaluationQuestion)
        .where(EvaluationQuestion.course_id == course.id)
        .order_by(EvaluationQuestion.id)
    ).all()


def test_an_organiser_adds_up_to_three_questions_and_no_fourth(web, session, login_as):
    org = make_org(session)
    course = make_course(session, org=org, slug="egne")
    login_as(make_user(session, org=org, roles=["organiser"]))
    url = "/evalueringer/kurs/egne/sporsmal"
    for i in range(3):
        response = web.post(url, {"text": f"Spørsmål {i}", "kind": "scale"}, page=url)
        assert response.status_code == 302
    page = web.get(url).get_data(as_text=True)
    assert "Spørsmål som stilles nå (3 av 3)" in page
    assert "Legg til et spørsmål" not in page
    response = web.post(url, {"text": "Det fjerde", "kind": "text"}, page=url)
    assert "Kurset har allerede tre egne spørsmål" in response.get_data(as_text=True)
    assert [q.position for q in questions(session, course)] == [1, 2, 3]


def test_the_database_allows_three_active_questions_at_most(session):
    course = make_course(session)
    for position in (1, 2, 3):
        session.add(EvaluationQuestion(course_id=course.id, position=position, text="x"))
    session.flush()
    for position in (4, 2):  # outside 1–3, and a place already taken
        with session.begin_nested():
            session.add(EvaluationQuestion(course_id=course.id, position=position, text="y"))
            with pytest.raises(sa.exc.IntegrityError):
                session.flush()
    session.add(EvaluationQuestion(course_id=course.id, position=2, text="z", active=False))
    session.flush()


def test_an_answered_question_cannot_change_but_can_be_retired(web, session, login_as):
    org = make_org(session)
    course = make_course(session, org=org, slug="besvart")
    organiser = make_user(session, org=org, roles=["organiser"])
    question = add_question(
        session, actor=organiser, course=course, text="Tempo?", kind="scale", now=utcnow()
    )
    offering = answered_offering(session, course, 1)
    evaluation = session.scalar(sa.select(Evaluation).where(Evaluation.offering_id == offering.id))
    session.add(EvaluationAnswer(evaluation_id=evaluation.id, question_id=question.id, score=3))
    session.flush()

    login_as(organiser)
    page_url = "/evalueringer/kurs/besvart/sporsmal"
    response = web.post(
        f"/evalueringer/sporsmal/{question.id}",
        {f"q{question.id}-text": "Nytt", f"q{question.id}-kind": "scale"},
        page=page_url,
    )
    assert "kan ikke endres" in response.get_data(as_text=True)
    session.refresh(question)
    assert question.text == "Tempo?"
    assert web.post(f"/evalueringer/sporsmal/{question.id}/ta-ut", page=page_url).status_code == 302
    session.refresh(question)
    assert not question.active and question.retired_at is not None


def test_an_unanswered_question_can_be_edited(web, session, login_as):
    org = make_org(session)
    course = make_course(session, org=org, slug="uendret")
    organiser = make_user(session, org=org, roles=["organiser"])
    question = add_question(
        session, actor=organiser, course=course, text="Tmepo?", kind="scale", now=utcnow()
    )
    login_as(organiser)
    page_url = "/evalueringer/kurs/uendret/sporsmal"
    assert f'name="q{question.id}-text"' in web.get(page_url).get_data(as_text=True)
    web.post(
        f"/evalueringer/sporsmal/{question.id}",
        {f"q{question.id}-text": "Tempo?", f"q{question.id}-kind": "text"},
        page=page_url,
    )
    session.refresh(question)
    assert (question.text, question.kind) == ("Tempo?", "text")


def test_another_organisations_organiser_cannot_touch_the_questions(web, session, login_as):
    course = make_course(session, slug="andres")
    question = add_question(
        session, actor=make_user(session), course=course, text="x", kind="scale", now=utcnow()
    )
    login_as(make_user(session, roles=["organiser"]))
    assert web.get("/evalueringer/kurs/andres/sporsmal").status_code == 404
    response = web.post(f"/evalueringer/sporsmal/{question.id}/ta-ut")
    assert response.status_code == 404
    session.refresh(question)
    assert question.active


def test_an_empty_or_overlong_question_is_refused(session):
    course = make_course(session)
    user = make_user(session)
    for text in ("   ", "x" * 301):
        with pytest.raises(DomainError) as error:
            add_question(session, actor=user, course=course, text=text, kind="scale", now=utcnow())
        assert error.value.field == "text"

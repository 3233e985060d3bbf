"""The quiz API: the same rules as the pages."""

from __future__ import annotations

import pytest

from tests.certificates.builders import add_single, make_course, make_quiz
from tests.factories import make_token, make_user


@pytest.fixture
def api(client, session):
    def call(method, url, user, json=None):
        token = make_token(session, user)
        return client.open(url, method=method, json=json,
                           headers={"Authorization": f"Bearer {token}"})
    return call


def test_a_quiz_is_taken_through_the_api_and_graded_once(api, session):
    course = make_course(session, completion_requires_quiz=True)
    quiz = make_quiz(session, course, questions=1, pass_percent=100)
    question = add_single(session, quiz)
    user = make_user(session, org=quiz.course.organisation)
    info = api("GET", f"/api/v1/quizzes/{quiz.id}", user).get_json()
    assert info["questions"] == 2 and info["attempts_used"] == 0 and "choices" not in info
    started = api("POST", f"/api/v1/quizzes/{quiz.id}/attempts", user)
    assert started.status_code == 201
    attempt = started.get_json()
    assert all("correct" not in c for q in attempt["questions"] for c in q["choices"])
    right = next(c["id"] for c in attempt["questions"][[q["id"] for q in
                                                         attempt["questions"]].index(
                                                             question.id)]["choices"]
                 if c["text"] == "Riktig")
    answers = {str(quiz.questions[0].id): {"value": True}, str(question.id): {"choice": right}}
    body = {"answers": answers, "sequence": attempt["sequence"]}
    graded = api("POST", f"/api/v1/attempts/{attempt['id']}/submit", user, body)
    assert graded.status_code == 200
    assert graded.get_json()["passed"] is True and graded.get_json()["percent"] == 100
    again = api("POST", f"/api/v1/attempts/{attempt['id']}/submit", user, body)
    assert again.status_code == 409 and again.get_json()["code"] == "attempt_submitted"


def test_an_answer_that_does_not_fit_its_question_is_a_422(api, session):
    course = make_course(session)
    quiz = make_quiz(session, course, questions=0)
    question = add_single(session, quiz)
    user = make_user(session, org=quiz.course.organisation)
    attempt = api("POST", f"/api/v1/quizzes/{quiz.id}/attempts", user).get_json()
    bad = api("POST", f"/api/v1/attempts/{attempt['id']}/submit", user,
              {"answers": {str(question.id): {"choice": 999999}}})
    assert bad.status_code == 422 and bad.get_json()["code"] == "invalid_answer"
    wrong_question = api("POST", f"/api/v1/attempts/{attempt['id']}/submit", user,
                         {"answers": {"123456789": {"choice": 1}}})
    assert wrong_question.status_code == 422


def test_a_stale_sequence_is_a_409_and_someone_elses_attempt_a_404(api, session):
    course = make_course(session)
    quiz = make_quiz(session, course)
    user = make_user(session, org=quiz.course.organisation)
    attempt = api("POST", f"/api/v1/quizzes/{quiz.id}/attempts", user).get_json()
    stale = api("POST", f"/api/v1/attempts/{attempt['id']}/submit", user,
                {"answers": {}, "sequence": attempt["sequence"] + 5})
    assert stale.status_code == 409 and stale.get_json()["code"] == "stale_form"
    colleague = make_user(session, org=quiz.course.organisation)
    other = api("POST", f"/api/v1/attempts/{attempt['id']}/submit", colleague,
                {"answers": {}})
    assert other.status_code == 404

"""Taking a quiz in the browser: pages, saving, submitting once, time limits."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.certificates.models import Certificate, Completion
from app.orm import utcnow
from app.quizzes.models import Attempt, AttemptStatus, Question
from tests.certificates.builders import add_single, make_course, make_quiz
from tests.factories import make_user

SEQ = re.compile(r'name="sequence" value="(\d+)"')


def page_of(web, attempt_id, side=1):
    response = web.get(f"/forsok/{attempt_id}?side={side}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html, int(SEQ.search(html).group(1))


def start(web, quiz):
    response = web.post(f"/prover/{quiz.id}/start")
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.fixture
def quiz_course(session):
    course = make_course(session, completion_requires_quiz=True, title="IT i hverdagen")
    quiz = make_quiz(session, course, pass_percent=100, questions=2)
    return course, quiz


def test_a_leader_answers_one_question_per_page_and_passes(web, session, login_as,
                                                          quiz_course):
    course, quiz = quiz_course
    login_as(make_user(session, org=quiz.course.organisation, name="Kari Leder"))
    attempt_id = start(web, quiz)
    html, seq = page_of(web, attempt_id)
    assert "Spørsmål 1 av 2" in html and "<progress" in html
    q1, q2 = (q.id for q in quiz.questions)
    shown = int(re.search(r'name="q-(\d+)"', html).group(1))
    other = q2 if shown == q1 else q1
    response = web.post(f"/forsok/{attempt_id}", {"sequence": seq, "page": 0,
                                                  "action": "next", f"q-{shown}": "true"})
    assert response.headers["Location"].endswith("side=2")
    html, seq = page_of(web, attempt_id, 2)
    assert "1 besvart" in html
    response = web.post(f"/forsok/{attempt_id}", {"sequence": seq, "page": 1,
                                                  "action": "submit", f"q-{other}": "true"})
    assert response.headers["Location"].endswith(f"/forsok/{attempt_id}/resultat")
    result = web.get(f"/forsok/{attempt_id}/resultat").get_data(as_text=True)
    assert "Bestått!" in result and "Last ned kursbeviset" in result
    assert "Forklaring 1" in result
    cert = session.scalar(sa.select(Certificate).join(Completion)
                          .where(Completion.course_id == course.id))
    assert cert.person_name == "Kari Leder"


def test_answers_saved_on_one_page_are_still_there_when_the_page_is_loaded_again(
        web, session, login_as, quiz_course):
    _course, quiz = quiz_course
    login_as(make_user(session, org=quiz.course.organisation))
    attempt_id = start(web, quiz)
    html, seq = page_of(web, attempt_id)
    shown = int(re.search(r'name="q-(\d+)"', html).group(1))
    web.post(f"/forsok/{attempt_id}", {"sequence": seq, "page": 0, "action": "save",
                                       f"q-{shown}": "false"})
    html, _seq = page_of(web, attempt_id)
    assert re.search(rf'id="q-{shown}-false"[^>]*checked', html)


def test_a_double_click_on_submit_grades_the_attempt_once(web, session, login_as,
                                                          quiz_course):
    _course, quiz = quiz_course
    login_as(make_user(session, org=quiz.course.organisation))
    attempt_id = start(web, quiz)
    _html, seq = page_of(web, attempt_id)
    data = {"sequence": seq, "page": 0, "action": "submit"}
    first = web.post(f"/forsok/{attempt_id}", data)
    second = web.post(f"/forsok/{attempt_id}", data)
    assert first.status_code == second.status_code == 302
    follow = web.get(second.headers["Location"]).get_data(as_text=True)
    assert "allerede levert" in follow
    attempt = session.get(Attempt, attempt_id)
    session.refresh(attempt)
    assert attempt.status == AttemptStatus.GRADED


def test_a_replayed_old_form_is_refused_with_a_clear_message_and_the_answers_kept(
        web, session, login_as, quiz_course):
    _course, quiz = quiz_course
    login_as(make_user(session, org=quiz.course.organisation))
    attempt_id = start(web, quiz)
    html, old_seq = page_of(web, attempt_id)
    shown = int(re.search(r'name="q-(\d+)"', html).group(1))
    web.post(f"/forsok/{attempt_id}", {"sequence": old_seq, "page": 0, "action": "save",
                                       f"q-{shown}": "true"})
    stale = web.post(f"/forsok/{attempt_id}", {"sequence": old_seq, "page": 0,
                                               "action": "save", f"q-{shown}": "false"})
    assert stale.status_code == 409
    body = stale.get_data(as_text=True)
    assert "endret i en annen fane" in body
    assert re.search(rf'id="q-{shown}-false"[^>]*checked', body)  # what they sent is kept


def test_answers_sent_after_the_time_limit_do_not_count(web, session, login_as, quiz_course):
    _course, quiz = quiz_course
    quiz.time_limit_minutes = 5
    login_as(make_user(session, org=quiz.course.organisation))
    attempt_id = start(web, quiz)
    html, seq = page_of(web, attempt_id)
    shown = int(re.search(r'name="q-(\d+)"', html).group(1))
    attempt = session.get(Attempt, attempt_id)
    attempt.deadline_at = utcnow() - timedelta(minutes=2)
    session.flush()
    html, seq = page_of(web, attempt_id)
    assert "Tiden er ute" in html
    response = web.post(f"/forsok/{attempt_id}", {"sequence": seq, "page": 0,
                                                  "action": "submit", f"q-{shown}": "true"})
    assert response.status_code == 302
    session.refresh(attempt)
    assert attempt.timed_out and attempt.score == 0 and not attempt.passed


def test_nobody_sees_another_persons_attempt(web, session, login_as, quiz_course):
    _course, quiz = quiz_course
    login_as(make_user(session, org=quiz.course.organisation))
    attempt_id = start(web, quiz)
    login_as(make_user(session, org=quiz.course.organisation))
    assert web.get(f"/forsok/{attempt_id}").status_code == 404
    assert web.get(f"/forsok/{attempt_id}/resultat").status_code == 404


def test_the_attempts_allowed_are_enforced(web, session, login_as, quiz_course):
    _course, quiz = quiz_course
    quiz.attempts_allowed = 1
    login_as(make_user(session, org=quiz.course.organisation))
    attempt_id = start(web, quiz)
    _html, seq = page_of(web, attempt_id)
    web.post(f"/forsok/{attempt_id}", {"sequence": seq, "page": 0, "action": "submit"})
    again = web.post(f"/prover/{quiz.id}/start")
    assert again.headers["Location"].endswith(f"/prover/{quiz.id}")
    assert "brukt alle forsøkene" in web.get(f"/prover/{quiz.id}").get_data(as_text=True)


def test_all_questions_on_one_page_with_choices_in_the_drawn_order(web, session, login_as):
    course = make_course(session)
    quiz = make_quiz(session, course, questions=1, paging="all", shuffle_choices=True)
    add_single(session, quiz, prompt="Hva er gevinstrealisering?",
               choices=("Å hente ut nytten", "Å kjøpe utstyr", "Å skrive kode"))
    login_as(make_user(session, org=quiz.course.organisation))
    attempt_id = start(web, quiz)
    html, _seq = page_of(web, attempt_id)
    assert "2 spørsmål" in html and "Hva er gevinstrealisering?" in html
    attempt = session.get(Attempt, attempt_id)
    qid = quiz.questions[1].id
    order = attempt.choice_order[str(qid)]
    positions = [html.index(f'id="q-{qid}-{cid}"') for cid in order]
    assert positions == sorted(positions)


def test_a_draft_courses_quiz_is_hidden_from_participants(web, session, login_as):
    course = make_course(session)
    course.status = "draft"
    quiz = make_quiz(session, course)
    login_as(make_user(session, org=quiz.course.organisation))
    assert web.get(f"/prover/{quiz.id}").status_code == 404


def test_a_numeric_question_names_its_unit_beside_the_answer_field(web, session, login_as):
    course = make_course(session, title="IT i hverdagen")
    quiz = make_quiz(session, course, questions=0)
    for position, unit in ((1, "timer"), (2, None)):
        session.add(Question(quiz=quiz, position=position, kind="numeric", prompt="Hvor mange?",
                             numeric_answer=3, tolerance=0, unit=unit, explanation="Tre."))
    session.flush()
    login_as(make_user(session, org=course.organisation))
    attempt_id = start(web, quiz)
    assert "Svar (timer)" in page_of(web, attempt_id, 1)[0]
    assert "Svar (tall)" in page_of(web, attempt_id, 2)[0]

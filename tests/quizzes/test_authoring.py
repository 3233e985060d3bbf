"""Organisers and editors write quizzes for their organisation's courses."""

from __future__ import annotations

import sqlalchemy as sa

from app.quizzes.models import Question, Quiz
from tests.certificates.builders import make_course, make_quiz
from tests.factories import make_user


def choice_rows(*rows):
    data = {}
    for i, (text, correct) in enumerate(rows):
        data[f"choices-{i}-text"] = text
        if correct:
            data[f"choices-{i}-correct"] = "y"
    return data


def test_an_editor_creates_a_quiz_and_adds_a_single_choice_question(web, session, login_as):
    course = make_course(session, title="IT i hverdagen")
    login_as(make_user(session, org=course.organisation, roles=["editor"]))
    assert "IT i hverdagen" in web.get("/prover").get_data(as_text=True)
    created = web.post(f"/prover/ny/{course.id}")
    quiz = session.scalar(sa.select(Quiz).where(Quiz.course_id == course.id))
    assert created.headers["Location"].endswith(f"/prover/{quiz.id}/rediger")
    response = web.post(f"/prover/{quiz.id}/sporsmal/ny?type=single", {
        "prompt": "Hva er gevinstrealisering?", "points": 2, "explanation": "Se DFØ.",
        **choice_rows(("Å hente ut nytten av et tiltak", True), ("Å kjøpe PC-er", False)),
    })
    assert response.status_code == 302
    question = session.scalar(sa.select(Question).where(Question.quiz_id == quiz.id))
    assert [c.text for c in question.choices] == ["Å hente ut nytten av et tiltak",
                                                  "Å kjøpe PC-er"]
    preview = web.get(f"/prover/{quiz.id}/forhandsvis").get_data(as_text=True)
    assert "Fasit:" in preview and "Å hente ut nytten av et tiltak" in preview


def test_a_single_choice_question_needs_exactly_one_right_answer(web, session, login_as):
    course = make_course(session)
    quiz = make_quiz(session, course, questions=0)
    login_as(make_user(session, org=course.organisation, roles=["organiser"]))
    response = web.post(f"/prover/{quiz.id}/sporsmal/ny?type=single", {
        "prompt": "Hvilken?", "points": 1, "explanation": "A.",
        **choice_rows(("A", True), ("B", True)),
    })
    assert response.status_code == 200
    assert "Nøyaktig ett svaralternativ skal være riktig." in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(Question)
                          .where(Question.quiz_id == quiz.id)) == 0


def test_numeric_short_text_and_ordering_questions_are_authored_with_their_answers(
        web, session, login_as):
    course = make_course(session)
    quiz = make_quiz(session, course, questions=0)
    login_as(make_user(session, org=course.organisation, roles=["organiser"]))
    web.post(f"/prover/{quiz.id}/sporsmal/ny?type=numeric",
             {"prompt": "Hvor mange faser?", "points": 1, "numeric_answer": "4",
              "tolerance": "0", "unit": "faser", "explanation": "Fire."})
    web.post(f"/prover/{quiz.id}/sporsmal/ny?type=short_text",
             {"prompt": "Hva heter analysen?", "points": 1, "explanation": "ROS.",
              "accepted_answers": "ROS-analyse\nrisikoanalyse\n"})
    web.post(f"/prover/{quiz.id}/sporsmal/ny?type=ordering",
             {"prompt": "Sorter fasene", "points": 1, "explanation": "Slik.",
              **choice_rows(("Konsept", False), ("Planlegging", False), ("Gjennomføring", False))})
    session.expire_all()
    kinds = {str(q.kind): q for q in session.get(Quiz, quiz.id).questions}
    assert (kinds["numeric"].numeric_answer, kinds["numeric"].unit) == (4, "faser")
    assert kinds["short_text"].accepted_answers == ["ROS-analyse", "risikoanalyse"]
    assert [c.text for c in kinds["ordering"].choices] == ["Konsept", "Planlegging",
                                                          "Gjennomføring"]


def test_quiz_settings_are_checked_and_saved(web, session, login_as):
    course = make_course(session)
    quiz = make_quiz(session, course, questions=3)
    login_as(make_user(session, org=course.organisation, roles=["organiser"]))
    settings = {"title": "Prøve", "pass_percent": 80, "paging": "all", "draw_count": 5,
                "shuffle_questions": "y"}
    too_many = web.post(f"/prover/{quiz.id}/rediger", settings)
    assert "bare 3 spørsmål" in too_many.get_data(as_text=True)
    saved = web.post(f"/prover/{quiz.id}/rediger", {**settings, "draw_count": 2,
                                                    "time_limit_minutes": 20})
    assert saved.status_code == 302
    session.refresh(quiz)
    assert (quiz.draw_count, quiz.time_limit_minutes, quiz.paging) == (2, 20, "all")


def test_deleting_a_question_closes_the_gap_in_positions(web, session, login_as):
    course = make_course(session)
    quiz = make_quiz(session, course, questions=3)
    login_as(make_user(session, org=course.organisation, roles=["editor"]))
    web.post(f"/sporsmal/{quiz.questions[0].id}/slett")
    session.expire_all()
    assert [q.position for q in session.get(Quiz, quiz.id).questions] == [1, 2]


def test_authors_of_another_organisation_cannot_touch_the_quiz(web, session, login_as):
    course = make_course(session)
    quiz = make_quiz(session, course)
    login_as(make_user(session, roles=["editor"]))  # another organisation
    assert web.get(f"/prover/{quiz.id}/rediger").status_code == 404
    assert web.get(f"/prover/{quiz.id}/forhandsvis").status_code == 404
    assert web.post(f"/sporsmal/{quiz.questions[0].id}/slett").status_code == 404


def test_a_partners_imported_quiz_is_shown_read_only_and_its_edit_pages_redirect(
        web, session, login_as, tmp_path):
    from app.orm import utcnow
    from app.sharing.services import upload_package
    from app.sharing.storage import BlobStore
    from tests.sharing.helpers import county_zip, editor

    trondheim = editor(session, slug="trondheim")
    course = upload_package(session, actor=trondheim, data=county_zip("1.0.0"),
                            store=BlobStore(tmp_path), now=utcnow()).course
    quiz = session.scalar(sa.select(Quiz).where(Quiz.course_id == course.id))
    login_as(trondheim)
    listing = web.get("/prover").get_data(as_text=True)
    assert "Følger partnerens pakke" in listing
    assert f"/prover/{quiz.id}/rediger" not in listing
    assert f"/prover/{quiz.id}/forhandsvis" in listing
    refused = web.get(f"/prover/{quiz.id}/rediger")
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/prover")
    assert "kan ikke redigeres her" in web.get("/prover").get_data(as_text=True)
    question = quiz.questions[0]
    web.post(f"/sporsmal/{question.id}/slett")
    session.expire_all()
    assert session.get(Question, question.id).retired_at is None
    assert web.get(f"/prover/{quiz.id}/forhandsvis").status_code == 200


def test_editing_a_question_keeps_the_choices_whose_text_stays(session):
    from app.quizzes import authoring

    course = make_course(session)
    quiz = make_quiz(session, course, questions=0)
    author = make_user(session, org=course.organisation, roles=["editor"])
    data = authoring.QuestionData(kind="single", prompt="Hvem eier gevinstene?",
                                  explanation="Linjen.",
                                  choices=[authoring.ChoiceData("Linjen", True),
                                           authoring.ChoiceData("Leverandøren")])
    question = authoring.save_question(session, actor=author, quiz=quiz, data=data)
    linjen = question.choices[0].id
    data.choices = [authoring.ChoiceData("IT-tjenesten"), authoring.ChoiceData("Linjen", True)]
    authoring.save_question(session, actor=author, quiz=quiz, data=data, question=question)
    assert [(c.text, c.position) for c in question.choices] == [("IT-tjenesten", 1),
                                                                ("Linjen", 2)]
    assert question.choices[1].id == linjen
    assert question.source_key == "hvem-eier-gevinstene"


def test_a_question_is_held_to_what_quiz_toml_allows_so_the_quiz_can_always_be_exported(
        web, session, login_as):
    course = make_course(session)
    quiz = make_quiz(session, course, questions=0)
    login_as(make_user(session, org=course.organisation, roles=["organiser"]))
    response = web.post(f"/prover/{quiz.id}/sporsmal/ny?type=single", {
        "prompt": "Hvilken?", "points": 1, "explanation": "Den første.",
        **choice_rows(("A" * 600, True), ("B", False)),
    })
    assert response.status_code == 200
    assert "er for lang (høyst 500 tegn)" in response.get_data(as_text=True)
    missing = web.post(f"/prover/{quiz.id}/sporsmal/ny?type=true_false",
                       {"prompt": "Sant?", "points": 1, "correct_true": "true"})
    assert missing.status_code == 200
    assert session.scalar(sa.select(sa.func.count()).select_from(Question)
                          .where(Question.quiz_id == quiz.id)) == 0


def test_a_quiz_stops_at_the_most_questions_a_package_can_carry(web, session, login_as):
    course = make_course(session)
    quiz = make_quiz(session, course, questions=200)
    login_as(make_user(session, org=course.organisation, roles=["editor"]))
    response = web.post(f"/prover/{quiz.id}/sporsmal/ny?type=true_false", {
        "prompt": "Enda en påstand", "points": 1, "explanation": "Fordi.",
        "correct_true": "true",
    })
    assert response.status_code == 200
    assert "En prøve kan ha høyst 200 spørsmål." in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(Question)
                          .where(Question.quiz_id == quiz.id)) == 200

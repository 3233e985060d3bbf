"""A package's quiz.toml is the course's quiz: importing writes the quiz tables, a newer
version updates the questions by their id and retires the removed ones without touching
anyone's attempts, and exporting writes quiz.toml back from the tables."""

from __future__ import annotations

import random

import pytest
import sqlalchemy as sa

from app.orm import utcnow
from app.quizzes import authoring
from app.quizzes.models import Answer, Attempt, Choice, Question, Quiz
from app.quizzes.services import attempt_questions, spec_of, start_attempt, submit_attempt
from app.quizzes.types import question_type
from app.sharing import drafts, services
from app.sharing.archive import read_zip
from app.sharing.models import SharingScope
from app.sharing.package import load_package
from app.sharing.quizfile import quiz_document
from app.sharing.tomlfile import dumps
from tests.certificates.builders import add_modules, make_course
from tests.factories import make_user
from tests.sharing.builders import QUIZ, manifest, package_files, zip_of
from tests.sharing.conftest import KURS
from tests.sharing.helpers import county_zip, editor

NUMERIC = {"id": "q3", "type": "numeric", "text": "Hvor mange dager har dugnaden?",
           "answer": 2.0, "tolerance": 0.0, "unit": "dager",
           "explanation": "To dager, som i programmet."}


def quiz_of(session, course) -> Quiz:
    return session.scalar(sa.select(Quiz).where(Quiz.course_id == course.id))


def upload(session, store, actor, data, scope=None):
    return services.upload_package(session, actor=actor, data=data, store=store, now=utcnow(),
                                   scope=scope)


def version_zip(version: str, quiz: dict) -> bytes:
    return zip_of(package_files(manifest_doc=manifest(version=version), quiz=quiz))


def right_response(question: Question) -> dict:
    spec = spec_of(question)
    answer = question_type(spec.kind).right_response(spec)
    if spec.kind == "numeric":
        return {"text": str(answer["value"])}
    if spec.kind == "short_text":
        return {"text": answer["texts"][0]}
    return answer


def take(session, quiz: Quiz, user, *, wrong: set[str] = frozenset()) -> Attempt:
    """An attempt answered right, except the questions whose keys are in ``wrong``."""
    attempt = start_attempt(session, user=user, quiz=quiz, now=utcnow(),
                            rng=random.Random(1))
    responses = {}
    for question in attempt_questions(session, attempt):
        if question.source_key in wrong:
            responses[question.id] = {"value": not question.correct_true}
        else:
            responses[question.id] = right_response(question)
    return submit_attempt(session, attempt=attempt, user=user, responses=responses,
                          sequence=attempt.sequence, now=utcnow())


def test_importing_a_package_creates_its_quiz_questions_and_choices(session, store):
    course = services.import_path(session, path=KURS / "it-i-hverdagen", store=store,
                                  now=utcnow()).course
    package = load_package(KURS / "it-i-hverdagen").quiz
    quiz = quiz_of(session, course)
    assert (quiz.title, quiz.pass_percent) == (package.title, package.pass_mark)
    assert [q.source_key for q in quiz.questions] == [q.id for q in package.questions]
    assert [q.position for q in quiz.questions] == list(range(1, len(package.questions) + 1))
    by_key = {q.source_key: q for q in quiz.questions}
    first = package.questions[0]
    assert [(c.text, c.correct) for c in by_key[first.id].choices] == [
        (c.text, c.correct) for c in first.choices]
    assert (by_key["frigjort-tid"].unit, by_key["frigjort-tid"].tolerance) == ("timer", 0.0)
    assert [c.text for c in by_key["faser"].choices] == list(
        next(q for q in package.questions if q.id == "faser").items)
    assert by_key["nullpunkt"].correct_true is False


def test_a_newer_version_updates_questions_in_place_and_past_attempts_keep_their_scores(
        session, store):
    trondheim = editor(session, slug="trondheim")
    course = upload(session, store, trondheim, county_zip("1.0.0")).course
    quiz = quiz_of(session, course)
    q1, q2 = quiz.questions
    kept_choice = next(c for c in q1.choices if c.correct)
    learner = make_user(session, org=trondheim.organisation)
    attempt = take(session, quiz, learner, wrong={"q2"})
    graded = (attempt.score, attempt.max_score, attempt.percent, attempt.passed)
    assert graded == (1, 2, 50, False)

    first = dict(QUIZ["questions"][0], text="Hvem eier en kurspakke?", points=2,
                 choices=[{"text": "Ingen", "correct": False},
                          *QUIZ["questions"][0]["choices"]])
    upload(session, store, trondheim, version_zip("1.1.0", dict(QUIZ, questions=[
        first, NUMERIC])))

    session.expire_all()
    quiz = quiz_of(session, course)
    assert [q.source_key for q in quiz.questions] == ["q1", "q3"]
    assert quiz.questions[0].id == q1.id and quiz.questions[0].prompt == "Hvem eier en kurspakke?"
    assert quiz.questions[0].points == 2
    assert [c.text for c in quiz.questions[0].choices][0] == "Ingen"
    assert session.get(Choice, kept_choice.id).correct
    assert quiz.questions[1].unit == "dager"
    retired = session.get(Question, q2.id)
    assert retired.retired_at is not None and retired.position < 0
    attempt = session.get(Attempt, attempt.id)
    assert (attempt.score, attempt.max_score, attempt.percent, attempt.passed) == graded
    assert [q.id for q in attempt_questions(session, attempt)] == [q1.id, q2.id]
    assert session.scalar(sa.select(sa.func.count()).select_from(Answer)
                          .where(Answer.attempt_id == attempt.id)) == 2

    again = take(session, quiz, learner)
    assert set(again.question_ids) == {q1.id, quiz.questions[1].id}
    assert again.passed and again.max_score == 3


def test_a_question_that_comes_back_in_a_later_version_is_brought_back(session, store):
    trondheim = editor(session, slug="trondheim")
    course = upload(session, store, trondheim, county_zip("1.0.0")).course
    q2 = quiz_of(session, course).questions[1]
    learner = make_user(session, org=trondheim.organisation)
    take(session, quiz_of(session, course), learner)
    upload(session, store, trondheim, version_zip("1.1.0", dict(
        QUIZ, questions=QUIZ["questions"][:1])))
    upload(session, store, trondheim, version_zip("1.2.0", QUIZ))
    session.expire_all()
    back = quiz_of(session, course).questions
    assert [q.id for q in back] == [back[0].id, q2.id]
    assert session.get(Question, q2.id).retired_at is None


def test_a_version_without_a_quiz_keeps_an_attempted_quiz_with_its_questions_retired(
        session, store):
    trondheim = editor(session, slug="trondheim")
    course = upload(session, store, trondheim, county_zip("1.0.0")).course
    take(session, quiz_of(session, course), make_user(session, org=trondheim.organisation))
    completion = {"attendance": False, "quiz": False, "modules": True}
    upload(session, store, trondheim, zip_of(package_files(
        manifest_doc=manifest(version="1.1.0", completion=completion), quiz=None)))
    session.expire_all()
    quiz = quiz_of(session, course)
    assert quiz is not None and quiz.questions == []
    assert services.course_package(session, course, store).quiz is None


def test_importing_the_same_version_again_changes_no_question(session, store):
    course = services.import_path(session, path=KURS / "it-i-hverdagen", store=store,
                                  now=utcnow()).course

    def snapshot():
        session.expire_all()
        rows = session.execute(
            sa.select(Question.id, Question.position, Question.prompt, Choice.id, Choice.text)
            .outerjoin(Choice).order_by(Question.id, Choice.id)).all()
        return rows, quiz_of(session, course).updated_at

    before = snapshot()
    again = services.import_path(session, path=KURS / "it-i-hverdagen", store=store,
                                 now=utcnow())
    assert again.course_action == "unchanged"
    assert snapshot() == before


@pytest.mark.parametrize("name", ["it-i-hverdagen", "prosjektledersamling"])
def test_export_writes_the_quiz_from_the_tables_and_round_trips_to_the_same_bytes(
        session, store, name, tmp_path):
    received = services.import_path(session, path=KURS / name, store=store, now=utcnow())
    # What is exported is what the tables hold: not a copy of the text that was imported.
    first = quiz_of(session, received.course).questions[0]
    exported = services.export_course(session, course=received.course, store=store)
    assert read_zip(exported)["quiz.toml"] == dumps(
        quiz_document(load_package(KURS / name).quiz))
    assert f'id = "{first.source_key}"'.encode() in read_zip(exported)["quiz.toml"]
    path = tmp_path / "exported.zip"
    path.write_bytes(exported)
    again = services.import_path(session, path=path, store=store, now=utcnow())
    assert again.course_action == "unchanged"
    assert services.export_course(session, course=again.course, store=store) == exported


def test_an_edit_in_the_quiz_pages_reaches_partners_with_the_next_version(session, store):
    county = editor(session, slug="test-fylke", kind="county")
    own = upload(session, store, county, county_zip("1.0.0"), SharingScope.PARTNERS).course
    trondheim = editor(session, slug="trondheim")
    services.import_version(session, actor=trondheim,
                            version=services.visible_version(
                                session, uid="no.test.digital-dugnad", version="1.0.0",
                                organisation_id=county.organisation_id),
                            store=store, now=utcnow())
    quiz = quiz_of(session, own)
    question = quiz.questions[0]
    authoring.save_question(session, actor=county, quiz=quiz, question=question,
                            data=authoring.QuestionData(
                                kind="single", prompt="Hvem eier en delt kurspakke?",
                                explanation=question.explanation,
                                choices=[authoring.ChoiceData(c.text, c.correct)
                                         for c in question.choices]))
    draft = drafts.current_draft(session, course=own, store=store)
    assert draft.changed
    received = drafts.publish_draft(session, actor=county, course=own, draft=draft,
                                    revision=draft.revision, bump="minor",
                                    change_note="Nytt spørsmål", scope=SharingScope.PARTNERS,
                                    store=store, now=utcnow())
    assert received.version.version == "1.1.0"
    published = services.stored_package(received.version, store).quiz
    assert published.questions[0].text == "Hvem eier en delt kurspakke?"
    assert published.questions[0].id == "q1"

    partner = services.import_version(session, actor=trondheim, version=received.version,
                                      store=store, now=utcnow()).course
    assert quiz_of(session, partner).questions[0].prompt == "Hvem eier en delt kurspakke?"


def test_a_saved_draft_takes_the_quiz_as_edited_in_the_quiz_pages(session, store):
    county = editor(session, slug="test-fylke", kind="county")
    own = upload(session, store, county, county_zip("1.0.0")).course
    drafts.start_draft(session, course=own, package=services.course_package(
        session, own, store), base_version="1.0.0", actor=county, now=utcnow())
    quiz = quiz_of(session, own)
    authoring.delete_question(session, actor=county, question=quiz.questions[1])
    draft = drafts.current_draft(session, course=own, store=store)
    assert draft.changed and 'id = "q2"' not in draft.content["quiz"]


def test_a_partners_quiz_is_read_only_until_the_course_is_forked(session, store):
    trondheim = editor(session, slug="trondheim")
    course = upload(session, store, trondheim, county_zip("1.0.0")).course
    quiz = quiz_of(session, course)
    with pytest.raises(authoring.QuizReadOnly):
        authoring.delete_question(session, actor=trondheim, question=quiz.questions[0])
    services.fork_course(session, actor=trondheim, course=course, store=store, now=utcnow())
    authoring.delete_question(session, actor=trondheim, question=quiz.questions[0])
    session.expire_all()
    assert [q.source_key for q in quiz_of(session, course).questions] == ["q2"]


def test_a_course_made_by_hand_keeps_its_quiz_when_first_published(session, store):
    county = editor(session, slug="test-fylke", kind="county")
    course = make_course(session, org=county.organisation, completion_requires_quiz=True,
                         summary="Om gevinster.", language="nb")
    add_modules(session, course, n=1)
    quiz = authoring.create_quiz(session, actor=county, course=course, now=utcnow())
    question = authoring.save_question(
        session, actor=county, quiz=quiz, data=authoring.QuestionData(
            kind="true_false", prompt="Gevinster hentes ut i linjen.", correct_true=True,
            explanation="Linjeledelsen eier gevinstene."))
    draft = drafts.current_draft(session, course=course, store=store)
    assert drafts.check_draft(session, course=course, draft=draft, store=store) == []
    received = drafts.publish_draft(session, actor=county, course=course, draft=draft,
                                    revision=draft.revision, bump="minor", change_note="Første",
                                    scope=SharingScope.OWN, store=store, now=utcnow())
    published = services.stored_package(received.version, store).quiz
    assert [q.id for q in published.questions] == ["gevinster-hentes-ut-i-linjen"]
    session.expire_all()
    assert [q.id for q in quiz_of(session, course).questions] == [question.id]

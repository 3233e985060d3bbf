"""Random manifests, quizzes, programmes and archives give validation errors only: never
another exception, whatever the input. A random quiz that passes the checks also fits the
quiz tables (no database error) and comes back out of them unchanged."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
import tomli_w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.catalogue.models import Course, Module
from app.errors import DomainError
from app.orm import utcnow
from app.sharing.archive import read_zip
from app.sharing.models import Package as PackageRow
from app.sharing.models import PackageVersion
from app.sharing.package import Package, parse_files
from app.sharing.problems import PackageError
from app.sharing.quizfile import quiz_document
from app.sharing.services import export_course, upload_package
from app.sharing.tomlfile import dumps
from tests.sharing.builders import QUIZ, manifest, package_files, zip_of
from tests.sharing.helpers import editor

FUZZ = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

MANIFEST_KEYS = list(manifest()) + ["description", "published", "change_note", "mandatory_for",
                                    "validity_months", "based_on", "attachments", "checksums"]

scalars = st.one_of(
    st.text(max_size=40), st.integers(min_value=-(2**63), max_value=2**63 - 1), st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True), st.dates(),
    st.datetimes(timezones=st.just(dt.UTC)),
    st.sampled_from(["kurs/1", "1.0.0", "nb", "NLOD-2.0", "course", "seminar",
                     "moduler/01-hva.md", "mellomleder", "a@b.no", "15076500565"]),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=12), children, max_size=4)),
    max_leaves=12,
)


def outcome(action) -> object:
    """What ``action()`` gave: a result, or the PackageError it raised (anything else
    propagates and fails the test)."""
    try:
        return action()
    except PackageError as error:
        return error


def only_validation_errors(files: dict[str, bytes]) -> None:
    result = outcome(lambda: parse_files(files))
    assert isinstance(result, Package) or result.problems, "an error always names a problem"


@FUZZ
@given(st.dictionaries(st.sampled_from(MANIFEST_KEYS) | st.text(max_size=12), values,
                       max_size=12))
def test_random_manifests_give_only_validation_errors(document):
    only_validation_errors(package_files(manifest_doc=document))


@FUZZ
@given(st.sampled_from(MANIFEST_KEYS), values)
def test_a_valid_manifest_with_one_random_value_gives_only_validation_errors(key, value):
    only_validation_errors(package_files(manifest_doc=manifest(**{key: value})))


NUMERIC_WITH_UNIT = {"id": "q3", "type": "numeric", "text": "Hvor mange?", "answer": -1e300,
                     "tolerance": 0.5, "unit": "kroner", "explanation": "Mange."}
QUESTION_KEYS = ["id", "type", "text", "points", "choices", "answer", "answers", "items",
                 "tolerance", "unit", "partial_credit", "explanation"]
QUIZ_KEYS = ["title", "intro", "pass_mark", "attempts_allowed", "time_limit_minutes",
             "shuffle_questions", "shuffle_choices", "draw_count", "show_answers", "paging",
             "questions"]


def quiz_with(index: int, key: str, value) -> dict:
    questions = [dict(q) for q in QUIZ["questions"]]
    questions[index][key] = value
    return dict(QUIZ, questions=questions)


@FUZZ
@given(st.integers(min_value=0, max_value=len(QUIZ["questions"]) - 1),
       st.sampled_from(QUESTION_KEYS), values)
def test_random_quiz_values_give_only_validation_errors(index, key, value):
    only_validation_errors(package_files(quiz=quiz_with(index, key, value)))


@FUZZ
@given(st.sampled_from(QUIZ_KEYS) | st.text(max_size=12), values)
def test_random_quiz_settings_give_only_validation_errors(key, value):
    only_validation_errors(package_files(quiz=dict(QUIZ, **{key: value})))


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_as_a_quiz_give_only_validation_errors(data):
    only_validation_errors(package_files(extra={"quiz.toml": data}))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.one_of(
    st.tuples(st.integers(min_value=0, max_value=len(QUIZ["questions"]) - 1),
              st.sampled_from(QUESTION_KEYS), values)
    .map(lambda t: quiz_with(*t)),
    st.tuples(st.sampled_from(QUIZ_KEYS), values).map(lambda t: dict(QUIZ, **{t[0]: t[1]}))))
@example(dict(QUIZ, draw_count=1, intro="Les først.\n\nTo linjer.", attempts_allowed=100,
              questions=[*QUIZ["questions"], NUMERIC_WITH_UNIT]))
def test_a_random_quiz_that_passes_the_checks_goes_into_the_tables_and_back_unchanged(
        session, store, quiz):
    files = package_files(quiz=quiz)
    parsed = outcome(lambda: parse_files(files))
    if isinstance(parsed, PackageError):
        return
    actor = editor(session, slug="test-fylke", kind="county")
    savepoint = session.begin_nested()
    try:
        course = upload_package(session, actor=actor, data=zip_of(files), store=store,
                                now=utcnow()).course
        exported = export_course(session, course=course, store=store)
        assert read_zip(exported)["quiz.toml"] == dumps(quiz_document(parsed.quiz))
    finally:
        savepoint.rollback()


@FUZZ
@given(st.dictionaries(st.sampled_from(["day", "start", "minutes", "title", "kind", "module",
                                        "mandatory", "topic"]), values, max_size=8))
def test_random_programme_sessions_give_only_validation_errors(session):
    program = tomli_w.dumps({"sessions": [session]}).encode()
    only_validation_errors(package_files(kind="seminar", extra={"program.toml": program}))


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_as_a_manifest_give_only_validation_errors(data):
    files = package_files()
    files["kurs.toml"] = data
    only_validation_errors(files)


@FUZZ
@given(st.binary(max_size=4000), st.integers(min_value=0, max_value=3000))
def test_random_and_damaged_zips_give_only_validation_errors(noise, position):
    good = zip_of(package_files())
    for data in (noise, good[:position] + noise[:64] + good[position + 64:]):
        files = outcome(lambda data=data: read_zip(data))
        if isinstance(files, PackageError):
            assert files.problems
        else:
            only_validation_errors(files)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(MANIFEST_KEYS), values)
def test_a_refused_upload_never_leaves_a_partial_import(session, store, key, value):
    actor = editor(session, slug="trondheim")
    tables = (PackageRow, PackageVersion, Course, Module)

    def counts():
        return [session.scalar(sa.select(sa.func.count()).select_from(t)) for t in tables]

    savepoint = session.begin_nested()
    try:
        before = counts()
        data = zip_of(package_files(manifest_doc=manifest(**{key: value})))
        result = outcome(lambda: upload_package(session, actor=actor, data=data, store=store,
                                                now=utcnow()))
        if isinstance(result, PackageError):
            assert counts() == before
    except DomainError:
        pass  # refused by a rule (e.g. 403 for a publisher who uses the platform)
    finally:
        savepoint.rollback()

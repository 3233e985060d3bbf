"""The kurs/1 parser: what a valid package yields, and that every kind of mistake is
reported with the file, the key and what was expected."""

from __future__ import annotations

import pytest

from app.catalogue.models import Audience
from app.sharing.canonical import canonical_files, canonical_zip
from app.sharing.checks import is_national_id
from app.sharing.package import AUDIENCES, load_package, parse_files
from app.sharing.problems import PackageError
from app.sharing.tomlfile import dumps
from tests.sharing.builders import PDF, PNG, QUIZ, manifest, package_files, zip_of


def problems(files: dict[str, bytes]) -> list[str]:
    with pytest.raises(PackageError) as caught:
        parse_files(files)
    return caught.value.texts()


def test_a_valid_package_becomes_frozen_dataclasses():
    package = parse_files(package_files())
    assert package.manifest.uid == "no.test.digital-dugnad"
    assert package.manifest.version_key == (1, 0, 0)
    assert [m.title for m in package.modules] == ["Hva er digital dugnad?", "Slik deler vi"]
    assert package.modules[0].body.startswith("Digital dugnad er et felles løft.")
    assert package.quiz.pass_mark == 80 and package.quiz.total_points == 2
    with pytest.raises(AttributeError):
        package.manifest.title = "Endret"  # type: ignore[misc]


def test_the_package_audiences_are_the_catalogues_audiences():
    assert set(AUDIENCES) == {a.value for a in Audience}


def test_a_missing_key_names_the_file_and_the_key():
    doc = manifest()
    del doc["title"]
    assert "kurs.toml – title: mangler (påkrevd)" in problems(package_files(manifest_doc=doc))


def test_a_value_of_the_wrong_type_says_what_was_expected():
    texts = problems(package_files(validity_months="tre år", language="sv"))
    assert "kurs.toml – validity_months: skal være integer, ikke string" in texts
    assert "kurs.toml – language: skal være en av nb, nn, en" in texts


def test_an_unknown_key_and_an_unknown_format_are_reported():
    texts = problems(package_files(colour="blå", format="kurs/2"))
    assert "kurs.toml – colour: ukjent nøkkel" in texts
    assert any("formatet kurs/2 er ukjent" in t for t in texts)


def test_invalid_toml_says_where():
    files = package_files()
    files["kurs.toml"] = b'title = "uten slutt\n'
    (text,) = problems(files)
    assert text.startswith("kurs.toml: ugyldig TOML:") and "line 1" in text


def test_a_version_that_is_not_semantic_is_refused():
    texts = problems(package_files(version="1.0"))
    assert any(t.startswith("kurs.toml – version: har ugyldig form") for t in texts)


def test_modules_must_exist_and_every_module_file_must_be_listed():
    files = package_files(modules=[{"file": "moduler/01-hva.md", "title": "A"},
                                   {"file": "moduler/09-borte.md", "title": "B"}])
    texts = problems(files)
    assert "kurs.toml – modules[2].file: fant ikke moduler/09-borte.md" in texts
    assert "moduler/02-hvordan.md: filen er ikke oppført i kurs.toml" in texts


def test_a_module_must_have_text_in_utf8():
    files = package_files()
    files["moduler/02-hvordan.md"] = "Æ".encode("latin-1")
    assert "moduler/02-hvordan.md: filen er ikke gyldig UTF-8 (byte 0)" in problems(files)
    files["moduler/02-hvordan.md"] = b"  \n\n"
    assert "moduler/02-hvordan.md: modulen er tom" in problems(files)


def test_quiz_questions_are_checked_by_type():
    quiz = {"title": "Prøve", "pass_mark": 120, "questions": [
        {"id": "a", "type": "single", "text": "?", "explanation": "!",
         "choices": [{"text": "x", "correct": True}, {"text": "y", "correct": True}]},
        {"id": "a", "type": "numeric", "text": "?", "explanation": "!", "answer": "fire"},
        {"id": "c", "type": "ordering", "text": "?", "explanation": "!", "items": ["x"]},
        {"id": "d", "type": "essay", "text": "?", "explanation": "!"},
    ]}
    texts = problems(package_files(quiz=quiz))
    assert "quiz.toml – pass_mark: skal være et heltall fra 1 til 100" in texts
    assert any(t.startswith("quiz.toml – questions[1].choices: et spørsmål av typen single "
                            "skal ha nøyaktig ett riktig svar") for t in texts)
    assert "quiz.toml – questions[2].answer: skal være number, ikke string" in texts
    assert "quiz.toml – questions[3].items: skal ha fra 2 til 10 elementer" in texts
    assert any(t.startswith("quiz.toml – questions[4].type: skal være en av single") for t in texts)


def test_duplicate_question_ids_are_refused():
    quiz = dict(QUIZ, questions=[QUIZ["questions"][0], dict(QUIZ["questions"][1], id="q1")])
    assert "quiz.toml – questions[2].id: id-en q1 er brukt før" in problems(
        package_files(quiz=quiz))


def test_a_quiz_is_required_when_completion_needs_it():
    assert ("kurs.toml – completion.quiz: quiz = true, men pakken har ingen quiz.toml"
            in problems(package_files(quiz=None)))


def test_a_seminar_needs_a_programme_in_time_order():
    program = {"sessions": [
        {"day": 1, "start": "09:00", "minutes": 60, "title": "Velkommen"},
        {"day": 1, "start": "09:30", "minutes": 30, "title": "For tidlig"},
    ]}
    files = package_files(kind="seminar", extra={"program.toml": dumps(program)})
    assert any("program.toml – sessions[2]: økta begynner før forrige økt (Velkommen) er slutt "
               "kl. 10:00" in t for t in problems(files))
    assert "program.toml: en samling (kind = \"seminar\") skal ha et program" in problems(
        package_files(kind="seminar"))


def test_a_programme_session_may_point_to_a_module():
    program = {"sessions": [
        {"day": 1, "start": "09:00", "minutes": 45, "title": "Hva", "module": "moduler/01-hva.md"},
        {"day": 1, "start": "09:45", "minutes": 15, "title": "Pause", "kind": "break"},
        {"day": 2, "start": "09:00", "minutes": 60, "title": "Borte", "module": "moduler/x.md"},
    ]}
    files = package_files(kind="seminar", extra={"program.toml": dumps(program)})
    assert problems(files) == [
        "program.toml – sessions[3].module: moduler/x.md er ikke en modul i kurs.toml"]
    program["sessions"].pop()
    parsed = parse_files(package_files(kind="seminar", extra={"program.toml": dumps(program)}))
    assert parsed.program.days == 1 and parsed.program.minutes() == 45
    assert parsed.program.sessions[1].mandatory is False


def test_attachments_are_listed_and_typed_by_their_bytes():
    files = package_files(
        attachments=[{"file": "vedlegg/plan.pdf", "title": "Plan"},
                     {"file": "vedlegg/kart.png", "title": "Gevinstkart"}],
        extra={"vedlegg/plan.pdf": PDF, "vedlegg/kart.png": PNG})
    package = parse_files(files)
    assert [(a.name, a.media_type, a.size) for a in package.attachments] == [
        ("plan.pdf", "application/pdf", len(PDF)), ("kart.png", "image/png", len(PNG))]


def test_an_svg_with_a_script_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    files = package_files(attachments=[{"file": "vedlegg/figur.svg", "title": "Figur"}],
                          extra={"vedlegg/figur.svg": svg})
    assert ("vedlegg/figur.svg: SVG-bildet inneholder skript eller entiteter, som ikke er "
            "tillatt") in problems(files)


def test_packages_never_carry_personal_data():
    files = package_files()
    files["moduler/02-hvordan.md"] = b"Kontakt kari.nordmann@trondheim.kommune.no.\n"
    assert any("moduler/02-hvordan.md: inneholder en e-postadresse" in t for t in problems(files))
    files["moduler/02-hvordan.md"] = b"Deltaker: 01010112345? Nei: 15076500565.\n"
    assert any("ligner et fødselsnummer" in t for t in problems(files))


def test_national_id_numbers_are_recognised_by_their_check_digits():
    assert is_national_id("15076500565")
    assert not is_national_id("15076500566")
    assert not is_national_id("12345678901")


def test_checksums_when_present_must_match_every_file():
    files = canonical_files(parse_files(package_files()))
    files["moduler/02-hvordan.md"] = b"Endret etter eksport.\n"
    assert ("moduler/02-hvordan.md: sjekksummen stemmer ikke med kurs.toml; filen er endret "
            "eller ødelagt") in problems(files)


def test_canonical_form_is_stable_across_export_import_export():
    first = canonical_zip(load_package(zip_of(package_files())))
    second = canonical_zip(load_package(first))
    assert first == second


def test_text_is_normalised_to_unix_line_endings_and_one_final_newline():
    files = package_files()
    files["moduler/02-hvordan.md"] = "\ufeffLinje én  \r\nLinje to\r\n\r\n\r\n".encode()
    assert parse_files(files).modules[1].body == "Linje én\nLinje to\n"


def test_quiz_settings_map_onto_the_quiz_tables_and_survive_the_canonical_form():
    quiz = dict(QUIZ, intro="Ti spørsmål.", attempts_allowed=3, time_limit_minutes=20,
                shuffle_choices=True, draw_count=1, paging="all",
                questions=[QUIZ["questions"][0],
                           {"id": "q3", "type": "ordering", "text": "Ordne", "items": ["a", "b"],
                            "partial_credit": True, "explanation": "Slik."}])
    parsed = parse_files(package_files(quiz=quiz)).quiz
    assert (parsed.attempts_allowed, parsed.draw_count, parsed.paging) == (3, 1, "all")
    assert parsed.questions[1].partial_credit and parsed.show_answers
    again = parse_files(canonical_files(parse_files(package_files(quiz=quiz)))).quiz
    assert again == parsed


def test_quiz_settings_are_checked():
    too_many = dict(QUIZ, draw_count=5)
    assert "quiz.toml – draw_count: kan ikke være større enn antall spørsmål (2)" in problems(
        package_files(quiz=too_many))
    partial_single = dict(QUIZ, questions=[dict(QUIZ["questions"][0], partial_credit=True),
                                           QUIZ["questions"][1]])
    assert "quiz.toml – questions[1].partial_credit: ukjent nøkkel" in problems(
        package_files(quiz=partial_single))

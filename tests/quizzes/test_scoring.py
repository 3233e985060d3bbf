"""Scoring is a pure function: these tests use no database and no app."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.quizzes.scoring import grade, score_question
from app.quizzes.types import (
    REGISTRY,
    ChoiceSpec,
    InvalidResponse,
    QuestionSpec,
    normalise_text,
    question_type,
    read_number,
)

FAST = settings(max_examples=60, deadline=None)


@st.composite
def choice_question(draw, kind=None, id_=None):
    kind = kind or draw(st.sampled_from(["single", "multiple", "ordering"]))
    n = draw(st.integers(min_value=2, max_value=6))
    base = draw(st.integers(min_value=1, max_value=10_000)) * 10
    correct = [False] * n
    if kind == "single":
        correct[draw(st.integers(0, n - 1))] = True
    elif kind == "multiple":
        correct = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        if not any(correct):
            correct[0] = True
    choices = tuple(ChoiceSpec(id=base + i, text=f"c{i}", correct=c, position=i)
                    for i, c in enumerate(correct))
    return QuestionSpec(id=id_ if id_ is not None else base, kind=kind,
                        points=draw(st.integers(1, 5)), choices=choices,
                        partial_credit=draw(st.booleans()))


@st.composite
def any_question(draw, id_=None):
    kind = draw(st.sampled_from(sorted(REGISTRY)))
    qid = id_ if id_ is not None else draw(st.integers(1, 10_000))
    points = draw(st.integers(1, 5))
    if kind in ("single", "multiple", "ordering"):
        spec = draw(choice_question(kind=kind, id_=qid))
        return spec
    if kind == "true_false":
        return QuestionSpec(id=qid, kind=kind, points=points, correct_true=draw(st.booleans()))
    if kind == "numeric":
        answer = draw(st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 3)))
        return QuestionSpec(id=qid, kind=kind, points=points, numeric_answer=answer,
                            tolerance=draw(st.sampled_from([0.0, 0.5, 2.0])))
    answers = tuple(draw(st.lists(st.sampled_from(["gevinst", "Kost/nytte", "ROS-analyse"]),
                                  min_size=1, max_size=3, unique=True)))
    return QuestionSpec(id=qid, kind="short_text", points=points, accepted_answers=answers)


def right(spec: QuestionSpec) -> dict:
    """The right response in the shape the type reads."""
    answer = question_type(spec.kind).right_response(spec)
    if spec.kind == "numeric":
        return {"text": str(answer["value"]).replace(".", ",")}
    if spec.kind == "short_text":
        return {"text": answer["texts"][0]}
    return answer


@st.composite
def quiz(draw):
    n = draw(st.integers(1, 8))
    return [draw(any_question(id_=i + 1)) for i in range(n)]


@FAST
@given(quiz(), st.integers(0, 100))
def test_right_answers_earn_every_point_and_pass_any_pass_mark(questions, pass_mark):
    result = grade(questions, {q.id: right(q) for q in questions}, pass_mark)
    assert result.score == result.max_score == sum(q.points for q in questions)
    assert result.percent == 100
    assert result.passed


@FAST
@given(quiz(), st.integers(1, 100))
def test_an_empty_attempt_earns_nothing_and_fails_a_positive_pass_mark(questions, pass_mark):
    result = grade(questions, {}, pass_mark)
    assert result.score == 0 and result.percent == 0
    assert not result.passed


@FAST
@given(quiz(), st.data())
def test_the_score_stays_within_zero_and_the_points_whatever_is_answered(questions, data):
    responses = {}
    for q in questions:
        if q.choices:
            ids = [c.id for c in q.choices]
            picked = data.draw(st.lists(st.sampled_from(ids), unique=True))
            responses[q.id] = {"choice": picked[0] if picked else None, "choices": picked,
                               "order": data.draw(st.permutations(ids))}
        else:
            responses[q.id] = {"text": data.draw(st.text(max_size=10)),
                               "value": data.draw(st.booleans())}
    result = grade(questions, responses, 50)
    assert 0 <= result.score <= result.max_score
    assert 0 <= result.percent <= 100
    for r in result.results:
        assert 0 <= r.points <= r.possible


@FAST
@given(quiz(), st.integers(0, 100), st.randoms())
def test_the_order_of_the_questions_does_not_change_the_grade(questions, pass_mark, rnd):
    responses = {q.id: right(q) for q in questions[::2]}
    shuffled = list(questions)
    rnd.shuffle(shuffled)
    a, b = grade(questions, responses, pass_mark), grade(shuffled, responses, pass_mark)
    assert (a.score, a.max_score, a.passed) == (b.score, b.max_score, b.passed)


@FAST
@given(quiz(), st.integers(0, 100), st.data())
def test_answering_one_more_question_right_never_turns_a_pass_into_a_fail(questions,
                                                                          pass_mark, data):
    answered = data.draw(st.sets(st.sampled_from([q.id for q in questions])))
    responses = {q.id: right(q) for q in questions if q.id in answered}
    before = grade(questions, responses, pass_mark)
    extra = data.draw(st.sampled_from(questions))
    responses[extra.id] = right(extra)
    after = grade(questions, responses, pass_mark)
    assert after.score >= before.score
    assert after.passed or not before.passed


@FAST
@given(choice_question(kind="multiple"))
def test_ticking_every_box_earns_nothing_unless_every_box_is_right(spec):
    everything = {"choices": [c.id for c in spec.choices]}
    points = score_question(spec, everything).points
    if all(c.correct for c in spec.choices):
        assert points == spec.points
    else:
        assert points == 0


def test_partial_credit_gives_a_share_for_a_partly_right_multiple_choice():
    spec = QuestionSpec(id=1, kind="multiple", points=4, partial_credit=True, choices=(
        ChoiceSpec(1, "a", True), ChoiceSpec(2, "b", True), ChoiceSpec(3, "c", False),
        ChoiceSpec(4, "d", False)))
    assert score_question(spec, {"choices": [1]}).points == 2
    assert score_question(spec, {"choices": [1, 3]}).points == 0
    assert score_question(spec, {"choices": [1, 2]}).points == 4
    strict = QuestionSpec(**{**spec.__dict__, "partial_credit": False})
    assert score_question(strict, {"choices": [1]}).points == 0


@FAST
@given(choice_question(kind="ordering"))
def test_an_ordering_is_right_in_order_and_worth_nothing_reversed(spec):
    order = [c.id for c in spec.choices]
    assert score_question(spec, {"order": order}).points == spec.points
    assert score_question(spec, {"order": order[::-1]}).points == 0


def test_a_nearly_right_ordering_earns_partial_credit_only_when_allowed():
    choices = tuple(ChoiceSpec(i, str(i), position=i) for i in range(1, 5))
    spec = QuestionSpec(id=1, kind="ordering", points=6, choices=choices, partial_credit=True)
    # One swap of neighbours: 5 of 6 pairs in order.
    assert score_question(spec, {"order": [2, 1, 3, 4]}).points == 5
    strict = QuestionSpec(id=1, kind="ordering", points=6, choices=choices)
    assert score_question(strict, {"order": [2, 1, 3, 4]}).points == 0


@pytest.mark.parametrize(("typed", "points"), [
    ("3,5", 1), ("3.5", 1), (" 4 ", 1), ("3", 1), ("2,9", 0), ("4,01", 0), ("tre", 0), ("", 0),
])
def test_a_numeric_answer_counts_within_the_tolerance(typed, points):
    spec = QuestionSpec(id=1, kind="numeric", numeric_answer=3.5, tolerance=0.5)
    assert score_question(spec, {"text": typed}).points == points


def test_numbers_are_read_the_way_people_type_them_here():
    assert read_number("1 000") == 1000
    assert read_number("1\u00a0000,25") == 1000.25
    assert read_number("\u22122") == -2
    assert read_number("1e400") is None
    assert read_number("12abc") is None


@pytest.mark.parametrize("typed", ["Gevinstrealisering", "  gevinstrealisering.",
                                   "GEVINST­REALISERING".replace("\u00ad", ""),
                                   "gevinstrealisering!"])
def test_short_text_matches_ignoring_case_spacing_and_closing_punctuation(typed):
    spec = QuestionSpec(id=1, kind="short_text",
                        accepted_answers=("gevinstrealisering", "nyttestyring"))
    assert score_question(spec, {"text": typed}).points == 1


def test_short_text_keeps_norwegian_letters_distinct():
    assert normalise_text("før") != normalise_text("for")
    spec = QuestionSpec(id=1, kind="short_text", accepted_answers=("før",))
    assert score_question(spec, {"text": "for"}).points == 0
    assert score_question(spec, {"text": "FØR"}).points == 1


def test_any_of_several_accepted_answers_counts():
    spec = QuestionSpec(id=1, kind="short_text", accepted_answers=("ROS-analyse", "risikoanalyse"))
    assert score_question(spec, {"text": "Risikoanalyse"}).points == 1


def test_the_pass_mark_is_compared_without_rounding_up():
    spec = [QuestionSpec(id=i, kind="true_false", correct_true=True) for i in range(1, 4)]
    two_of_three = {1: {"value": True}, 2: {"value": True}, 3: {"value": False}}
    result = grade(spec, two_of_three, 67)
    assert result.percent == 66.67
    assert not result.passed
    assert grade(spec, two_of_three, 66).passed


def test_json_responses_naming_unknown_choices_are_refused():
    spec = QuestionSpec(id=1, kind="single", choices=(ChoiceSpec(1, "a", True),
                                                      ChoiceSpec(2, "b")))
    with pytest.raises(InvalidResponse):
        question_type("single").clean(spec, {"choice": 99})
    with pytest.raises(InvalidResponse):
        question_type("ordering").clean(
            QuestionSpec(id=2, kind="ordering", choices=spec.choices), {"order": [1, 1]})
    assert question_type("multiple").clean(spec, {"choices": ["2", 1]}) == {"choices": [1, 2]}


def test_every_type_names_a_template_and_a_label():
    for kind, qtype in REGISTRY.items():
        assert qtype.kind == kind
        assert qtype.template.endswith(f"_{kind}.html")
        assert str(qtype.label)

"""The evaluation figures and the anonymity rule, without a database."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.evaluation.aggregates import (
    THRESHOLD,
    FirstRow,
    FollowUpRow,
    OwnAnswerRow,
    compare,
    distribution,
    first_results,
    follow_up_results,
    free_texts,
    mean,
    months_between,
    net_promoter,
    reportable,
    summarise_first,
    summarise_own_questions,
)

FEW = settings(max_examples=30, deadline=None)

scores = st.integers(min_value=1, max_value=5)
recommends = st.integers(min_value=0, max_value=10)
months = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 1)).map(
    lambda d: d.replace(day=1)
)


@st.composite
def first_rows(draw, max_groups=6, max_per_group=9):
    """Answers of several offerings: each offering ended in one month, of one course."""
    rows = []
    for group in range(draw(st.integers(0, max_groups))):
        period = draw(months)
        course = draw(st.sampled_from(["a", "b", "c"]))
        for _ in range(draw(st.integers(1, max_per_group))):
            rows.append(
                FirstRow(
                    group=group,
                    period=period,
                    relevance=draw(scores),
                    usefulness=draw(scores),
                    teaching=draw(scores),
                    recommend=draw(recommends),
                    comment=draw(st.none() | st.text(max_size=20)),
                    course=course,
                )
            )
    return rows


def by_course(r):
    return r.course


def row(group=1, period=date(2026, 10, 1), r=4, u=4, t=4, rec=8, comment=None, course="a"):
    return FirstRow(group, period, r, u, t, rec, comment, course)


# The standard figures ------------------------------------------------------------------


def test_the_mean_reports_its_number_of_answers():
    result = mean([4, 5, 3])
    assert (result.value, result.n) == (4.0, 3)
    assert mean([]) is None


@FEW
@given(st.lists(scores, min_size=1))
def test_a_mean_lies_between_the_lowest_and_the_highest_answer(values):
    result = mean(values)
    assert min(values) <= result.value <= max(values)
    assert result.n == len(values)


@FEW
@given(st.lists(scores))
def test_a_distribution_counts_every_answer_once(values):
    counts = distribution(values, range(1, 6))
    assert sum(counts) == len(values)
    assert counts[2] == values.count(3)


def test_a_value_outside_the_scale_is_refused_rather_than_dropped():
    with pytest.raises(ValueError, match="outside the scale"):
        distribution([1, 6], range(1, 6))


def test_the_net_promoter_score_is_promoters_minus_detractors_in_percent():
    # 3 promoters (9, 10, 9), 1 passive (7), 2 detractors (6, 0): (3 - 2) / 6 = 16.7 % -> 17
    nps = net_promoter([9, 10, 9, 7, 6, 0])
    assert (nps.promoters, nps.passives, nps.detractors, nps.n) == (3, 1, 2, 6)
    assert nps.score == 17
    assert net_promoter([10] * 5).score == 100
    assert net_promoter([0, 6, 3, 2, 1]).score == -100
    assert net_promoter([]) is None


@FEW
@given(st.lists(recommends, min_size=1))
def test_the_net_promoter_score_stays_between_minus_and_plus_one_hundred(values):
    nps = net_promoter(values)
    assert -100 <= nps.score <= 100
    assert nps.promoters + nps.passives + nps.detractors == nps.n == len(values)


def test_months_between_covers_every_month_across_a_new_year():
    assert months_between(date(2026, 11, 1), date(2027, 2, 1)) == [
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
    ]


# The anonymity rule --------------------------------------------------------------------


def test_an_offering_with_four_respondents_is_not_counted_and_one_with_five_is():
    four = [row(group="small") for _ in range(4)]
    five = [row(group="big", r=2) for _ in range(5)]
    split = reportable(four + five)
    assert len(split.included) == 5
    assert (split.withheld, split.withheld_groups) == (4, 1)
    assert {r.group for r in split.included} == {"big"}


def test_no_figure_at_all_is_shown_for_four_respondents():
    results = first_results([row() for _ in range(4)])
    assert results.summary is None
    assert results.trend == []
    assert results.comments == []
    assert results.split.respondents == 4


def test_a_summary_refuses_fewer_than_five_rows_even_if_the_caller_skipped_the_rule():
    assert summarise_first([row() for _ in range(4)]) is None


def test_answers_that_arrive_in_another_month_stay_with_their_offering():
    rows = [row(group=1, period=date(2026, 10, 1)) for _ in range(4)]
    rows.append(row(group=1, period=date(2026, 12, 1)))
    points = first_results(rows).trend
    assert [p.period for p in points] == [date(2026, 10, 1)]
    assert points[0].summary.n == 5


@FEW
@given(first_rows(), st.data())
def test_no_answer_of_an_offering_below_five_changes_anything_any_viewer_sees(rows, data):
    """Whatever the small offerings answered, every figure, point and text is the same:
    no filter or difference between figures can single one of them out."""
    sizes = {}
    for r in rows:
        sizes[r.group] = sizes.get(r.group, 0) + 1
    changed = [
        dataclasses.replace(
            r,
            relevance=data.draw(scores),
            usefulness=data.draw(scores),
            teaching=data.draw(scores),
            recommend=data.draw(recommends),
            comment=data.draw(st.none() | st.text(max_size=5)),
        )
        if sizes[r.group] < THRESHOLD
        else r
        for r in rows
    ]
    before, after = first_results(rows), first_results(changed)
    assert before.summary == after.summary
    assert before.trend == after.trend
    assert before.comments == after.comments
    assert compare(reportable(rows).included, by_course, summarise_first) == compare(
        reportable(changed).included, by_course, summarise_first
    )


@FEW
@given(first_rows())
def test_every_figure_shown_counts_at_least_five_people(rows):
    results = first_results(rows)
    if results.summary is not None:
        assert results.summary.n >= THRESHOLD
        assert all(m.n >= THRESHOLD for m in results.summary.means.values())
    for point in results.trend:
        assert point.summary is None or point.summary.n >= THRESHOLD
    for comparison in compare(results.split.included, by_course, summarise_first):
        assert comparison.summary.n >= THRESHOLD


@FEW
@given(first_rows())
def test_the_months_of_the_trend_add_up_to_the_total(rows):
    results = first_results(rows)
    total = sum(p.summary.n for p in results.trend if p.summary is not None)
    assert total == (results.summary.n if results.summary else 0)
    periods = [p.period for p in results.trend]
    assert periods == sorted(periods)


@FEW
@given(first_rows())
def test_the_comparison_rows_add_up_to_the_total(rows):
    results = first_results(rows)
    rows_ = compare(results.split.included, by_course, summarise_first)
    assert sum(r.summary.n for r in rows_) == (results.summary.n if results.summary else 0)


def test_free_text_is_sorted_without_regard_to_who_wrote_it_or_when():
    rows = [row(comment=c) for c in ["veldig bra", "  ", None, "Alt for langt", "bra"]]
    assert free_texts(rows) == ["Alt for langt", "bra", "veldig bra"]


def test_follow_up_answers_are_counted_per_answer_and_withheld_below_five():
    rows = [
        FollowUpRow(group=1, period=date(2027, 1, 1), answer=a)
        for a in ["yes", "yes", "partly", "no", "yes"]
    ]
    results = follow_up_results(rows)
    assert results.summary.counts == {"yes": 3, "partly": 1, "no": 1}
    assert results.summary.share("yes") == pytest.approx(0.6)
    assert follow_up_results(rows[:4]).summary is None


def test_a_courses_own_question_is_shown_only_from_offerings_where_five_answered_it():
    rows = [OwnAnswerRow(group=1, question="q", score=s) for s in [5, 4, 4, 3, 5]]
    rows += [OwnAnswerRow(group=2, question="q", score=1) for _ in range(3)]
    rows += [OwnAnswerRow(group=1, question="t", text=f"svar {i}") for i in range(4)]
    summaries = summarise_own_questions(rows)
    assert set(summaries) == {"q"}
    assert summaries["q"].n == 5
    assert summaries["q"].mean.value == pytest.approx(4.2)
    assert summaries["q"].distribution == (0, 0, 1, 2, 2)

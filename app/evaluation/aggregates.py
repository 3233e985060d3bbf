"""Evaluation figures from answers: pure functions, no database, no Flask.

The anonymity rule lives here, once, and every figure passes through it:

    An offering's answers count only when at least ``THRESHOLD`` (5) people of that offering
    have answered. Every figure (an average, a distribution, a net promoter score, a point
    of the trend, a row of a comparison, a free-text answer) is built from whole offerings
    that each meet the threshold.

Because every figure is a union of whole offerings of five or more, the difference between
any two figures (two filters, two pages, a total and its parts) is again a union of whole
offerings of five or more: no combination of filters can isolate fewer than five people.
The price is that a small offering's answers are not counted at all until it reaches five;
pages say how many answers that leaves out. (Answers that arrive one by one after the
threshold is passed can still be told apart by someone comparing the page before and
after; see docs/evaluation.md.)

The input rows carry ``group`` (the offering: the unit of anonymity) and ``period`` (the
first day of the month in which that offering ended); rows of one group are always
bucketed together, whatever their own period says.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

#: Fewest respondents of one offering for its answers to count anywhere.
THRESHOLD = 5
SCORE_SCALE = tuple(range(1, 6))
RECOMMEND_SCALE = tuple(range(0, 11))
#: The three standard 1–5 questions, in the order pages show them.
MEASURES = ("relevance", "usefulness", "teaching")
FOLLOW_UP_VALUES = ("yes", "partly", "no")


# Input rows ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FirstRow:
    """One person's first evaluation, without anything that says who they are."""

    group: Hashable
    period: date
    relevance: int
    usefulness: int
    teaching: int
    recommend: int
    comment: str | None = None
    #: What a comparison groups by (a course, an organisation); constant within a group.
    course: Hashable = None
    organisation: Hashable = None


@dataclass(frozen=True)
class FollowUpRow:
    group: Hashable
    period: date
    answer: str
    comment: str | None = None
    course: Hashable = None
    organisation: Hashable = None


@dataclass(frozen=True)
class OwnAnswerRow:
    """An answer to one of a course's own questions."""

    group: Hashable
    question: Hashable
    score: int | None = None
    text: str | None = None


# Results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mean:
    value: float
    n: int


@dataclass(frozen=True)
class NetPromoter:
    """Promoters answer 9–10, passives 7–8, detractors 0–6; the score is the share of
    promoters minus the share of detractors, from -100 to 100."""

    score: int
    promoters: int
    passives: int
    detractors: int
    n: int


@dataclass(frozen=True)
class FirstSummary:
    n: int
    means: dict[str, Mean]
    nps: NetPromoter
    #: measure -> counts per value of SCORE_SCALE; "recommend" -> counts over RECOMMEND_SCALE.
    distributions: dict[str, tuple[int, ...]]


@dataclass(frozen=True)
class FollowUpSummary:
    n: int
    counts: dict[str, int]

    def share(self, value: str) -> float:
        return self.counts[value] / self.n


@dataclass(frozen=True)
class Split:
    """Answers divided by the anonymity rule."""

    included: list
    #: Answers left out because their offering has fewer than THRESHOLD respondents.
    withheld: int
    #: How many offerings that is.
    withheld_groups: int

    @property
    def respondents(self) -> int:
        return len(self.included) + self.withheld


@dataclass(frozen=True)
class TrendPoint:
    period: date
    #: None for a month without counted answers (a gap in the line).
    summary: FirstSummary | FollowUpSummary | None


@dataclass(frozen=True)
class ComparisonRow:
    key: Hashable
    summary: FirstSummary | FollowUpSummary


@dataclass(frozen=True)
class OwnQuestionSummary:
    question: Hashable
    n: int
    mean: Mean | None = None
    distribution: tuple[int, ...] | None = None
    texts: list[str] = field(default_factory=list)


# The anonymity rule --------------------------------------------------------------------


def reportable(rows: Iterable, *, threshold: int = THRESHOLD) -> Split:
    """Keep the answers of offerings with at least ``threshold`` respondents.

    Rows of one group get the group's earliest period, so that no later bucketing can
    split an offering between months.
    """
    groups: dict[Hashable, list] = defaultdict(list)
    for row in rows:
        groups[row.group].append(row)
    included: list = []
    withheld = withheld_groups = 0
    for members in groups.values():
        if len(members) < threshold:
            withheld += len(members)
            withheld_groups += 1
            continue
        period = min(r.period for r in members)
        included.extend(r if r.period == period else _with_period(r, period) for r in members)
    return Split(included=included, withheld=withheld, withheld_groups=withheld_groups)


def _with_period(row, period: date):
    return dataclasses.replace(row, period=period)


# Figures -------------------------------------------------------------------------------


def mean(values: Sequence[int]) -> Mean | None:
    if not values:
        return None
    return Mean(value=sum(values) / len(values), n=len(values))


def distribution(values: Iterable[int], scale: Sequence[int]) -> tuple[int, ...]:
    counts = Counter(values)
    unknown = set(counts) - set(scale)
    if unknown:
        raise ValueError(f"values outside the scale: {sorted(unknown)}")
    return tuple(counts.get(v, 0) for v in scale)


def net_promoter(values: Sequence[int]) -> NetPromoter | None:
    if not values:
        return None
    promoters = sum(1 for v in values if v >= 9)
    detractors = sum(1 for v in values if v <= 6)
    n = len(values)
    score = (Decimal(100 * (promoters - detractors)) / n).quantize(0, ROUND_HALF_UP)
    return NetPromoter(
        score=int(score),
        promoters=promoters,
        passives=n - promoters - detractors,
        detractors=detractors,
        n=n,
    )


def summarise_first(rows: Sequence[FirstRow], *, threshold: int = THRESHOLD) -> FirstSummary | None:
    """Averages, distributions and NPS of rows already passed through ``reportable``.

    Returns None below the threshold, so that a caller that forgot ``reportable`` still
    shows nothing for a handful of people.
    """
    if len(rows) < threshold:
        return None
    means = {m: mean([getattr(r, m) for r in rows]) for m in MEASURES}
    distributions = {m: distribution((getattr(r, m) for r in rows), SCORE_SCALE) for m in MEASURES}
    distributions["recommend"] = distribution((r.recommend for r in rows), RECOMMEND_SCALE)
    return FirstSummary(
        n=len(rows),
        means=means,
        nps=net_promoter([r.recommend for r in rows]),
        distributions=distributions,
    )


def summarise_follow_up(
    rows: Sequence[FollowUpRow], *, threshold: int = THRESHOLD
) -> FollowUpSummary | None:
    if len(rows) < threshold:
        return None
    counts = dict(
        zip(FOLLOW_UP_VALUES, distribution((r.answer for r in rows), FOLLOW_UP_VALUES), strict=True)
    )
    return FollowUpSummary(n=len(rows), counts=counts)


def months_between(first: date, last: date) -> list[date]:
    """First days of every month from ``first``'s to ``last``'s, inclusive."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def trend(rows: Sequence, summarise: Callable, *, threshold: int = THRESHOLD) -> list[TrendPoint]:
    """One point per month from the first to the last month with counted answers.

    ``rows`` must have passed through ``reportable``: each month then holds whole
    offerings only. Months without answers are gaps (``summary`` None).
    """
    by_month: dict[date, list] = defaultdict(list)
    for row in rows:
        by_month[row.period.replace(day=1)].append(row)
    if not by_month:
        return []
    return [
        TrendPoint(period=m, summary=summarise(by_month.get(m, []), threshold=threshold))
        for m in months_between(min(by_month), max(by_month))
    ]


def compare(
    rows: Sequence, key: Callable, summarise: Callable, *, threshold: int = THRESHOLD
) -> list[ComparisonRow]:
    """A row per ``key(row)`` (a course, an organisation) with its summary; keys whose
    rows fall below the threshold are left out. Rows must have passed ``reportable``."""
    groups: dict[Hashable, list] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    result = []
    for k, members in groups.items():
        summary = summarise(members, threshold=threshold)
        if summary is not None:
            result.append(ComparisonRow(key=k, summary=summary))
    return result


def free_texts(rows: Iterable, *, attribute: str = "comment") -> list[str]:
    """The non-empty texts of rows already passed through ``reportable``, in alphabetical
    order, so that the order says nothing about who wrote what or when."""
    texts = (getattr(r, attribute) for r in rows)
    return sorted((t.strip() for t in texts if t and t.strip()), key=str.casefold)


def summarise_own_questions(
    rows: Iterable[OwnAnswerRow], *, threshold: int = THRESHOLD
) -> dict[Hashable, OwnQuestionSummary]:
    """Per question: the mean and distribution of scores and the texts, each counted only
    from offerings where at least ``threshold`` people answered that question."""
    by_question: dict[Hashable, list[OwnAnswerRow]] = defaultdict(list)
    for row in rows:
        by_question[row.question].append(row)
    result = {}
    for question, answers in by_question.items():
        split = reportable(
            (_QuestionRow(group=a.group, period=date.min, row=a) for a in answers),
            threshold=threshold,
        )
        kept = [r.row for r in split.included]
        if len(kept) < threshold:
            continue
        scores = [a.score for a in kept if a.score is not None]
        result[question] = OwnQuestionSummary(
            question=question,
            n=len(kept),
            mean=mean(scores) if len(scores) >= threshold else None,
            distribution=(distribution(scores, SCORE_SCALE) if len(scores) >= threshold else None),
            texts=free_texts(kept, attribute="text"),
        )
    return result


@dataclass(frozen=True)
class _QuestionRow:
    group: Hashable
    period: date
    row: OwnAnswerRow


# What a page shows -----------------------------------------------------------------------


@dataclass(frozen=True)
class Results:
    """Everything a results page shows for one set of answers of one kind."""

    split: Split
    summary: FirstSummary | FollowUpSummary | None
    trend: list[TrendPoint]
    comments: list[str]

    @property
    def shown(self) -> bool:
        return self.summary is not None


def first_results(rows: Iterable[FirstRow], *, threshold: int = THRESHOLD) -> Results:
    split = reportable(rows, threshold=threshold)
    return Results(
        split=split,
        summary=summarise_first(split.included, threshold=threshold),
        trend=trend(split.included, summarise_first, threshold=threshold),
        comments=free_texts(split.included),
    )


def follow_up_results(rows: Iterable[FollowUpRow], *, threshold: int = THRESHOLD) -> Results:
    split = reportable(rows, threshold=threshold)
    return Results(
        split=split,
        summary=summarise_follow_up(split.included, threshold=threshold),
        trend=trend(split.included, summarise_follow_up, threshold=threshold),
        comments=free_texts(split.included),
    )

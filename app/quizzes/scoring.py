"""Grading an attempt: a pure function of the questions, the responses and the pass mark."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.quizzes.types import QuestionSpec, question_type


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    points: float
    possible: float

    @property
    def correct(self) -> bool:
        return self.possible > 0 and self.points >= self.possible


@dataclass(frozen=True)
class Grade:
    score: float
    max_score: float
    percent: float
    passed: bool
    results: tuple[QuestionResult, ...]


def score_question(spec: QuestionSpec, response: dict | None) -> QuestionResult:
    fraction = question_type(spec.kind).fraction(spec, response)
    fraction = min(1.0, max(0.0, fraction))
    return QuestionResult(spec.id, round(spec.points * fraction, 4), float(spec.points))


def grade(questions: Sequence[QuestionSpec], responses: Mapping[int, dict | None],
          pass_percent: float) -> Grade:
    """Score every question; unanswered ones earn nothing. Passed when the score reaches
    ``pass_percent`` of the points (compared without rounding, so 79.999 % is not 80 %)."""
    results = tuple(score_question(q, responses.get(q.id)) for q in questions)
    score = round(sum(r.points for r in results), 4)
    max_score = float(sum(r.possible for r in results))
    if max_score <= 0:
        return Grade(0.0, 0.0, 0.0, False, results)
    percent = round(100 * score / max_score, 2)
    passed = score * 100 >= pass_percent * max_score - 1e-9
    return Grade(score, max_score, min(percent, 100.0), passed, results)

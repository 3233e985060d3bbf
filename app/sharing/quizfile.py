"""``quiz.toml``: the questions, their answers and explanations, and the pass mark.

Question types: single (one right choice), multiple (one or more right choices),
true_false, numeric (an answer with a tolerance), short_text (accepted answers, compared
without regard to case and surrounding spaces) and ordering (items in their right order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.sharing.problems import N_, Collector, Table
from app.sharing.tomlfile import load_table

QUESTION_TYPES = ("single", "multiple", "true_false", "numeric", "short_text", "ordering")
QUESTION_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: str
    explanation: str
    points: int = 1
    choices: tuple[Choice, ...] = ()
    #: true_false: the right truth value; numeric: the right number.
    answer: bool | float | None = None
    tolerance: float = 0.0
    unit: str | None = None
    #: short_text: accepted answers.
    answers: tuple[str, ...] = ()
    #: ordering: the items in their right order.
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quiz:
    title: str
    #: Percent of the points needed to pass.
    pass_mark: int
    questions: tuple[Question, ...]

    @property
    def total_points(self) -> int:
        return sum(q.points for q in self.questions)


def _choices(question: Table, kind: str) -> tuple[Choice, ...] | None:
    tables = question.tables("choices", min_items=2, max_items=10)
    if tables is None:
        return None
    choices = []
    for table in tables:
        text = table.string("text", max_length=500)
        correct = table.boolean("correct", default=False)
        table.finish()
        if text is None or correct is None:
            return None
        choices.append(Choice(text, correct))
    if len({c.text for c in choices}) != len(choices):
        question.problem("choices", N_("to svaralternativer har samme tekst"))
        return None
    right = sum(c.correct for c in choices)
    if kind == "single" and right != 1:
        question.problem("choices", N_("et spørsmål av typen single skal ha nøyaktig ett riktig "
                                       "svar (correct = true), ikke %(count)s"), count=right)
        return None
    if kind == "multiple" and right < 1:
        question.problem("choices", N_("et spørsmål av typen multiple skal ha minst ett riktig "
                                       "svar (correct = true)"))
        return None
    return tuple(choices)


def _question(table: Table) -> Question | None:
    qid = table.string("id", max_length=40, pattern=QUESTION_ID,
                       pattern_hint=N_("a-z, 0-9 og bindestrek"))
    kind = table.choice("type", QUESTION_TYPES)
    text = table.string("text", max_length=2000, multiline=True)
    explanation = table.string("explanation", max_length=4000, multiline=True)
    points = table.integer("points", required=False, minimum=1, maximum=100, default=1)
    fields: dict[str, Any] = {}
    ok = True
    if kind in ("single", "multiple"):
        fields["choices"] = _choices(table, kind)
        ok = fields["choices"] is not None
    elif kind == "true_false":
        fields["answer"] = table.boolean("answer", required=True, default=None)
        ok = fields["answer"] is not None
    elif kind == "numeric":
        fields["answer"] = table.number("answer")
        fields["tolerance"] = table.number("tolerance", required=False, minimum=0.0,
                                           default=0.0)
        fields["unit"] = table.string("unit", required=False, max_length=40)
        ok = fields["answer"] is not None and fields["tolerance"] is not None
    elif kind == "short_text":
        fields["answers"] = table.string_list("answers", min_items=1, max_items=20)
        ok = fields["answers"] is not None
    elif kind == "ordering":
        fields["items"] = table.string_list("items", min_items=2, max_items=10, max_length=300)
        ok = fields["items"] is not None
    table.finish()
    if None in (qid, kind, text, explanation, points) or not ok:
        return None
    return Question(id=qid, type=kind, text=text.strip(), explanation=explanation.strip(),
                    points=points, **fields)


def parse_quiz(collector: Collector, data: bytes, file: str = "quiz.toml") -> Quiz | None:
    root = load_table(collector, file, data)
    if root is None:
        return None
    title = root.string("title", max_length=200)
    pass_mark = root.integer("pass_mark", minimum=1, maximum=100)
    tables = root.tables("questions", min_items=1, max_items=200)
    root.finish()
    questions = [_question(t) for t in tables or []]
    if None in (title, pass_mark, tables) or None in questions:
        return None
    ids = [q.id for q in questions]
    for index, qid in enumerate(ids, start=1):
        if qid in ids[:index - 1]:
            collector.add(file, f"questions[{index}].id", N_("id-en %(id)s er brukt før"),
                          id=qid)
            return None
    return Quiz(title=title, pass_mark=pass_mark, questions=tuple(questions))


def quiz_document(quiz: Quiz) -> dict[str, Any]:
    """The canonical TOML document of a quiz: every default written out."""
    questions = []
    for q in quiz.questions:
        item: dict[str, Any] = {"id": q.id, "type": q.type, "text": q.text, "points": q.points}
        if q.type in ("single", "multiple"):
            item["choices"] = [{"text": c.text, "correct": c.correct} for c in q.choices]
        elif q.type == "true_false":
            item["answer"] = q.answer
        elif q.type == "numeric":
            item["answer"] = float(q.answer)
            item["tolerance"] = float(q.tolerance)
            if q.unit:
                item["unit"] = q.unit
        elif q.type == "short_text":
            item["answers"] = list(q.answers)
        elif q.type == "ordering":
            item["items"] = list(q.items)
        item["explanation"] = q.explanation
        questions.append(item)
    return {"title": quiz.title, "pass_mark": quiz.pass_mark, "questions": questions}

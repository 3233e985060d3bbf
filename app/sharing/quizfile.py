"""``quiz.toml``: the questions, their answers and explanations, the pass mark and how
attempts work.

Question types: single (one right choice), multiple (one or more right choices),
true_false, numeric (an answer with a tolerance), short_text (accepted answers, compared
without regard to case and spacing) and ordering (items in their right order). The keys
map one to one onto the quiz tables (see docs/quizzes.md and docs/kurs-format.md).
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
    #: multiple and ordering: a share of the points for a partly right answer.
    partial_credit: bool = False


PAGING = ("one", "all")


@dataclass(frozen=True)
class Quiz:
    title: str
    #: Percent of the points needed to pass.
    pass_mark: int
    questions: tuple[Question, ...]
    #: Shown before the first question.
    intro: str = ""
    #: None: as many attempts as a person likes.
    attempts_allowed: int | None = None
    time_limit_minutes: int | None = None
    shuffle_questions: bool = False
    shuffle_choices: bool = False
    #: Draw this many questions at random for each attempt; None: all of them.
    draw_count: int | None = None
    #: After submitting, show the right answers and the explanations.
    show_answers: bool = True
    #: "one" question per page, or "all" on one page.
    paging: str = "one"

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
    if kind in ("multiple", "ordering"):
        fields["partial_credit"] = table.boolean("partial_credit", default=False)
        ok = fields["partial_credit"] is not None
    if kind in ("single", "multiple"):
        fields["choices"] = _choices(table, kind)
        ok = ok and fields["choices"] is not None
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
        ok = ok and fields["items"] is not None
    table.finish()
    if None in (qid, kind, text, explanation, points) or not ok:
        return None
    return Question(id=qid, type=kind, text=text.strip(), explanation=explanation.strip(),
                    points=points, **fields)


#: The most questions a quiz.toml may hold (the quiz pages refuse one more, so that every
#: quiz authored here can still be published and exported).
MAX_QUESTIONS = 200


def parse_quiz(collector: Collector, data: bytes, file: str = "quiz.toml") -> Quiz | None:
    root = load_table(collector, file, data)
    if root is None:
        return None
    title = root.string("title", max_length=200)
    settings = {
        "intro": root.string("intro", required=False, max_length=4000, multiline=True,
                             default=""),
        "attempts_allowed": root.integer("attempts_allowed", required=False, minimum=1,
                                         maximum=100),
        "time_limit_minutes": root.integer("time_limit_minutes", required=False, minimum=1,
                                           maximum=600),
        "shuffle_questions": root.boolean("shuffle_questions", default=False),
        "shuffle_choices": root.boolean("shuffle_choices", default=False),
        "draw_count": root.integer("draw_count", required=False, minimum=1,
                                   maximum=MAX_QUESTIONS),
        "show_answers": root.boolean("show_answers", default=True),
        "paging": root.choice("paging", PAGING, required=False, default="one"),
    }
    pass_mark = root.integer("pass_mark", minimum=1, maximum=100)
    tables = root.tables("questions", min_items=1, max_items=MAX_QUESTIONS)
    root.finish()
    questions = [_question(t) for t in tables or []]
    optional = ("attempts_allowed", "time_limit_minutes", "draw_count")
    if None in (title, pass_mark, tables) or None in questions or any(
            v is None for k, v in settings.items() if k not in optional):
        return None
    if settings["draw_count"] is not None and settings["draw_count"] > len(questions):
        collector.add(file, "draw_count", N_("kan ikke være større enn antall spørsmål "
                                             "(%(count)s)"), count=len(questions))
        return None
    ids = [q.id for q in questions]
    for index, qid in enumerate(ids, start=1):
        if qid in ids[:index - 1]:
            collector.add(file, f"questions[{index}].id", N_("id-en %(id)s er brukt før"),
                          id=qid)
            return None
    settings["intro"] = settings["intro"].strip()
    return Quiz(title=title, pass_mark=pass_mark, questions=tuple(questions), **settings)


def quiz_document(quiz: Quiz) -> dict[str, Any]:
    """The canonical TOML document of a quiz: every default written out."""
    questions = []
    for q in quiz.questions:
        item: dict[str, Any] = {"id": q.id, "type": q.type, "text": q.text, "points": q.points}
        if q.type in ("multiple", "ordering"):
            item["partial_credit"] = q.partial_credit
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
    document: dict[str, Any] = {"title": quiz.title}
    if quiz.intro:
        document["intro"] = quiz.intro
    document["pass_mark"] = quiz.pass_mark
    for name in ("attempts_allowed", "time_limit_minutes"):
        if getattr(quiz, name) is not None:
            document[name] = getattr(quiz, name)
    document["shuffle_questions"] = quiz.shuffle_questions
    document["shuffle_choices"] = quiz.shuffle_choices
    if quiz.draw_count is not None:
        document["draw_count"] = quiz.draw_count
    document["show_answers"] = quiz.show_answers
    document["paging"] = quiz.paging
    document["questions"] = questions
    return document

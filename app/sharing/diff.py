"""A readable diff between two versions of a package: what an importing editor needs to
see before choosing to update. Pure: two parsed packages in, a list of changes out."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from app.sharing.package import Package
from app.sharing.programfile import Program
from app.sharing.quizfile import Question, Quiz

#: Manifest fields compared one by one, in the order a page shows them.
FIELDS = ("title", "summary", "description", "kind", "language", "licence", "audience",
          "mandatory_for", "validity_months", "completion")


@dataclass(frozen=True)
class Line:
    #: "+" added, "-" removed, " " unchanged context.
    mark: str
    text: str


@dataclass(frozen=True)
class Change:
    #: "course", "module", "attachment", "quiz", "program".
    area: str
    #: "added", "removed", "changed", "moved".
    kind: str
    #: What changed: a field name, a module or attachment title, a question id.
    label: str
    before: str = ""
    after: str = ""
    lines: tuple[Line, ...] = field(default=())


def line_diff(before: str, after: str, context: int = 2) -> tuple[Line, ...]:
    """Changed lines with a little context; runs of unchanged lines are elided."""
    old, new = before.splitlines(), after.splitlines()
    lines: list[Line] = []
    for group in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_grouped_opcodes(
            context):
        if lines:
            lines.append(Line(" ", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(Line(" ", t) for t in old[i1:i2])
            if tag in ("delete", "replace"):
                lines.extend(Line("-", t) for t in old[i1:i2])
            if tag in ("insert", "replace"):
                lines.extend(Line("+", t) for t in new[j1:j2])
    return tuple(lines)


def _value(package: Package, name: str) -> str:
    value = getattr(package.manifest, name)
    if name == "completion":
        parts = [k for k in ("attendance", "quiz", "modules") if getattr(value, k)]
        if value.attendance_percent:
            parts.append(f"attendance_percent={value.attendance_percent}")
        return ", ".join(parts)
    if isinstance(value, tuple):
        return ", ".join(value)
    return "" if value is None else str(value)


def _question_text(q: Question) -> str:
    partial = ", partial_credit" if q.partial_credit else ""
    lines = [f"[{q.type}, {q.points} p{partial}] {q.text}"]
    lines += [f"{'✓' if c.correct else '✗'} {c.text}" for c in q.choices]
    if q.type == "true_false":
        lines.append(f"= {'sant' if q.answer else 'usant'}")
    elif q.type == "numeric":
        lines.append(f"= {q.answer:g} ± {q.tolerance:g} {q.unit or ''}".rstrip())
    lines += [f"= {a}" for a in q.answers]
    lines += [f"{i}. {item}" for i, item in enumerate(q.items, start=1)]
    lines.append(f"Forklaring: {q.explanation}")
    return "\n".join(lines)


def _quiz_changes(old: Quiz | None, new: Quiz | None) -> list[Change]:
    if old is None and new is None:
        return []
    if old is None or new is None:
        quiz = new or old
        return [Change("quiz", "added" if old is None else "removed", quiz.title,
                       lines=tuple(Line("+" if old is None else "-", _question_text(q))
                                   for q in quiz.questions))]
    changes = []
    for name in ("title", "intro", "pass_mark", "attempts_allowed", "time_limit_minutes",
                 "shuffle_questions", "shuffle_choices", "draw_count", "show_answers", "paging"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(Change("quiz", "changed", name,
                                  "–" if before is None else str(before),
                                  "–" if after is None else str(after)))
    before = {q.id: q for q in old.questions}
    after = {q.id: q for q in new.questions}
    for qid, question in after.items():
        if qid not in before:
            changes.append(Change("quiz", "added", qid, after=question.text,
                                  lines=line_diff("", _question_text(question))))
        elif before[qid] != question:
            changes.append(Change("quiz", "changed", qid, before[qid].text, question.text,
                                  line_diff(_question_text(before[qid]),
                                            _question_text(question))))
    changes += [Change("quiz", "removed", qid, before=q.text) for qid, q in before.items()
                if qid not in after]
    return changes


def _program_text(program: Program | None) -> str:
    if program is None:
        return ""
    return "\n".join(f"Dag {s.day} {s.start}–{s.end} {s.title}"
                     f"{'' if s.mandatory or s.kind == 'break' else ' (frivillig)'}"
                     for s in program.sessions)


def diff_packages(old: Package, new: Package) -> list[Change]:
    changes: list[Change] = []
    for name in FIELDS:
        before, after = _value(old, name), _value(new, name)
        if before != after:
            lines = line_diff(before, after) if name == "description" else ()
            changes.append(Change("course", "changed", name, before, after, lines))

    before = {m.file: (i, m) for i, m in enumerate(old.modules, start=1)}
    after = {m.file: (i, m) for i, m in enumerate(new.modules, start=1)}
    for file, (position, module) in after.items():
        if file not in before:
            changes.append(Change("module", "added", module.title, after=str(position),
                                  lines=line_diff("", module.body)))
            continue
        old_position, previous = before[file]
        if previous.title != module.title:
            changes.append(Change("module", "changed", module.title, previous.title,
                                  module.title))
        if previous.minutes != module.minutes:
            changes.append(Change("module", "changed", module.title,
                                  f"{previous.minutes or '–'} min", f"{module.minutes or '–'} min"))
        if previous.body != module.body:
            changes.append(Change("module", "changed", module.title,
                                  lines=line_diff(previous.body, module.body)))
        if old_position != position:
            changes.append(Change("module", "moved", module.title, str(old_position),
                                  str(position)))
    changes += [Change("module", "removed", m.title, before=str(i))
                for file, (i, m) in before.items() if file not in after]

    old_files = {a.file: a for a in old.attachments}
    new_files = {a.file: a for a in new.attachments}
    for file, item in new_files.items():
        if file not in old_files:
            changes.append(Change("attachment", "added", item.title, after=item.name))
        elif old_files[file].sha256 != item.sha256 or old_files[file].title != item.title:
            changes.append(Change("attachment", "changed", item.title, old_files[file].title,
                                  item.title))
    changes += [Change("attachment", "removed", a.title, before=a.name)
                for file, a in old_files.items() if file not in new_files]

    changes += _quiz_changes(old.quiz, new.quiz)
    if _program_text(old.program) != _program_text(new.program):
        changes.append(Change("program", "changed", "program",
                              lines=line_diff(_program_text(old.program),
                                              _program_text(new.program))))
    return changes

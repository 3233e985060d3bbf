"""The completion rule: a pure function of a course's rule and a person's facts.

A course can require any combination of: its mandatory sessions attended (or, instead,
a share of all its sessions), its quiz passed, and all its modules read. Attendance is
judged per offering; any one offering that satisfies the rule is enough. A course that
requires nothing is never completed automatically (HR registers such completions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

#: Attendance statuses that count as having attended.
ATTENDED = frozenset({"present", "late"})


@dataclass(frozen=True)
class Rule:
    requires_attendance: bool = False
    #: When set, at least this share (1–100) of the offering's sessions, instead of all
    #: its mandatory ones.
    attendance_percent: int | None = None
    requires_quiz: bool = False
    requires_modules: bool = False

    @classmethod
    def of(cls, course) -> Rule:
        return cls(
            requires_attendance=bool(course.completion_requires_attendance),
            attendance_percent=course.completion_attendance_percent,
            requires_quiz=bool(course.completion_requires_quiz),
            requires_modules=bool(course.completion_requires_modules),
        )

    @property
    def empty(self) -> bool:
        return not (self.requires_attendance or self.requires_quiz or self.requires_modules)


@dataclass(frozen=True)
class SessionFact:
    mandatory: bool
    #: The person's attendance status at the session, None when nothing was recorded.
    status: str | None


@dataclass(frozen=True)
class OfferingFacts:
    offering_id: int
    sessions: tuple[SessionFact, ...]


@dataclass(frozen=True)
class Facts:
    offerings: tuple[OfferingFacts, ...] = ()
    quiz_passed: bool = False
    modules_total: int = 0
    modules_read: int = 0


@dataclass(frozen=True)
class Outcome:
    met: bool
    #: The offering whose attendance counted, when attendance was required.
    offering_id: int | None = None
    #: What is still missing: "attendance", "quiz", "modules" or "no_rule".
    missing: tuple[str, ...] = field(default_factory=tuple)


def offering_satisfies(rule: Rule, sessions: Sequence[SessionFact]) -> bool:
    if not sessions:
        return False
    if rule.attendance_percent is not None:
        attended = sum(s.status in ATTENDED for s in sessions)
        # Integer arithmetic: 2 of 3 sessions is not 67 %.
        return attended * 100 >= rule.attendance_percent * len(sessions)
    mandatory = [s for s in sessions if s.mandatory]
    # An offering without mandatory sessions asks for all of them.
    return all(s.status in ATTENDED for s in (mandatory or sessions))


def evaluate(rule: Rule, facts: Facts) -> Outcome:
    if rule.empty:
        return Outcome(False, missing=("no_rule",))
    missing = []
    offering_id = None
    if rule.requires_attendance:
        offering_id = next(
            (o.offering_id for o in facts.offerings if offering_satisfies(rule, o.sessions)),
            None,
        )
        if offering_id is None:
            missing.append("attendance")
    if rule.requires_quiz and not facts.quiz_passed:
        missing.append("quiz")
    if rule.requires_modules and not (facts.modules_total > 0
                                      and facts.modules_read >= facts.modules_total):
        missing.append("modules")
    return Outcome(not missing, offering_id, tuple(missing))

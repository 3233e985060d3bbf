"""The completion rule is a pure function of the course's rule and the person's facts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.certificates.rules import Facts, OfferingFacts, Rule, SessionFact, evaluate

STATUSES = ["present", "late", "excused", "absent", None]


def offering(*marks, mandatory=None, oid=1):
    mandatory = mandatory or [True] * len(marks)
    return OfferingFacts(oid, tuple(SessionFact(m, s) for m, s in zip(mandatory, marks,
                                                                      strict=True)))


def test_all_mandatory_sessions_attended_completes_an_attendance_course():
    rule = Rule(requires_attendance=True)
    facts = Facts(offerings=(offering("present", "late", "absent",
                                      mandatory=[True, True, False]),))
    outcome = evaluate(rule, facts)
    assert outcome.met and outcome.offering_id == 1


def test_an_excused_or_missing_mandatory_session_is_not_attended():
    rule = Rule(requires_attendance=True)
    assert not evaluate(rule, Facts(offerings=(offering("present", "excused"),))).met
    assert evaluate(rule, Facts(offerings=(offering("present", None),))).missing == (
        "attendance",)


def test_an_attendance_percentage_replaces_all_mandatory_sessions():
    rule = Rule(requires_attendance=True, attendance_percent=75)
    assert evaluate(rule, Facts(offerings=(offering("present", "late", "present", "absent"),))).met
    assert not evaluate(rule, Facts(offerings=(offering("present", "late", "absent"),))).met


def test_two_of_three_sessions_is_not_sixty_seven_percent():
    rule = Rule(requires_attendance=True, attendance_percent=67)
    assert not evaluate(rule, Facts(offerings=(offering("present", "present", "absent"),))).met


def test_any_one_offering_that_satisfies_the_rule_counts():
    rule = Rule(requires_attendance=True)
    facts = Facts(offerings=(offering("absent", oid=1), offering("present", oid=2)))
    assert evaluate(rule, facts).offering_id == 2


def test_a_course_needing_the_quiz_as_well_waits_for_it():
    rule = Rule(requires_attendance=True, requires_quiz=True)
    attended = (offering("present"),)
    assert evaluate(rule, Facts(offerings=attended)).missing == ("quiz",)
    assert evaluate(rule, Facts(offerings=attended, quiz_passed=True)).met


def test_a_self_paced_course_is_complete_when_every_module_is_read():
    rule = Rule(requires_modules=True)
    assert not evaluate(rule, Facts(modules_total=3, modules_read=2)).met
    assert evaluate(rule, Facts(modules_total=3, modules_read=3)).met
    assert not evaluate(rule, Facts(modules_total=0, modules_read=0)).met


def test_a_course_without_a_rule_is_never_completed_automatically():
    outcome = evaluate(Rule(), Facts(quiz_passed=True, modules_total=1, modules_read=1))
    assert not outcome.met and outcome.missing == ("no_rule",)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.sampled_from(STATUSES)), min_size=1, max_size=8),
       st.booleans(), st.booleans(), st.booleans(), st.booleans())
def test_more_facts_never_undo_a_completion(sessions, att, quiz, modules, passed):
    """Monotone: turning a mark into "present", passing the quiz or reading more modules
    can only help."""
    rule = Rule(requires_attendance=att, requires_quiz=quiz, requires_modules=modules)
    marks = OfferingFacts(1, tuple(SessionFact(m, s) for m, s in sessions))
    before = Facts(offerings=(marks,), quiz_passed=passed, modules_total=4, modules_read=3)
    better = Facts(offerings=(OfferingFacts(1, tuple(SessionFact(m, "present")
                                                     for m, _s in sessions)),),
                   quiz_passed=True, modules_total=4, modules_read=4)
    if evaluate(rule, before).met:
        assert evaluate(rule, better).met
    if not rule.empty:
        assert evaluate(rule, better).met

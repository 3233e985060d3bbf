"""The pure rules of enrolment: states, the window, the deadline, the seat arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.enrolment import rules
from app.enrolment.models import EnrolmentStatus as S

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)


def test_a_request_leads_to_a_seat_the_waitlist_or_a_decline_and_holds_no_seat():
    assert rules.TRANSITIONS[S.REQUESTED] == {S.ENROLLED, S.WAITLISTED, S.DECLINED,
                                              S.CANCELLED}
    assert S.REQUESTED not in rules.TRANSITIONS[S.ENROLLED]


def test_only_an_enrolled_person_can_become_a_no_show_and_a_no_show_is_final():
    assert rules.can_transition(S.ENROLLED, S.NO_SHOW)
    assert not rules.can_transition(S.WAITLISTED, S.NO_SHOW)
    assert rules.TRANSITIONS[S.NO_SHOW] == frozenset()


def test_cancelled_and_declined_rows_are_reused_when_enrolling_again():
    for old in (S.CANCELLED, S.DECLINED):
        assert old in rules.REUSABLE
        assert rules.can_transition(old, S.ENROLLED)
        assert rules.can_transition(old, S.WAITLISTED)
        assert rules.can_transition(old, S.REQUESTED)


def window(**kw):
    values = {"status": "published", "opens_at": None, "closes_at": None, "starts_at": None,
              "now": NOW}
    values.update(kw)
    return rules.enrol_window(**values)


def test_the_window_opens_at_its_time_and_closes_at_the_deadline_or_the_start():
    assert window(opens_at=NOW + timedelta(minutes=1)) == rules.Window.NOT_YET
    assert window(opens_at=NOW) == rules.Window.OPEN
    assert window(closes_at=NOW) == rules.Window.CLOSED
    assert window(closes_at=NOW + timedelta(seconds=1)) == rules.Window.OPEN
    assert window(starts_at=NOW - timedelta(hours=1)) == rules.Window.CLOSED
    assert window() == rules.Window.OPEN  # self-paced, no dates


def test_drafts_and_cancelled_offerings_take_no_enrolments():
    assert window(status="draft") == rules.Window.CLOSED
    assert window(status="cancelled") == rules.Window.CANCELLED


def test_a_participant_may_cancel_until_the_deadline_or_else_until_the_start():
    deadline = NOW + timedelta(days=1)
    assert rules.may_cancel_self(cancel_deadline_at=deadline, starts_at=None, now=NOW)
    assert not rules.may_cancel_self(cancel_deadline_at=NOW, starts_at=None, now=NOW)
    assert not rules.may_cancel_self(cancel_deadline_at=None, starts_at=NOW, now=NOW)
    assert rules.may_cancel_self(cancel_deadline_at=None, starts_at=None, now=NOW)


def test_seats_are_given_while_left_then_the_waitlist_and_no_limit_means_always_a_seat():
    assert rules.preview_outcomes(3, 1, 4) == [S.ENROLLED, S.ENROLLED, S.WAITLISTED,
                                               S.WAITLISTED]
    assert rules.preview_outcomes(None, 100, 2) == [S.ENROLLED, S.ENROLLED]
    assert rules.seats_left(2, 5) == 0

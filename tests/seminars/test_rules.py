"""The attendance rules, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.seminars.models import AttendanceStatus as S
from app.seminars.rules import (
    SessionFacts,
    arrival_status,
    checkin_is_open,
    counts,
    meets_attendance_rule,
    person_attendance,
    self_checkin_status,
)

NINE = datetime(2027, 3, 4, 8, 0, tzinfo=UTC)  # 09:00 in Oslo
TEN = NINE + timedelta(hours=1)


def test_check_in_opens_thirty_minutes_before_the_start_and_closes_at_the_end():
    assert not checkin_is_open(NINE, TEN, NINE - timedelta(minutes=31))
    assert checkin_is_open(NINE, TEN, NINE - timedelta(minutes=30))
    assert checkin_is_open(NINE, TEN, TEN - timedelta(seconds=1))
    assert not checkin_is_open(NINE, TEN, TEN)


def test_a_self_check_in_is_late_after_fifteen_minutes():
    assert self_checkin_status(NINE, NINE - timedelta(minutes=20)) == S.PRESENT
    assert self_checkin_status(NINE, NINE + timedelta(minutes=15)) == S.PRESENT
    assert self_checkin_status(NINE, NINE + timedelta(minutes=16)) == S.LATE


def test_an_organiser_adding_someone_after_the_session_records_present_not_late():
    assert arrival_status(NINE, TEN, NINE + timedelta(minutes=30)) == S.LATE
    assert arrival_status(NINE, TEN, TEN + timedelta(days=1)) == S.PRESENT


def test_counts_has_every_status_the_unmarked_and_the_total():
    assert counts([S.PRESENT, S.PRESENT, S.LATE, None, "absent"]) == {
        "present": 2, "late": 1, "excused": 0, "absent": 1, "unmarked": 1, "total": 5}


SESSIONS = [SessionFacts(1, NINE), SessionFacts(2, NINE + timedelta(hours=2)),
            SessionFacts(3, NINE + timedelta(days=1), mandatory=False)]


def test_attendance_counts_only_the_sessions_that_have_started():
    summary = person_attendance(SESSIONS, {1: S.LATE}, now=NINE + timedelta(hours=3))
    assert (summary.held, summary.attended, summary.late, summary.missed) == (2, 1, 1, 1)
    assert summary.percent == 50
    assert not summary.no_show


def test_before_the_first_session_there_is_no_percentage_and_no_no_show():
    summary = person_attendance(SESSIONS, {}, now=NINE - timedelta(hours=1))
    assert summary.percent is None
    assert not summary.no_show


def test_a_no_show_attended_nothing_and_was_not_excused_from_everything():
    later = NINE + timedelta(hours=3)
    assert person_attendance(SESSIONS, {1: S.ABSENT}, later).no_show
    assert person_attendance(SESSIONS, {}, later).no_show
    assert not person_attendance(SESSIONS, {1: S.EXCUSED, 2: S.EXCUSED}, later).no_show
    assert not person_attendance(SESSIONS, {2: S.PRESENT}, later).no_show


def test_all_mandatory_sessions_means_present_or_late_at_each_of_them():
    rule = {"requires_all_mandatory": True, "min_percent": None}
    assert meets_attendance_rule(SESSIONS, {1: S.PRESENT, 2: S.LATE}, **rule)
    assert not meets_attendance_rule(SESSIONS, {1: S.PRESENT, 2: S.EXCUSED}, **rule)
    assert not meets_attendance_rule(SESSIONS, {1: S.PRESENT}, **rule)


def test_a_minimum_percentage_counts_every_session_also_those_ahead():
    rule = {"requires_all_mandatory": False, "min_percent": 60}
    assert meets_attendance_rule(SESSIONS, {1: S.PRESENT, 3: S.LATE}, **rule)
    assert not meets_attendance_rule(SESSIONS, {1: S.PRESENT}, **rule)


def test_with_no_mandatory_session_every_session_is_needed():
    optional = [SessionFacts(1, NINE, mandatory=False), SessionFacts(2, TEN, mandatory=False)]
    rule = {"requires_all_mandatory": True, "min_percent": None}
    assert not meets_attendance_rule(optional, {1: S.PRESENT}, **rule)
    assert meets_attendance_rule(optional, {1: S.PRESENT, 2: S.PRESENT}, **rule)


def test_a_course_without_an_attendance_rule_says_so():
    assert meets_attendance_rule(SESSIONS, {}, requires_all_mandatory=False,
                                 min_percent=None) is None

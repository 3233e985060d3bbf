"""The pure rules of the reports: roll-up, bands, how long a course has been lacking,
expiry windows and the trend's months."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.reports.rules import (
    Cell,
    expiry_window,
    lack,
    roll_up,
    total,
    trend_months,
    trend_series,
    walk,
)

UNITS = [
    (1, None, "Helse", "H", 0, "/1/", 1),
    (2, 1, "Hjemmetjenesten", "H1", 1, "/1/2/", 3),
    (3, 2, "Team Nardo", "H11", 2, "/1/2/3/", 8),
    (4, 1, "Helsehuset", "H2", 1, "/1/4/", 5),
]


def test_counts_roll_up_to_every_ancestor_and_people_too():
    roots = roll_up(UNITS, [(3, 10, 4, 1), (2, 10, 1, 1), (4, 10, 2, 2), (4, 11, 1, 0)])
    assert [u.id for u in roots] == [1]
    by_id = {u.id: u for u in walk(roots)}
    assert (by_id[1].cell(10).required, by_id[1].cell(10).completed) == (7, 4)
    assert (by_id[2].cell(10).required, by_id[2].cell(10).completed) == (5, 2)
    assert by_id[3].cell(11).required == 0
    assert (by_id[1].people, by_id[2].people, by_id[3].people) == (17, 11, 8)
    assert total(roots, 10).percent == 57


def test_a_subtree_shown_alone_is_its_own_root():
    roots = roll_up(UNITS[1:3], [(3, 10, 4, 1)])
    assert [u.id for u in roots] == [2]
    assert roots[0].cell(10).required == 4


def test_cells_are_banded_so_a_page_can_say_good_partly_or_low_in_words():
    assert Cell(10, 9).band == "good"
    assert Cell(10, 6).band == "partly"
    assert Cell(10, 5).band == "low"
    assert Cell(0, 0).band == "none"
    assert Cell(0, 0).percent is None
    assert Cell(3, 2).percent == 67


def test_a_leader_lacks_a_course_from_becoming_leader_and_is_overdue_after_the_due_months():
    gap = lack(due_leader=12, due_other=None, leader_since=date(2025, 1, 31),
               unit_since=date(2020, 1, 1), last_expired=None)
    assert gap.due == date(2026, 1, 31)
    assert gap.since == date(2025, 1, 31)
    assert gap.overdue(date(2026, 2, 1)) and not gap.overdue(date(2026, 1, 31))
    assert gap.days(date(2025, 2, 10)) == 10


def test_an_expired_completion_makes_the_lack_start_at_its_expiry():
    gap = lack(due_leader=12, due_other=None, leader_since=date(2020, 1, 1),
               unit_since=None, last_expired=date(2026, 5, 1))
    assert (gap.due, gap.since) == (date(2026, 5, 1), date(2026, 5, 1))


def test_without_due_months_there_is_no_due_date_but_the_lack_still_has_a_start():
    gap = lack(due_leader=None, due_other=-1, leader_since=None, unit_since=date(2024, 3, 1),
               last_expired=None)
    assert gap.due is None and gap.since == date(2024, 3, 1)
    assert not gap.overdue(date(2030, 1, 1))


def test_expiry_windows_are_the_shortest_that_holds_the_date():
    now = datetime(2026, 11, 15, tzinfo=UTC)
    assert expiry_window(now - timedelta(seconds=1), now) == "expired"
    assert expiry_window(now + timedelta(days=30), now) == "30"
    assert expiry_window(now + timedelta(days=31), now) == "90"
    assert expiry_window(now + timedelta(days=180), now) == "180"
    assert expiry_window(now + timedelta(days=181), now) == "later"


def test_the_trend_covers_the_last_24_months_including_this_one():
    months = trend_months(date(2026, 11, 15))
    assert len(months) == 24
    assert months[0] == "2024-12" and months[-1] == "2026-11"
    series = trend_series([(7, "2026-11", 3), (7, "2024-12", 1), (7, "2020-01", 9)], months)
    assert series[7][0] == 1 and series[7][-1] == 3 and sum(series[7]) == 4

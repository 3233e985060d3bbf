"""The report queries: the right people and numbers, the reader's reach, and a fixed
number of statements whatever the size of the organisation."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.catalogue.models import CourseKind
from app.reports import parts, queries
from app.reports.scope import Filters
from app.seminars.models import Attendance
from tests.enrolment.builders import make_enrolment, make_offering
from tests.factories import make_unit, make_user
from tests.reports.builders import NOW, ago, complete, make_course, make_world, require
from tests.toolbox.builders import make_project


def _cells(report, course):
    return {u.name: (u.cell(course.id).completed, u.cell(course.id).required)
            for u in report.units}


def test_coverage_counts_leaders_required_and_completed_per_unit_rolled_up(session):
    world = make_world(session)
    head, leader1, leader2 = world.leaders
    complete(session, leader1, world.course, at=ago(100), expires=NOW + timedelta(days=900))
    # An expired completion does not count.
    complete(session, leader2, world.course, at=ago(1200), expires=ago(50))
    report = parts.coverage(session, world.hr, Filters(), now=NOW)
    assert [c[2] for c in report.courses] == ["IT i hverdagen"]
    assert _cells(report, world.course) == {
        "Helse og velferd": (1, 3), "Enhet 1": (1, 1), "Enhet 2": (0, 1)}
    assert report.people == len(world.leaders) + len(world.staff) + 1  # and HR herself


def test_a_requirement_is_renewed_when_the_completion_expires_to_the_second(session):
    """The course's validity is the renewal period: a completion expiring at this very
    instant no longer satisfies the requirement; one expiring a second later still does."""
    world = make_world(session)
    head, leader1, _leader2 = world.leaders
    complete(session, head, world.course, at=ago(1000), expires=NOW)
    complete(session, leader1, world.course, at=ago(1000), expires=NOW + timedelta(seconds=1))
    report = parts.coverage(session, world.hr, Filters(), now=NOW)
    assert _cells(report, world.course)["Helse og velferd"] == (1, 3)
    lacking = {g.name for g in parts.gaps(session, world.hr, Filters(), now=NOW).rows}
    assert head.name in lacking and leader1.name not in lacking


def test_coverage_filters_by_level_and_completion_dates(session):
    world = make_world(session)
    head, leader1, _ = world.leaders
    complete(session, head, world.course, at=ago(400))
    complete(session, leader1, world.course, at=ago(10))
    by_level = parts.coverage(session, world.hr, Filters(level="mellomleder"), now=NOW)
    assert _cells(by_level, world.course)["Helse og velferd"] == (1, 2)
    recent = Filters(date_from=(NOW - timedelta(days=30)).date())
    assert _cells(parts.coverage(session, world.hr, recent, now=NOW),
                  world.course)["Helse og velferd"] == (1, 3)


def test_a_unit_requirement_binds_everyone_in_the_subtree(session):
    world = make_world(session, staff_per_unit=2)
    safety = make_course(session, world.org, title="Informasjonssikkerhet")
    require(session, safety, unit=world.units[0])
    complete(session, world.staff[0], safety, at=ago(5))
    report = parts.coverage(session, world.hr, Filters(), now=NOW)
    assert _cells(report, safety)["Enhet 1"] == (1, 3)  # the leader and two employees
    assert _cells(report, safety)["Enhet 2"] == (0, 0)


def test_a_leader_sees_only_their_own_subtree_and_another_organisation_sees_nothing(session):
    world = make_world(session)
    leader1 = world.leaders[1]
    report = parts.coverage(session, leader1, Filters(), now=NOW)
    assert [u.name for u in report.units] == ["Enhet 1"]
    other = make_world(session)
    assert parts.coverage(session, other.hr, Filters(unit_id=world.sector.id),
                          now=NOW).units == []
    employee = world.staff[0]
    assert parts.coverage(session, employee, Filters(), now=NOW).units == []


def test_hr_limited_to_a_subtree_sees_that_subtree(session):
    world = make_world(session)
    adviser = make_user(session, org=world.org, roles=[("hr", world.units[1])])
    assert [u.name for u in parts.coverage(session, adviser, Filters(), now=NOW).units] == [
        "Enhet 2"]


def test_drilling_into_a_unit_shows_its_subtree(session):
    world = make_world(session)
    report = parts.coverage(session, world.hr, Filters(unit_id=world.units[0].id), now=NOW)
    assert [u.name for u in report.roots] == ["Enhet 1"]


def test_gaps_list_who_lacks_the_course_how_long_and_the_next_offering_with_seats(session):
    world = make_world(session)
    head, leader1, leader2 = world.leaders
    complete(session, head, world.course, at=ago(10))
    complete(session, leader2, world.course, at=ago(1200), expires=ago(50))
    full = make_offering(session, course=world.course, capacity=1, starts_in=timedelta(days=5),
                         now=NOW, taken=1)
    free = make_offering(session, course=world.course, capacity=20,
                         starts_in=timedelta(days=40), now=NOW, title="Vinter")
    assert full.id != free.id
    report = parts.gaps(session, world.hr, Filters(), now=NOW)
    by_name = {g.name: g for g in report.rows}
    assert set(by_name) == {"Leder 1", "Leder 2"}
    first = by_name["Leder 1"]
    assert first.course == "IT i hverdagen"
    assert first.lack.since == date(2025, 1, 1) and first.lack.due == date(2026, 1, 1)
    assert first.lack.overdue(report.today)
    assert first.next_offering[0] == free.id and first.next_offering[3] == 20
    assert by_name["Leder 2"].lack.since == ago(50).date()


def test_gaps_name_the_coming_offering_a_person_already_signed_up_for(session):
    world = make_world(session)
    _head, leader1, leader2 = world.leaders
    past = make_offering(session, course=world.course, starts_in=timedelta(days=-30), now=NOW)
    coming = make_offering(session, course=world.course, starts_in=timedelta(days=20), now=NOW)
    make_enrolment(session, past, leader1)  # an old offering does not count
    make_enrolment(session, coming, leader2, status="waitlisted")
    by_name = {g.name: g for g in parts.gaps(session, world.hr, Filters(), now=NOW).rows}
    assert by_name["Leder 1"].signed_offering is None and by_name["Leder 1"].signed_status is None
    assert by_name["Leder 2"].signed_status == "waitlisted"
    assert by_name["Leder 2"].signed_offering[0] == coming.id


def test_expiry_lists_latest_completions_by_window(session):
    world = make_world(session)
    head, leader1, leader2 = world.leaders
    complete(session, head, world.course, at=ago(1000), expires=NOW + timedelta(days=20))
    complete(session, leader1, world.course, at=ago(1000), expires=ago(3))
    complete(session, leader2, world.course, at=ago(1200), expires=ago(100))
    complete(session, leader2, world.course, at=ago(90), expires=NOW + timedelta(days=1000),
             number=2)  # renewed: not listed
    items = parts.expiry(session, world.hr, Filters(), now=NOW)
    assert [(i.name, i.window) for i in items] == [("Leder 1", "expired"),
                                                   ("Toppleder Tora", "30")]
    assert parts.expiry_counts(items) == {"expired": 1, "30": 1, "90": 0, "180": 0}


def _project_people(session, world) -> None:
    """IT project people: Prosjektleder Pia (the role; at a gathering a month ago), and
    Ansatt 1.1 and Leder 2, who lead and own a registered project (at no gathering)."""
    pl = make_user(session, unit=world.units[0], name="Prosjektleder Pia",
                   is_project_leader=True)
    make_project(session, unit=world.units[1], leader=world.staff[0], owner=world.leaders[2])
    seminar = make_course(session, world.org, title="Prosjektledersamling",
                          kind=CourseKind.SEMINAR)
    offering = make_offering(session, course=seminar, starts_in=timedelta(days=-30), now=NOW)
    session.add(Attendance(session_id=offering.sessions[0].id, user_id=pl.id, status="present",
                           method="manual"))
    session.flush()


def test_methodology_lists_project_leaders_and_owners_and_their_last_gathering(session):
    world = make_world(session)
    _project_people(session, world)
    rows = {r.name: r for r in parts.methodology(session, world.hr, Filters())}
    assert set(rows) == {"Prosjektleder Pia", "Leder 2", "Ansatt 1.1"}
    assert rows["Prosjektleder Pia"].last_attended is not None
    assert rows["Leder 2"].projects == 1 and rows["Leder 2"].last_attended is None


def test_the_landing_key_figures_are_the_counts_of_the_reports_behind_them(session):
    world = make_world(session)
    head, leader1, leader2 = world.leaders
    second = make_course(session, world.org, title="Personvern for ledere")
    require(session, second, level="mellomleder")
    complete(session, head, world.course, at=ago(1000), expires=NOW + timedelta(days=20))
    complete(session, leader1, world.course, at=ago(1000), expires=ago(3))
    complete(session, leader2, world.course, at=ago(1000), expires=NOW + timedelta(days=60))
    complete(session, leader2, second, at=ago(1000), expires=NOW + timedelta(days=120))
    _project_people(session, world)

    row = tuple(session.execute(queries.summary_statement(world.hr, Filters(), now=NOW)).one())

    gaps = parts.gaps(session, world.hr, Filters(), now=NOW).rows
    expiry = parts.expiry_counts(parts.expiry(session, world.hr, Filters(), now=NOW))
    methodology = parts.methodology(session, world.hr, Filters())
    assert row == (len(gaps), len({g.user_id for g in gaps}), expiry["expired"],
                   expiry["30"], expiry["90"], expiry["180"], len(methodology),
                   sum(1 for m in methodology if m.last_attended is not None))
    # Leder 1 lacks both courses (the first expired); Tora's expires within 30 days,
    # Leder 2's within 90 and 180; Pia, Leder 2 and Ansatt 1.1 are project people.
    assert row == (2, 1, 1, 1, 1, 1, 3, 1)


def test_the_landing_key_figures_of_a_reader_who_sees_nobody_are_zeros(session):
    world = make_world(session)
    stranger = make_user(session, roles=["hr"])  # HR of another organisation
    complete(session, world.leaders[1], world.course, at=ago(1000), expires=ago(3))
    row = session.execute(queries.summary_statement(stranger, Filters(), now=NOW)).one()
    assert tuple(row) == (0,) * 8


def test_trend_counts_completions_per_course_and_month(session):
    world = make_world(session)
    head, leader1, leader2 = world.leaders
    complete(session, head, world.course, at=NOW - timedelta(days=2))
    complete(session, leader1, world.course, at=NOW - timedelta(days=3))
    complete(session, leader2, world.course, at=ago(800))  # older than 24 months
    trend = parts.trend(session, world.hr, Filters(), now=NOW)
    assert len(trend.months) == 24
    [(course_id, title, values)] = trend.series
    assert title == "IT i hverdagen" and values[-1] == 2 and sum(values) == 2


def test_trend_months_are_oslo_months(session):
    world = make_world(session)
    head, leader1, leader2 = world.leaders
    # 23:30 UTC on 31 October is 00:30 on 1 November in Oslo (winter time, UTC+1) …
    complete(session, head, world.course, at=datetime.fromisoformat("2026-10-31T23:30:00+00:00"))
    # … and 22:30 UTC on 30 September is 00:30 on 1 October (summer time, UTC+2).
    complete(session, leader1, world.course,
             at=datetime.fromisoformat("2026-09-30T22:30:00+00:00"))
    complete(session, leader2, world.course,
             at=datetime.fromisoformat("2026-09-30T21:30:00+00:00"))  # 23:30 in September
    trend = parts.trend(session, world.hr, Filters(), now=NOW)
    [(_cid, _title, values)] = trend.series
    by_month = dict(zip(trend.months, values, strict=True))
    assert (by_month["2026-09"], by_month["2026-10"], by_month["2026-11"]) == (1, 1, 1)


def _grow(session, world, extra_units):
    for i in range(extra_units):
        unit = make_unit(session, org=world.org, parent=world.sector, name=f"Ekstra {i}")
        leader = make_user(session, unit=unit, leader_level="forstelinjeleder")
        unit.manager_id = leader.id
        for _ in range(3):
            make_user(session, unit=unit)
        complete(session, leader, world.course, at=ago(20 + i), expires=NOW + timedelta(days=9))
    session.flush()
    session.expire_all()


def _statements(count_queries, session, user):
    # A request loads the person with their roles and led units (app.accounts.login).
    assert user.roles is not None and user.led_units is not None
    counts = []
    for reader in (lambda: parts.coverage(session, user, Filters(), now=NOW),
                   lambda: parts.gaps(session, user, Filters(), now=NOW),
                   lambda: parts.expiry(session, user, Filters(), now=NOW),
                   lambda: parts.methodology(session, user, Filters()),
                   lambda: parts.trend(session, user, Filters(), now=NOW)):
        with count_queries() as q:
            reader()
        counts.append(q.count)
    return counts


def test_each_part_uses_the_same_few_statements_at_two_data_sizes(session, count_queries):
    world = make_world(session, units=2)
    make_offering(session, course=world.course, starts_in=timedelta(days=9), now=NOW)
    hr = world.hr
    session.refresh(hr)
    small = _statements(count_queries, session, hr)
    _grow(session, world, 12)
    session.refresh(hr)
    large = _statements(count_queries, session, hr)
    assert small == large
    coverage, gaps, expiry, methodology, trend = large
    assert coverage <= 3 and gaps <= 2 and expiry == 1 and methodology == 1 and trend == 1

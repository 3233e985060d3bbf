"""``flask demo scale``: a municipality built with bulk inserts that obeys every invariant
the app itself keeps."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.accounts.models import Unit, User
from app.demo import scale
from app.enrolment.models import Enrolment, Offering


@pytest.fixture
def built(session):
    report = scale.build(session, employees=450, seed=7, today=date(2027, 2, 1))
    return report


def test_about_one_in_nine_is_a_leader_in_a_tree_three_levels_deep(session, built):
    assert built.employees == 450
    assert 7 <= built.employees / built.leaders <= 10
    units = session.scalars(sa.select(Unit).where(Unit.code.like("S7-%"))).all()
    assert {u.depth for u in units} == {0, 1, 2}
    by_id = {u.id: u for u in units}
    for unit in units:
        assert unit.path.endswith(f"/{unit.id}/")
        if unit.parent_id:
            assert unit.path == by_id[unit.parent_id].path + f"{unit.id}/"
        assert unit.manager_id is not None
    leaders = session.scalar(sa.select(sa.func.count()).select_from(User)
                             .where(User.email.like("%.s7@%"), User.leader_level != "none"))
    assert leaders == built.leaders


def test_two_years_of_offerings_never_overbooked_and_taken_counts_the_seats(session, built):
    assert built.courses == 50
    assert built.offerings == 50 * 2 * scale.offerings_per_year(450)
    assert built.enrolments > 1000 and built.attendance > 0
    seats = dict(session.execute(
        sa.select(Enrolment.offering_id, sa.func.count())
        .where(Enrolment.status == "enrolled").group_by(Enrolment.offering_id)).all())
    for offering_id, taken, capacity in session.execute(
            sa.select(Offering.id, Offering.taken, Offering.capacity)):
        assert taken == seats.get(offering_id, 0)
        assert taken <= capacity
    starts = [s.date() for s in session.scalars(sa.select(Offering.starts_at))]
    today = date(2027, 2, 1)
    assert date(2026, 2, 1) <= min(starts) < today < max(starts) <= date(2028, 2, 1)


def test_the_same_seed_is_not_built_twice(session, built):
    with pytest.raises(scale.AlreadyBuilt):
        scale.build(session, employees=450, seed=7, today=date(2027, 2, 1))


def test_the_command_reports_what_it_built(runner, session):
    result = runner.invoke(args=["demo", "scale", "--employees", "200", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "200 employees" in result.output
    again = runner.invoke(args=["demo", "scale", "--employees", "200", "--seed", "3"])
    assert again.exit_code != 0 and "already built" in again.output


def test_on_postgresql_the_planner_knows_the_rows_just_loaded(runner, session):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner statistics (set KURS_TEST_POSTGRES_URL)")
    result = runner.invoke(args=["demo", "scale", "--employees", "200", "--seed", "5"])
    assert result.exit_code == 0, result.output
    # Only ANALYZE writes pg_stats; the test's outer transaction takes it back afterwards.
    analysed = session.execute(sa.text(
        "SELECT count(*) FROM pg_stats WHERE tablename = 'enrolment'")).scalar()
    assert analysed > 0

"""The HR import against the database: what it creates, changes and deactivates, that it
writes nothing from an invalid file, and that the same file twice changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.accounts import hr_apply, hr_csv, hr_import
from app.accounts.models import Unit, User
from app.common.models import AuditEvent
from app.orm import utcnow
from tests.accounts.hr_files_data import HEADER, municipality_csv
from tests.factories import make_org, make_unit, make_user

TODAY = date(2026, 11, 28)


def rows(*lines: str) -> bytes:
    return ("\r\n".join([HEADER, *lines]) + "\r\n").encode()


BASE = [
    ";;;;S;Helse;;;;;;",
    "1;Randi Sektor;randi@k.example;Direktør;S-STAB;Stab;S;2019-01-01;S;toppleder;2019-01-01;nei",
    "2;Ingrid Leder;ingrid@k.example;Virksomhetsleder;S-HJ;Hjemmetjenesten;S;;S-HJ;mellomleder;"
    "2021-08-01;nei",
    "3;Aisha Ali;aisha@k.example;Sykepleier;S-HJ-1;Team Nardo;S-HJ;2020-05-04;;;;nei",
    "4;Njål Hætta;njal@k.example;Helsefagarbeider;S-HJ-1;Team Nardo;S-HJ;;;;;ja",
]


def run(session, org, data: bytes, *, actor=None, today=TODAY):
    parsed = hr_csv.parse(data)
    plan = hr_import.plan(session, organisation=org, parsed=parsed, today=today)
    if plan.valid:
        hr_apply.apply(session, organisation=org, plan=plan, actor=actor, now=utcnow(),
                        file_hash="test")
    return plan


def people_of(session, org) -> dict[str, User]:
    session.expire_all()
    return {u.employee_number: u for u in session.scalars(
        sa.select(User).where(User.organisation_id == org.id))}


def units_of(session, org) -> dict[str, Unit]:
    return {u.code: u for u in session.scalars(
        sa.select(Unit).where(Unit.organisation_id == org.id))}


def snapshot(session, org):
    session.expire_all()
    people = session.execute(sa.select(User.__table__).where(User.organisation_id == org.id)
                             .order_by(User.id)).all()
    units = session.execute(sa.select(Unit.__table__).where(Unit.organisation_id == org.id)
                            .order_by(Unit.id)).all()
    return people, units


def test_a_first_import_builds_the_unit_tree_the_people_and_the_leaders(session):
    org = make_org(session)
    plan = run(session, org, rows(*BASE))
    assert plan.counts() == {"created": 4, "changed": 0, "deactivated": 0, "unchanged": 0,
                             "units_created": 4, "units_changed": 0}
    units, people = units_of(session, org), people_of(session, org)
    assert units["S-HJ-1"].path == f"/{units['S'].id}/{units['S-HJ'].id}/{units['S-HJ-1'].id}/"
    assert units["S-HJ-1"].depth == 2
    assert units["S-HJ-1"].parent_id == units["S-HJ"].id
    # Randi works in the staff unit and leads the sector above it.
    assert people["1"].unit_id == units["S-STAB"].id
    assert units["S"].manager_id == people["1"].id
    assert units["S-HJ"].manager_id == people["2"].id
    assert units["S-HJ-1"].manager_id is None
    assert people["2"].leader_level == "mellomleder"
    assert people["2"].leader_since == date(2021, 8, 1)
    # No date in the file: in the unit from the day of the import.
    assert people["2"].unit_since == TODAY
    assert people["4"].is_project_leader is True
    assert people["4"].name == "Njål Hætta"


def test_the_same_file_twice_changes_nothing(session):
    org = make_org(session)
    run(session, org, rows(*BASE))
    before = snapshot(session, org)
    plan = run(session, org, rows(*BASE), today=date(2027, 3, 1))
    assert not plan.has_changes
    assert plan.counts()["unchanged"] == 4
    assert snapshot(session, org) == before


def test_changes_are_listed_field_by_field_and_applied(session):
    org = make_org(session)
    run(session, org, rows(*BASE))
    moved = BASE[:3] + [
        "3;Aisha Ali;aisha.ali@k.example;Fagsykepleier;S-HJ-2;Team Moholt;S-HJ;2026-11-01;;;;nei",
        BASE[4],
    ]
    plan = run(session, org, rows(*moved))
    [change] = plan.changed
    assert change.employee_number == "3"
    assert change.fields == {
        "email": ("aisha@k.example", "aisha.ali@k.example"),
        "title": ("Sykepleier", "Fagsykepleier"),
        "unit_code": ("S-HJ-1", "S-HJ-2"),
        "unit_since": (date(2020, 5, 4), date(2026, 11, 1)),
    }
    assert [u.code for u in plan.units_created] == ["S-HJ-2"]
    aisha = people_of(session, org)["3"]
    assert aisha.email == "aisha.ali@k.example"
    assert aisha.unit.code == "S-HJ-2"


def test_leavers_are_deactivated_and_logged_out_never_deleted(session):
    org = make_org(session)
    run(session, org, rows(*BASE))
    njal = people_of(session, org)["4"]
    version = njal.session_version
    plan = run(session, org, rows(*BASE[:4]))
    assert [p.employee_number for p in plan.deactivated] == ["4"]
    njal = people_of(session, org)["4"]
    assert njal.active is False
    assert njal.deactivated_at is not None
    assert njal.session_version == version + 1
    assert session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "accounts.deactivated", AuditEvent.object_id == str(njal.id)))
    # Back in the next file: active again, with the same account.
    plan = run(session, org, rows(*BASE))
    assert plan.changed[0].fields["active"] == (False, True)
    assert people_of(session, org)["4"].active is True


def test_a_leaving_leader_no_longer_leads_a_unit_outside_the_file(session):
    org = make_org(session)
    run(session, org, rows(*BASE))
    plan = run(session, org, rows(BASE[0], BASE[1], BASE[3], BASE[4]))
    assert {p.employee_number for p in plan.deactivated} == {"2"}
    assert units_of(session, org)["S-HJ"].manager_id is None


def test_accounts_without_an_employee_number_are_left_alone(session):
    org = make_org(session)
    admin = make_user(session, org=org, employee_number=None, roles=["admin"])
    partner = make_user(session, org=org, employee_number=None)
    run(session, org, rows(*BASE))
    session.expire_all()
    assert admin.active and partner.active


def test_a_local_account_with_the_same_address_is_adopted_not_duplicated(session):
    org = make_org(session)
    local = make_user(session, org=org, email="aisha@k.example", employee_number=None)
    plan = run(session, org, rows(*BASE))
    assert plan.counts()["created"] == 3
    assert plan.changed[0].fields["employee_number"] == (None, "3")
    assert people_of(session, org)["3"].id == local.id


def test_two_people_may_swap_addresses(session):
    org = make_org(session)
    run(session, org, rows(*BASE))
    swapped = [BASE[0], BASE[1], BASE[2],
               BASE[3].replace("aisha@", "njal@"), BASE[4].replace("njal@", "aisha@")]
    plan = run(session, org, rows(*swapped))
    assert plan.valid
    people = people_of(session, org)
    assert (people["3"].email, people["4"].email) == ("njal@k.example", "aisha@k.example")


def test_nothing_is_written_unless_the_whole_file_is_valid(session):
    org = make_org(session)
    run(session, org, rows(*BASE))
    before = snapshot(session, org)
    other = make_org(session)
    make_user(session, org=other, email="taken@k.example")
    bad = [*BASE, "5;Ny Person;taken@k.example;;S-HJ-1;Team Nardo;S-HJ;;;;;nei",
           "6;Per;per@k.example;;X-1;Ukjent;X;;;;;nei"]
    plan = run(session, org, rows(*bad))
    assert [(e.line, e.column) for e in plan.errors] == [(7, "epost"),
                                                          (8, "overordnet_enhetskode")]
    assert "en annen organisasjon" in str(plan.errors[0].message)
    assert snapshot(session, org) == before


def test_a_unit_moved_to_another_parent_takes_its_subtree_along(session):
    org = make_org(session)
    run(session, org, rows(*BASE))
    moved = [";;;;T;Teknisk;;;;;;", BASE[1],
             BASE[2].replace(";S-HJ;Hjemmetjenesten;S;", ";S-HJ;Hjemmetjenesten;T;"),
             BASE[3], BASE[4]]
    plan = run(session, org, rows(*moved))
    assert plan.valid
    units = units_of(session, org)
    assert units["S-HJ-1"].path == f"/{units['T'].id}/{units['S-HJ'].id}/{units['S-HJ-1'].id}/"
    # S is still the parent of the staff unit, so it stays.
    assert units["S"].active is True


def test_units_nobody_in_the_file_needs_are_marked_inactive(session):
    org = make_org(session)
    old = make_unit(session, org=org, code="GAMMEL")
    run(session, org, rows(*BASE))
    session.refresh(old)
    assert old.active is False


def test_a_cycle_in_the_unit_tree_is_an_error(session):
    org = make_org(session)
    plan = run(session, org, rows(";;;;A;A;B;;;;;", ";;;;B;B;A;;;;;",
                                  "1;X;x@k.example;;A;A;B;;;;;nei"))
    assert ("overordnet_enhetskode" in {e.column for e in plan.errors})
    assert session.scalar(sa.select(sa.func.count()).select_from(Unit)
                          .where(Unit.organisation_id == org.id)) == 0


def test_the_plan_fingerprint_changes_when_the_database_does(session):
    org = make_org(session)
    data = rows(*BASE)
    first = hr_import.plan(session, organisation=org, parsed=hr_csv.parse(data), today=TODAY)
    again = hr_import.plan(session, organisation=org, parsed=hr_csv.parse(data), today=TODAY)
    assert first.fingerprint == again.fingerprint
    make_user(session, org=org, employee_number="99")
    later = hr_import.plan(session, organisation=org, parsed=hr_csv.parse(data), today=TODAY)
    assert later.fingerprint != first.fingerprint


def test_the_import_uses_the_same_number_of_statements_for_200_and_2000_people(
        session, count_queries):
    counts = []
    for size in (200, 2000):
        org = make_org(session)
        data = municipality_csv(size, domain=f"k{size}.example")
        run(session, org, data)  # the first import creates everyone
        changed = municipality_csv(size, domain=f"k{size}.example",
                                   rename={"000005": "Nytt Navn"})
        with count_queries() as q:
            plan = run(session, org, changed)
        assert plan.counts()["changed"] == 1
        counts.append(q.count)
    assert counts[0] == counts[1]
    assert counts[0] <= 15


@pytest.mark.slow
def test_fourteen_thousand_employees_import_in_seconds(session):
    import time

    org = make_org(session)
    started = time.perf_counter()
    plan = run(session, org, municipality_csv(14000))
    elapsed = time.perf_counter() - started
    assert plan.counts()["created"] == 14000
    assert elapsed < 30, f"14,000 rows took {elapsed:.1f} s"

"""``flask users import FILE.csv [--dry-run]``."""

from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import User
from tests.accounts.test_hr_import import BASE, rows
from tests.factories import make_org


def write(tmp_path, data: bytes):
    path = tmp_path / "hr.csv"
    path.write_bytes(data)
    return str(path)


def count_people(session, org) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(User)
                          .where(User.organisation_id == org.id))


def test_a_dry_run_prints_the_counts_and_writes_nothing(runner, session, tmp_path):
    org = make_org(session, slug="kommunen")
    result = runner.invoke(args=["users", "import", write(tmp_path, rows(*BASE)),
                                 "--organisation", "kommunen", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "4 created" in result.output and "nothing written" in result.output
    assert count_people(session, org) == 0


def test_an_import_writes_and_a_second_run_finds_nothing_to_change(runner, session, tmp_path):
    org = make_org(session, slug="kommunen")
    path = write(tmp_path, rows(*BASE))
    first = runner.invoke(args=["users", "import", path, "--organisation", "kommunen"])
    assert first.exit_code == 0, first.output
    assert "imported into kommunen: 4 created" in first.output
    assert count_people(session, org) == 4
    second = runner.invoke(args=["users", "import", path, "--organisation", "kommunen"])
    assert "0 created, 0 changed, 0 deactivated, 4 unchanged" in second.output


def test_errors_name_line_and_column_and_the_exit_code_is_not_zero(runner, session, tmp_path):
    org = make_org(session, slug="kommunen")
    bad = rows(*BASE, "5;Per;per@k.example;;S-HJ-1;Team Nardo;S-HJ;31.02.2024;;;;nei")
    result = runner.invoke(args=["users", "import", write(tmp_path, bad),
                                 "--organisation", "kommunen"])
    assert result.exit_code == 1
    assert "line 7, column enhet_fra: «31.02.2024» er ikke en dato" in result.output
    assert "nothing was imported" in result.output
    assert count_people(session, org) == 0


def test_without_organisation_the_only_municipality_is_chosen(runner, session, tmp_path):
    org = make_org(session, slug="eneste")
    make_org(session, kind="county")
    result = runner.invoke(args=["users", "import", write(tmp_path, rows(*BASE))])
    assert result.exit_code == 0, result.output
    assert count_people(session, org) == 4

"""Two admins confirm the same HR preview at the same moment: the file is imported exactly
once, and the second admin is shown the (now empty) new plan instead of an error."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

import app.models  # noqa: F401  (every table, for create_all)
from app.accounts import hr_csv
from app.accounts.hr_apply import apply_previewed
from app.accounts.hr_import import plan
from app.accounts.models import Organisation, User
from app.extensions import db
from app.orm import utcnow
from tests.accounts.test_hr_import import BASE, rows
from tests.conftest import POSTGRES_URL, throwaway_postgres_database

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL, reason="races run on PostgreSQL; set KURS_TEST_POSTGRES_URL")


@pytest.mark.parametrize("run", range(3))
def test_two_admins_confirming_the_same_preview_at_once_import_it_exactly_once(run):
    with throwaway_postgres_database(POSTGRES_URL, "hrrace") as url:
        engine = sa.create_engine(url)
        try:
            db.metadata.create_all(engine)
            with Session(engine) as session:
                org = Organisation(slug="kommunen", name="Kommunen", kind="municipality")
                session.add(org)
                session.commit()
                org_id = org.id
            parsed = hr_csv.parse(rows(*BASE))
            with Session(engine) as session:
                fingerprint = plan(session, organisation=session.get(Organisation, org_id),
                                   parsed=parsed, today=date(2026, 11, 28)).fingerprint
            barrier = threading.Barrier(2)
            outcomes: list = []

            def confirm():
                with Session(engine) as session:
                    organisation = session.get(Organisation, org_id)
                    barrier.wait()
                    try:
                        _plan, counts = apply_previewed(
                            session, organisation=organisation, parsed=parsed,
                            fingerprint=fingerprint, actor=None, now=utcnow(),
                            today=date(2026, 11, 28), file_hash="race")
                        session.commit()
                        outcomes.append(counts)
                    except Exception as error:  # any failure is what this test looks for
                        outcomes.append(error)

            threads = [threading.Thread(target=confirm) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)

            applied = [o for o in outcomes if isinstance(o, dict)]
            assert len(outcomes) == 2
            assert [o["created"] for o in applied] == [4], outcomes
            assert None in outcomes, outcomes
            with Session(engine) as session:
                assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 4
        finally:
            engine.dispose()

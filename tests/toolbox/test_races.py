"""Uploads of a new version at the same moment: each gets its own number or a clear
conflict, never a 500 and never two versions with one number (PostgreSQL, committed data,
threads released together)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app import create_app
from app.accounts.models import User
from app.errors import ConflictError
from app.extensions import db
from app.orm import utcnow
from app.toolbox import services
from app.toolbox.models import ToolboxFile, ToolboxItem
from tests.conftest import POSTGRES_URL, make_config, throwaway_postgres_database
from tests.factories import make_org, make_user
from tests.toolbox.builders import checked, make_item

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not POSTGRES_URL, reason="races run on PostgreSQL; set "
                       "KURS_TEST_POSTGRES_URL (make test-postgres does)"),
]

THREADS = 4
ROUNDS = 10


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    with throwaway_postgres_database(POSTGRES_URL, "toolbox_race") as url:
        app = create_app(make_config(url, str(tmp_path_factory.mktemp("storage"))))
        with app.app_context():
            db.create_all()
            yield db.engine, app.config["KURS_STORAGE_DIR"]
            db.engine.dispose()


def test_simultaneous_new_versions_get_distinct_numbers_or_a_conflict(engine):
    engine, storage_root = engine
    with Session(engine) as setup:
        org = make_org(setup)
        owner = make_user(setup, org=org, roles=["organiser"])
        item = make_item(setup, org, storage_root, owner=owner)
        setup.commit()
        item_id, owner_id = item.id, owner.id

    outcomes: list[str] = []
    lock = threading.Lock()

    def upload(n: int, barrier: threading.Barrier) -> None:
        with Session(engine) as session:
            actor = session.get(User, owner_id)
            target = session.get(ToolboxItem, item_id)
            barrier.wait()
            try:
                services.add_version(session, actor=actor, item=target,
                                     checked=checked(f"# Versjon fra tråd {n}\n".encode()),
                                     change_note=f"Tråd {n}", storage_root=storage_root,
                                     now=utcnow())
                session.commit()
                result = "saved"
            except ConflictError:
                session.rollback()
                result = "conflict"
            with lock:
                outcomes.append(result)

    for _ in range(ROUNDS):
        barrier = threading.Barrier(THREADS)
        threads = [threading.Thread(target=upload, args=(n, barrier)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)

    assert len(outcomes) == THREADS * ROUNDS
    assert set(outcomes) <= {"saved", "conflict"}
    with Session(engine) as check:
        numbers = list(check.scalars(sa.select(ToolboxFile.number)
                                     .where(ToolboxFile.item_id == item_id)
                                     .order_by(ToolboxFile.number)))
    assert numbers == list(range(1, outcomes.count("saved") + 2))

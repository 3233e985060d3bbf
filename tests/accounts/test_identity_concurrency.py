"""Kept people under concurrency, through real HTTP to a threaded server: one person's
requests in many threads at once, while their unit is renamed and then they are
deactivated. No request fails, none shows a name the unit no longer has once the rename
is committed, and after the deactivation none is served."""

from __future__ import annotations

import threading

import pytest
import requests
import sqlalchemy as sa

from app.extensions import db
from tests.conftest import csrf_token_from
from tests.factories import make_org, make_unit, make_user
from tests.live import served_app

PASSWORD = "et langt og godt passord"
THREADS = 6
ROUNDS = 12


@pytest.fixture
def live(tmp_path):
    with served_app(tmp_path, "kept") as served:
        yield served


def _logged_in(base: str, email: str) -> requests.Session:
    http = requests.Session()
    token = csrf_token_from(http.get(base + "/login", timeout=30).text)
    answer = http.post(base + "/login", data={"csrf_token": token, "email": email,
                                               "password": PASSWORD, "next": ""},
                       allow_redirects=False, timeout=30)
    assert answer.status_code == 302
    return http


def _in_threads(http_sessions, base: str) -> list[tuple[int, str]]:
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(http_sessions))

    def run(http):
        barrier.wait()
        for _ in range(ROUNDS):
            response = http.get(base + "/profil", allow_redirects=False, timeout=30)
            with lock:
                answers.append((response.status_code, response.text))

    threads = [threading.Thread(target=run, args=(http,)) for http in http_sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def _commit(app, statement: str, **params) -> None:
    with app.app_context():
        db.session.execute(sa.text(statement), params)
        db.session.commit()


def test_one_persons_requests_at_once_see_every_committed_change(live):
    app, base = live
    with app.app_context():
        org = make_org(db.session)
        unit = make_unit(db.session, org=org, name="Første navn")
        user = make_user(db.session, org=org, unit=unit, password=PASSWORD)
        db.session.commit()
        user_id, unit_id, email = user.id, unit.id, user.email
    browsers = [_logged_in(base, email) for _ in range(THREADS)]

    answers = _in_threads(browsers, base)
    assert {status for status, _ in answers} == {200}
    assert all("Første navn" in text for _, text in answers)
    assert user_id in app.extensions["kurs_identities"]  # kept, and taken back meanwhile

    _commit(app, "UPDATE unit SET name = 'Andre navn' WHERE id = :id", id=unit_id)
    answers = _in_threads(browsers, base)
    assert {status for status, _ in answers} == {200}
    assert all("Andre navn" in text and "Første navn" not in text for _, text in answers)

    _commit(app, "UPDATE user_account SET active = false WHERE id = :id", id=user_id)
    answers = _in_threads(browsers, base)
    assert {status for status, _ in answers} == {302}

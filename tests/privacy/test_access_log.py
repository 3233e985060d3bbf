"""The access log records who viewed whom, and a person can list who viewed them."""

from __future__ import annotations

from datetime import timedelta

from app.orm import utcnow
from app.privacy.access import log_access, views_of_person
from tests.factories import make_user


def test_a_view_is_logged_with_its_filter_and_the_people_it_showed(session):
    hr = make_user(session, roles=["hr"])
    kari, ola = make_user(session), make_user(session)
    now = utcnow()
    log_access(session, actor=hr, kind="reports.gaps", now=now, filters={"unit": 7},
               row_count=2, subject_ids=[kari.id, ola.id, kari.id])
    log_access(session, actor=hr, kind="reports.coverage", now=now + timedelta(minutes=1),
               row_count=40)
    views = views_of_person(session, kari.id)
    assert [(v.kind, v.actor_id, v.filters, v.row_count) for v in views] == [
        ("reports.gaps", hr.id, {"unit": 7}, 2)
    ]
    assert views_of_person(session, make_user(session).id) == []

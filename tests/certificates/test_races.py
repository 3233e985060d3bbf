"""Two events at the same moment record one completion and one certificate (PostgreSQL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.catalogue.models import Course
from app.certificates.models import Certificate, Completion
from app.certificates.services import check_completion
from app.certificates.settings import from_config
from app.extensions import db
from app.orm import utcnow
from tests.certificates.builders import enrol, make_course, make_offering, mark
from tests.factories import make_user
from tests.races import committed_app, needs_postgres, run_together

pytestmark = needs_postgres


def _setup(app, people: int):
    with app.app_context(), Session(db.engine) as session:
        course = make_course(session, completion_requires_attendance=True)
        offering = make_offering(session, course, sessions=1)
        ids = []
        for _ in range(people):
            user = make_user(session, org=course.organisation)
            enrol(session, offering, user)
            mark(session, offering.sessions[0], user)
            ids.append(user.id)
        session.commit()
        return course.id, ids


def _race(app, course_id, user_id, threads=4):
    settings = from_config(app.config)

    def work(session):
        user, course = session.get(User, user_id), session.get(Course, course_id)
        return check_completion(session, user=user, course=course, now=utcnow(),
                                source="attendance", settings=settings).id

    return run_together(app, threads, work)


def _counts(app, user_id):
    with app.app_context(), Session(db.engine) as session:
        completions = session.scalar(sa.select(sa.func.count()).select_from(Completion)
                                     .where(Completion.user_id == user_id))
        certificates = session.scalar(
            sa.select(sa.func.count()).select_from(Certificate).join(Completion)
            .where(Completion.user_id == user_id))
    return completions, certificates


def test_simultaneous_events_record_one_completion_and_one_certificate(tmp_path):
    with committed_app(tmp_path, "race_completion") as app:
        course_id, (user_id,) = _setup(app, 1)
        results = _race(app, course_id, user_id)
        assert all(isinstance(r, int) for r in results), results
        assert len(set(results)) == 1  # every event got the same completion back
        assert _counts(app, user_id) == (1, 1)


@pytest.mark.slow
def test_twenty_rounds_of_simultaneous_events_never_duplicate(tmp_path):
    with committed_app(tmp_path, "race_completion_20") as app:
        course_id, user_ids = _setup(app, 20)
        for user_id in user_ids:
            results = _race(app, course_id, user_id, threads=6)
            assert not [r for r in results if isinstance(r, Exception)], results
            assert _counts(app, user_id) == (1, 1)

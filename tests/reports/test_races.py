"""A reminder clicked twice at the same moment queues one reminder (PostgreSQL)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.extensions import db
from app.orm import utcnow
from app.outbox.models import OutboxEmail
from app.reports.services import remind_gap
from tests.races import committed_app, needs_postgres, run_together
from tests.reports.builders import make_world

pytestmark = needs_postgres


def test_simultaneous_reminders_for_one_gap_queue_one_pair_of_emails(tmp_path):
    with committed_app(tmp_path, "race_reminder") as app:
        with app.app_context(), Session(db.engine) as session:
            world = make_world(session)
            hr_id, person_id, course_id = world.hr.id, world.leaders[1].id, world.course.id
            session.commit()

        def work(session):
            actor = session.get(User, hr_id)
            return remind_gap(session, actor=actor, user_id=person_id, course_id=course_id,
                              now=utcnow()).queued

        results = run_together(app, 6, work)
        assert not [r for r in results if isinstance(r, Exception)], results
        assert results.count(True) == 1
        with app.app_context(), Session(db.engine) as session:
            sent = session.scalars(sa.select(OutboxEmail.recipient)).all()
        assert len(sent) == 2  # the person and their leader, once

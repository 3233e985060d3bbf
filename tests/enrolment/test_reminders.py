"""``flask outbox remind``: one reminder per seat before the start, again after a move."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.enrolment.models import Enrolment
from app.enrolment.reminders import queue_reminders
from app.orm import utcnow
from app.outbox.models import OutboxEmail
from tests.enrolment.builders import make_enrolment, make_offering
from tests.factories import make_org, make_unit, make_user


def reminders(session, user):
    return session.scalars(sa.select(OutboxEmail).where(
        OutboxEmail.user_id == user.id, OutboxEmail.subject.like("Påminnelse%"))).all()


@pytest.mark.usefixtures("ctx")
def test_people_with_a_seat_are_reminded_once_before_the_start(session):
    now = utcnow()
    unit = make_unit(session, org=make_org(session))
    soon = make_offering(session, org=unit.organisation, starts_in=timedelta(days=1))
    later = make_offering(session, org=unit.organisation, starts_in=timedelta(days=10))
    seated, waiting, far = (make_user(session, unit=unit) for _ in range(3))
    make_enrolment(session, soon, seated)
    make_enrolment(session, soon, waiting, status="waitlisted")
    make_enrolment(session, later, far)
    assert queue_reminders(session, now=now, within=timedelta(days=2)) == 1
    assert queue_reminders(session, now=now, within=timedelta(days=2)) == 0
    (message,) = reminders(session, seated)
    assert soon.course.title in message.subject
    assert reminders(session, waiting) == [] and reminders(session, far) == []


def test_the_remind_command_reports_what_it_queued(runner, session):
    unit = make_unit(session, org=make_org(session))
    offering = make_offering(session, org=unit.organisation, starts_in=timedelta(hours=20))
    enrolment = make_enrolment(session, offering, make_user(session, unit=unit))
    session.commit()
    result = runner.invoke(args=["outbox", "remind", "--days", "1"])
    assert result.exit_code == 0, result.output
    assert "queued 1 session reminder(s)" in result.output
    assert session.scalar(sa.select(Enrolment.reminded_at)
                          .where(Enrolment.id == enrolment.id)) is not None

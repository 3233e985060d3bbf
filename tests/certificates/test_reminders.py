"""Recertification: reminders at 90 and 30 days, and "due again" on the home page."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.certificates.models import Completion, CompletionSource
from app.orm import utcnow
from app.outbox.models import OutboxEmail
from tests.certificates.builders import make_course
from tests.factories import make_user


def completion_expiring_in(session, days: int, *, user=None, course=None, number=1,
                           completed_days_ago=365):
    course = course or make_course(session, title="IT i hverdagen", validity_months=36)
    user = user or make_user(session, name="Ola Fornyer")
    completion = Completion(user_id=user.id, course_id=course.id, number=number,
                            completed_at=utcnow() - timedelta(days=completed_days_ago),
                            expires_at=utcnow() + timedelta(days=days),
                            source=CompletionSource.EXTERNAL, evidence="papir")
    session.add(completion)
    session.flush()
    return completion


def reminders_for(session, user):
    return session.scalars(sa.select(OutboxEmail).where(OutboxEmail.user_id == user.id)
                           .order_by(OutboxEmail.id)).all()


@pytest.mark.parametrize(("days", "expected"), [(120, []), (80, ["reminder-90"]),
                                                (20, ["reminder-30"])])
def test_people_are_reminded_once_per_window(runner, session, days, expected):
    completion = completion_expiring_in(session, days)
    for _ in range(2):  # cron runs it daily: the second run sends nothing new
        assert runner.invoke(args=["certificates", "remind"]).exit_code == 0
    mails = reminders_for(session, completion.user)
    assert [m.reason.rsplit(":", 1)[1] for m in mails] == expected
    if mails:
        assert "IT i hverdagen" in mails[0].subject and "fornyes" in mails[0].subject


def test_the_reminder_is_in_the_persons_language(runner, session):
    user = make_user(session, locale="en")
    completion_expiring_in(session, 25, user=user)
    runner.invoke(args=["certificates", "remind"])
    assert "must be renewed" in reminders_for(session, user)[0].subject


def test_someone_who_has_renewed_is_not_reminded(runner, session):
    old = completion_expiring_in(session, 25)
    completion_expiring_in(session, 1000, user=old.user, course=old.course, number=2,
                           completed_days_ago=5)
    runner.invoke(args=["certificates", "remind"])
    assert reminders_for(session, old.user) == []


def test_the_home_page_shows_the_course_as_due_again(client, session, login_as):
    completion = completion_expiring_in(session, 40)
    login_as(completion.user)
    html = client.get("/").get_data(as_text=True)
    assert "Må fornyes" in html and "IT i hverdagen" in html


def test_an_older_completion_registered_later_does_not_hide_the_newer_one(runner, session,
                                                                         client, login_as):
    recent = completion_expiring_in(session, 1000, completed_days_ago=5)
    completion_expiring_in(session, 25, user=recent.user, course=recent.course, number=2,
                           completed_days_ago=1070)
    runner.invoke(args=["certificates", "remind"])
    assert reminders_for(session, recent.user) == []
    login_as(recent.user)
    assert "Må fornyes" not in client.get("/").get_data(as_text=True)

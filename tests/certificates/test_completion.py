"""Completion: recorded exactly once when a course's rule is met, with its expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.certificates.models import Certificate, Completion
from app.certificates.services import add_months, check_completion
from app.orm import utcnow
from app.outbox.models import OutboxEmail
from tests.certificates.builders import enrol, make_course, make_offering, mark
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("in_app")


def attend_all(session, offering, user):
    enrol(session, offering, user)
    for s in offering.sessions:
        mark(session, s, user, "present")


def test_attending_every_mandatory_session_completes_the_course_and_issues_a_certificate(
        session, issue_settings):
    course = make_course(session, completion_requires_attendance=True, validity_months=24)
    offering = make_offering(session, course, sessions=2)
    user = make_user(session, name="Kari Nordmann")
    attend_all(session, offering, user)
    now = utcnow()
    completion = check_completion(session, user=user, course=course, now=now,
                                  source="attendance", settings=issue_settings)
    assert completion is not None and completion.offering_id == offering.id
    assert completion.expires_at == add_months(now, 24)
    cert = session.scalar(sa.select(Certificate).where(Certificate.completion_id
                                                       == completion.id))
    assert cert.person_name == "Kari Nordmann" and cert.hours == 6
    assert (issue_settings.storage_dir / cert.pdf_path).is_file()
    mail = session.scalar(sa.select(OutboxEmail).where(OutboxEmail.user_id == user.id))
    assert "Kursbevis" in mail.subject and f"/verify/{cert.code}" in mail.body_text


def test_a_second_event_with_the_same_facts_records_nothing_new(session, issue_settings):
    course = make_course(session, completion_requires_attendance=True)
    offering = make_offering(session, course, sessions=1)
    user = make_user(session)
    attend_all(session, offering, user)
    first = check_completion(session, user=user, course=course, now=utcnow(),
                             source="attendance", settings=issue_settings)
    again = check_completion(session, user=user, course=course, now=utcnow(), source="quiz",
                             settings=issue_settings)
    assert again.id == first.id
    assert session.scalar(sa.select(sa.func.count()).select_from(Certificate)
                          .join(Completion).where(Completion.user_id == user.id)) == 1


def test_nothing_is_recorded_while_a_mandatory_session_is_missing(session, issue_settings):
    course = make_course(session, completion_requires_attendance=True)
    offering = make_offering(session, course, sessions=2)
    user = make_user(session)
    enrol(session, offering, user)
    mark(session, offering.sessions[0], user, "present")
    mark(session, offering.sessions[1], user, "excused")
    assert check_completion(session, user=user, course=course, now=utcnow(),
                            source="attendance", settings=issue_settings) is None


def test_months_are_added_to_the_last_day_of_a_shorter_month():
    start = utcnow().replace(year=2027, month=1, day=31)
    assert add_months(start, 1).day == 28
    assert add_months(start, 13).month == 2 and add_months(start, 13).year == 2028


def test_a_completion_can_be_renewed_only_inside_its_renewal_window(session, issue_settings):
    course = make_course(session, completion_requires_attendance=True, validity_months=12)
    first_run = make_offering(session, course, sessions=1,
                              start=utcnow() - timedelta(days=400))
    user = make_user(session)
    attend_all(session, first_run, user)
    then = utcnow() - timedelta(days=390)
    first = check_completion(session, user=user, course=course, now=then, source="attendance",
                             settings=issue_settings)
    assert first.number == 1
    # The old facts do not renew it once it has run out …
    assert check_completion(session, user=user, course=course, now=utcnow(),
                            source="attendance", settings=issue_settings) is None
    # … new attendance does.
    second_run = make_offering(session, course, sessions=1,
                               start=utcnow() - timedelta(days=2))
    attend_all(session, second_run, user)
    renewed = check_completion(session, user=user, course=course, now=utcnow(),
                               source="attendance", settings=issue_settings)
    assert renewed.number == 2 and renewed.offering_id == second_run.id


def test_a_bulk_attendance_write_checks_everyone_it_touched(session, issue_settings):
    from app.certificates.services import check_completions

    course = make_course(session, completion_requires_attendance=True)
    offering = make_offering(session, course, sessions=1)
    present, absent = make_user(session), make_user(session)
    enrol(session, offering, present)
    enrol(session, offering, absent)
    mark(session, offering.sessions[0], present, "present")
    mark(session, offering.sessions[0], absent, "absent")
    result = check_completions(session, course=course, user_ids=[present.id, absent.id],
                               now=utcnow(), source="attendance", settings=issue_settings)
    assert result[present.id] is not None and result[absent.id] is None

"""Attendance completes a course through the job runner: the save at the door queues one
check, ``flask jobs run`` records the completions and issues the certificates, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.certificates.jobs import KIND
from app.certificates.models import Certificate, Completion, CompletionSource
from app.jobs.models import Job, JobStatus
from app.jobs.services import claim_next, run_job
from app.orm import utcnow
from app.seminars import services as seminars
from tests.seminars.builders import enrol_many, make_seminar, organiser_of

pytestmark = pytest.mark.usefixtures("in_app")


def run_queued_jobs(session, storage):
    while (job := claim_next(session, now=utcnow(), lease=timedelta(minutes=5))) is not None:
        run_job(session, job, storage=storage, now=utcnow)
    session.flush()


def completions(session, course_id):
    return session.execute(
        sa.select(Completion.user_id, Completion.source, Certificate.id)
        .outerjoin(Certificate, Certificate.completion_id == Completion.id)
        .where(Completion.course_id == course_id)
    ).all()


def test_a_bulk_save_queues_one_check_and_the_runner_completes_everyone_present(
        session, issue_settings):
    offering = make_seminar(session)
    [course_session] = offering.sessions
    organiser = organiser_of(session, offering)
    present, absent = enrol_many(session, offering, 3), enrol_many(session, offering, 1)
    seminars.bulk_set(session, actor=organiser, course_session=course_session,
                      items=[(p.id, "present") for p in present] + [(absent[0].id, "absent")],
                      now=utcnow())
    [job] = session.scalars(sa.select(Job).where(Job.kind == KIND)).all()
    assert job.params["course_id"] == offering.course_id
    assert completions(session, offering.course_id) == []  # nothing at the door

    run_queued_jobs(session, issue_settings.storage_dir)

    done = completions(session, offering.course_id)
    assert sorted(user_id for user_id, _, _ in done) == sorted(p.id for p in present)
    assert all(source == CompletionSource.ATTENDANCE and cert for _, source, cert in done)
    assert session.get(Job, job.id).status == JobStatus.DONE


def test_marking_the_same_people_again_records_no_second_completion(session, issue_settings):
    offering = make_seminar(session)
    [course_session] = offering.sessions
    organiser = organiser_of(session, offering)
    [person] = enrol_many(session, offering, 1)
    for status in ("present", "late", "present"):
        seminars.bulk_set(session, actor=organiser, course_session=course_session,
                          items=[(person.id, status)], now=utcnow())
        run_queued_jobs(session, issue_settings.storage_dir)
    assert len(completions(session, offering.course_id)) == 1


def test_a_seminar_without_an_attendance_rule_completes_nobody(session, issue_settings):
    offering = make_seminar(session, requires_attendance=False)
    [course_session] = offering.sessions
    organiser = organiser_of(session, offering)
    [person] = enrol_many(session, offering, 1)
    seminars.bulk_set(session, actor=organiser, course_session=course_session,
                      items=[(person.id, "present")], now=utcnow())
    run_queued_jobs(session, issue_settings.storage_dir)
    assert completions(session, offering.course_id) == []

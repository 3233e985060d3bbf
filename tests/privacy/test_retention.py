"""Retention: `flask privacy purge` deletes or anonymises what is past its period, and a
second run finds nothing to do. The access log is append-only for the application."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import LoginAttempt, User
from app.common.models import AuditEvent
from app.jobs.models import Job
from app.orm import utcnow
from app.outbox.models import OutboxEmail
from app.outbox.services import queue_email
from app.privacy.access import log_access
from app.privacy.guard import AppendOnlyError
from app.privacy.models import AccessLog, AccessLogSubject
from app.privacy.retention import Periods, purge
from app.quizzes.models import Answer, Attempt
from tests.factories import make_user
from tests.privacy.builders import build_world

PERIODS = Periods(login_attempts_days=90, outbox_days=180, access_log_days=730,
                  audit_days=1825, quiz_answers_days=365, job_results_days=30,
                  leaver_years=2)


def count(session, model, *where) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_purge_removes_what_is_past_its_period_and_keeps_the_rest(app, session, tmp_path):
    now = utcnow()
    old, recent = now - timedelta(days=800), now - timedelta(days=10)
    hr, kari = make_user(session, roles=["hr"]), make_user(session)
    session.add_all([LoginAttempt(email=kari.email, address="1.2.3.4", at=old),
                     LoginAttempt(email=kari.email, address="1.2.3.4", at=recent)])
    for at in (old, recent):
        mail = queue_email(session, recipient=kari.email, subject="s", body_text="b",
                           now=at, domain="x", user_id=kari.id)
        mail.status, mail.sent_at = "sent", at
    waiting = queue_email(session, recipient=kari.email, subject="w", body_text="w", now=old,
                          domain="x")
    log_access(session, actor=hr, kind="reports.gaps", now=old - timedelta(days=10),
               subject_ids=[kari.id])
    log_access(session, actor=hr, kind="reports.gaps", now=recent, subject_ids=[kari.id])
    session.add(AuditEvent(action="x.y", at=now - timedelta(days=2000)))
    result = tmp_path / "jobs" / "old.csv"
    result.parent.mkdir()
    result.write_text("Kari;Nordmann")
    session.add_all([
        Job(kind="k", status="done", finished_at=old, result_path="jobs/old.csv"),
        Job(kind="k", status="done", finished_at=recent),
        Job(kind="k", status="queued", created_at=old),
    ])
    session.flush()

    done = purge(session, now=now, periods=PERIODS, storage_dir=tmp_path)

    assert done["login_attempts"] == 1 and count(session, LoginAttempt) == 1
    assert done["outbox"] == 1
    assert count(session, OutboxEmail, OutboxEmail.user_id == kari.id) == 1
    assert session.get(OutboxEmail, waiting.id) is not None  # pending mail is never lost
    assert done["access_log"] == 1 and count(session, AccessLog) == 1
    assert count(session, AccessLogSubject) == 1
    assert done["audit"] == 1
    assert done["job_results"] == 1 and count(session, Job) == 2 and not result.exists()


def test_a_second_purge_finds_nothing_to_do(app, session, tmp_path):
    world = build_world(app, session)
    # Everything in the world happened long ago, and she left three years ago.
    long_ago = utcnow() + timedelta(days=3 * 365)
    world.leaver.active = False
    world.leaver.deactivated_at = utcnow()
    session.flush()
    first = purge(session, now=long_ago, periods=PERIODS, storage_dir=tmp_path)
    assert first["leavers"] == 1 and first["login_attempts"] == 2
    assert first["quiz_answers"] == 2 and first["registration_answers"] == 1
    second = purge(session, now=long_ago, periods=PERIODS, storage_dir=tmp_path)
    assert set(second.values()) == {0}
    assert session.get(User, world.leaver.id).anonymised_at is not None


def test_quiz_answers_go_after_their_period_the_score_stays(app, session, tmp_path):
    world = build_world(app, session)
    attempt = session.scalar(sa.select(Attempt).where(Attempt.user_id == world.leaver.id))
    later = attempt.graded_at + timedelta(days=366)
    done = purge(session, now=later, periods=PERIODS, storage_dir=tmp_path)
    assert done["quiz_answers"] == 2
    assert count(session, Answer, Answer.attempt_id == attempt.id) == 0
    session.refresh(attempt)
    assert attempt.passed is True and attempt.percent == 50


def test_a_leaver_is_anonymised_only_after_the_period(app, session, tmp_path):
    now = utcnow()
    recent = make_user(session, active=False, deactivated_at=now - timedelta(days=300))
    old = make_user(session, active=False, deactivated_at=now - timedelta(days=800))
    active = make_user(session, last_login_at=now - timedelta(days=2000))
    purge(session, now=now, periods=PERIODS, storage_dir=tmp_path)
    assert old.anonymised_at is not None and old.name == "Anonymisert"
    assert recent.anonymised_at is None and active.anonymised_at is None


def test_the_command_reports_what_it_purged_and_is_idempotent(runner, session):
    make_user(session)
    session.add(LoginAttempt(email="x@example.org", address="1", at=utcnow()
                             - timedelta(days=100)))
    session.flush()
    first = runner.invoke(args=["privacy", "purge"])
    assert first.exit_code == 0, first.output
    assert "login_attempts: 1" in first.output
    second = runner.invoke(args=["privacy", "purge"])
    assert "login_attempts: 0" in second.output and "leavers: 0" in second.output


# The access log is append-only ---------------------------------------------------------


@pytest.fixture
def entry(session):
    hr = make_user(session, roles=["hr"])
    return log_access(session, actor=hr, kind="reports.gaps", now=utcnow(),
                      filters={"unit": 1}, subject_ids=[make_user(session).id])


def test_changing_an_access_log_row_through_the_orm_raises(session, entry):
    entry.kind = "something.else"
    with pytest.raises(AppendOnlyError):
        session.flush()
    session.rollback()


def test_deleting_an_access_log_row_through_the_orm_raises(session, entry):
    session.delete(entry)
    with pytest.raises(AppendOnlyError):
        session.flush()
    session.rollback()


def test_bulk_updates_and_deletes_of_the_access_log_raise(session, entry):
    with pytest.raises(AppendOnlyError):
        session.execute(sa.update(AccessLog).values(kind="x"))
    with pytest.raises(AppendOnlyError):
        session.execute(sa.delete(AccessLogSubject))
    with pytest.raises(AppendOnlyError):
        session.execute(sa.delete(AccessLog.__table__))


def test_purge_is_the_path_that_removes_old_access_log_rows(session, entry, tmp_path):
    later = entry.at + timedelta(days=731)
    assert purge(session, now=later, periods=PERIODS, storage_dir=tmp_path)["access_log"] == 1
    assert count(session, AccessLog) == 0

"""Retention: ``flask privacy purge`` deletes or anonymises personal data past its period.

The periods are settings (``RETENTION_*`` in config.py, documented in the README and shown
on the privacy notice). Every step is a set-based statement whose condition is the age of
the row, so a second run finds nothing left to do (idempotent), and two hosts running it
at once delete the same rows once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import LoginAttempt, User
from app.certificates.services import add_months
from app.common.models import AuditEvent
from app.jobs.models import Job, JobStatus
from app.outbox.models import OutboxEmail, OutboxStatus
from app.privacy.anonymise import anonymise_person
from app.privacy.guard import privileged
from app.privacy.models import AccessLog, AccessLogSubject
from app.quizzes.models import Answer, Attempt
from app.security import audit
from app.seminars.registration import DEFAULT_RETENTION_DAYS, purge_answers

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periods:
    login_attempts_days: int = 90
    outbox_days: int = 180
    access_log_days: int = 730
    audit_days: int = 1825
    quiz_answers_days: int = 365
    job_results_days: int = 30
    leaver_years: int = 2

    @classmethod
    def from_config(cls, config) -> Periods:
        return cls(
            login_attempts_days=config["RETENTION_LOGIN_ATTEMPTS_DAYS"],
            outbox_days=config["RETENTION_OUTBOX_DAYS"],
            access_log_days=config["RETENTION_ACCESS_LOG_DAYS"],
            audit_days=config["RETENTION_AUDIT_DAYS"],
            quiz_answers_days=config["RETENTION_QUIZ_ANSWERS_DAYS"],
            job_results_days=config["RETENTION_JOB_RESULTS_DAYS"],
            leaver_years=config["RETENTION_LEAVER_YEARS"],
        )

    def as_rows(self) -> list[tuple[str, int, str]]:
        """(kind, amount, unit) for the privacy notice and the README."""
        return [
            ("login_attempts", self.login_attempts_days, "days"),
            ("outbox", self.outbox_days, "days"),
            ("access_log", self.access_log_days, "days"),
            ("audit", self.audit_days, "days"),
            ("quiz_answers", self.quiz_answers_days, "days"),
            ("job_results", self.job_results_days, "days"),
            ("registration_answers", DEFAULT_RETENTION_DAYS, "days"),
            ("leavers", self.leaver_years, "years"),
        ]


def _delete(session: Session, statement) -> int:
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0


def purge(session: Session, *, now: datetime, periods: Periods,
          storage_dir: str | Path) -> dict[str, int]:
    """Apply every retention period; returns how many rows each kind lost."""
    days = lambda n: now - timedelta(days=n)  # noqa: E731
    done: dict[str, int] = {}
    done["login_attempts"] = _delete(session, sa.delete(LoginAttempt).where(
        LoginAttempt.at < days(periods.login_attempts_days)))
    done["outbox"] = _delete(session, sa.delete(OutboxEmail).where(
        OutboxEmail.status.in_([OutboxStatus.SENT, OutboxStatus.FAILED]),
        sa.func.coalesce(OutboxEmail.sent_at, OutboxEmail.created_at)
        < days(periods.outbox_days)))
    # The access log is append-only for the application; this is the one path that removes
    # rows, and only those older than their period.
    with privileged(session, "retention purge"):
        old = sa.select(AccessLog.id).where(AccessLog.at < days(periods.access_log_days))
        _delete(session, sa.delete(AccessLogSubject)
                .where(AccessLogSubject.access_log_id.in_(old)))
        done["access_log"] = _delete(session, sa.delete(AccessLog).where(
            AccessLog.at < days(periods.access_log_days)))
    done["audit"] = _delete(session, sa.delete(AuditEvent).where(
        AuditEvent.at < days(periods.audit_days)))
    done["quiz_answers"] = _delete(session, sa.delete(Answer).where(Answer.attempt_id.in_(
        sa.select(Attempt.id).where(Attempt.graded_at < days(periods.quiz_answers_days)))))
    done["job_results"] = _purge_jobs(session, before=days(periods.job_results_days),
                                      storage_dir=Path(storage_dir))
    done["registration_answers"] = sum(purge_answers(session, now=now).values())
    done["leavers"] = _anonymise_leavers(
        session, before=add_months(now, -12 * periods.leaver_years), now=now,
        storage_dir=Path(storage_dir))
    if any(done.values()):
        audit(session, actor=None, action="privacy.purged",
              **{k: v for k, v in done.items() if v})
    session.flush()
    log.info("privacy purge: %s", done)
    return done


def _purge_jobs(session: Session, *, before: datetime, storage_dir: Path) -> int:
    jobs = session.scalars(sa.select(Job).where(
        Job.status.in_([JobStatus.DONE, JobStatus.FAILED]),
        sa.func.coalesce(Job.finished_at, Job.created_at) < before)).all()
    for job in jobs:
        if job.result_path:
            (storage_dir / job.result_path).unlink(missing_ok=True)
    if not jobs:
        return 0
    return _delete(session, sa.delete(Job).where(Job.id.in_([j.id for j in jobs])))


def _anonymise_leavers(session: Session, *, before: datetime, now: datetime,
                       storage_dir: Path) -> int:
    leavers = session.scalars(sa.select(User).where(
        User.active.is_(False), User.anonymised_at.is_(None),
        User.is_service_account.is_(False), User.deactivated_at < before,
    ).order_by(User.id)).all()
    for user in leavers:
        anonymise_person(session, actor=None, user=user, now=now, storage_dir=storage_dir)
    return len(leavers)

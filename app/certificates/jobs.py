"""Completion checks that run in the job runner rather than in the request.

Attendance is recorded at the door, often for 200 people in one save; checking each
person's completion and issuing their certificates there would make the organiser wait
for 200 PDFs. The attendance write queues one ``certificates.check`` job instead (one
statement), and ``flask jobs run`` records the completions and issues the certificates a
moment later. ``check_completion`` is idempotent, so a job that runs twice, or a check
that another event already made, records nothing new.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from app.catalogue.models import Course
from app.certificates.models import CompletionSource
from app.certificates.services import check_completions
from app.jobs.services import enqueue, handler
from app.orm import utcnow

KIND = "certificates.check"


def queue_completion_check(session: Session, *, course_id: int, user_ids: Iterable[int],
                           source: CompletionSource, actor, now: datetime) -> None:
    """Ask the job runner to check these people's completion of the course."""
    ids = sorted(set(user_ids))
    if ids:
        enqueue(session, kind=KIND, actor=actor, now=now,
                params={"course_id": course_id, "user_ids": ids, "source": str(source)})


@handler(KIND)
def check_job(session: Session, job, storage: Path) -> None:
    course = session.get(Course, job.params["course_id"])
    if course is None:
        return  # the course was deleted since: nothing to complete
    check_completions(session, course=course, user_ids=job.params["user_ids"], now=utcnow(),
                      source=CompletionSource(job.params["source"]))

"""Demo completions and certificates: a few leaders have completed "IT i hverdagen",
one of them so long ago that it expires within a month (and shows as due again)."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import LeaderLevel, Organisation, User
from app.catalogue.models import Course
from app.certificates.models import Completion, CompletionSource
from app.certificates.services import add_months, record_completion
from app.demo import people

log = logging.getLogger(__name__)

COURSE_SLUG = "it-i-hverdagen"
#: Days ago each demo leader completed the course; None: "expires in 25 days".
COMPLETED_DAYS_AGO = (400, 180, 30, None)


def load(session: Session, today: date) -> None:
    course = session.scalar(sa.select(Course).where(Course.slug == COURSE_SLUG))
    if course is None:
        log.info("demo certificates skipped: no course %r", COURSE_SLUG)
        return
    logins = {login[0] for login in people.DEMO_LOGINS}
    leaders = session.scalars(
        sa.select(User).join(Organisation, Organisation.id == User.organisation_id)
        .where(Organisation.slug == "trondheim", User.leader_level != LeaderLevel.NONE,
               User.email.not_in(logins))
        .order_by(User.employee_number).limit(len(COMPLETED_DAYS_AGO))
    ).all()
    noon = datetime.combine(today, time(12), UTC)
    for user, days_ago in zip(leaders, COMPLETED_DAYS_AGO, strict=False):
        exists = session.scalar(sa.select(Completion.id).where(
            Completion.user_id == user.id, Completion.course_id == course.id))
        if exists is not None:
            continue
        if days_ago is None:
            if not course.validity_months:
                continue
            completed = add_months(noon + timedelta(days=25), -course.validity_months)
        else:
            completed = noon - timedelta(days=days_ago)
        record_completion(session, user=user, course=course, completed_at=completed,
                          now=completed, source=CompletionSource.EXTERNAL, number=1,
                          evidence="Demodata: deltok på kurset før systemet ble tatt i bruk",
                          notify=False)
    log.info("demo certificates loaded for %s", COURSE_SLUG)

"""Demo history for the competence reports: two years of completions of "IT i hverdagen"
by Trondheim's leaders (some of them three years old, so their certificates expire soon or
have expired; about a third have none, the gaps), and last spring's project-leader
gathering with attendance and completions for about half of the project leaders.

Rows are written with bulk INSERTs, so loading stays fast; idempotent through the marker
in ``Completion.evidence`` and the gathering's title.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import LeaderLevel, Organisation, User
from app.catalogue.models import Course
from app.catalogue.rules import add_months
from app.certificates.models import Completion, CompletionSource
from app.demo import people
from app.enrolment.models import CourseSession, Enrolment, Offering
from app.seminars.models import Attendance

OSLO = ZoneInfo("Europe/Oslo")
MARKER = "Demodata: historikk for kompetanserapporten"
GATHERING_TITLE = "Vårsamlingen (tidligere)"


def _at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), OSLO)


def _expiry(course: Course, completed: datetime) -> datetime | None:
    if not course.validity_months:
        return None
    local = completed.astimezone(OSLO)
    return _at(add_months(local.date(), course.validity_months), local.hour)


def load(session: Session, today: date) -> None:
    courses = {c.slug: c for c in session.scalars(
        sa.select(Course).where(Course.slug.in_(["it-i-hverdagen", "prosjektledersamling"])))}
    org = session.scalar(sa.select(Organisation).where(Organisation.slug == "trondheim"))
    if org is None or "it-i-hverdagen" not in courses:
        return
    if session.scalar(sa.select(Completion.id).where(Completion.evidence == MARKER).limit(1)):
        return
    rng = random.Random(2026)  # noqa: S311  (demo data, not secrets)
    logins = {login[0] for login in people.DEMO_LOGINS}
    done = set(session.execute(sa.select(Completion.user_id, Completion.course_id)).all())
    rows = _leader_history(session, org, courses["it-i-hverdagen"], logins, done, rng, today)
    seminar = courses.get("prosjektledersamling")
    if seminar is not None:
        rows += _gathering(session, org, seminar, done, rng, today)
    if rows:
        session.execute(sa.insert(Completion), rows)
    session.flush()


def _leader_history(session, org, course, logins, done, rng, today) -> list[dict]:
    leaders = session.execute(
        sa.select(User.id, User.email).where(
            User.organisation_id == org.id, User.leader_level != LeaderLevel.NONE)
        .order_by(User.employee_number, User.id)).all()
    rows = []
    for user_id, email in leaders:
        draw = rng.random()
        days_back = rng.randint(5, 720)
        old = rng.randint(1095 - 175, 1095 + 120)  # expiring within 180 days, or expired
        if email in logins or (user_id, course.id) in done:
            continue
        if draw < 0.55:
            completed = _at(today - timedelta(days=days_back), rng.choice((10, 13, 15)))
        elif draw < 0.72:
            # Taken about three years ago: expired or expiring within the next months.
            completed = _at(today - timedelta(days=old), 13)
        else:
            continue  # a gap
        rows.append({"user_id": user_id, "course_id": course.id, "number": 1,
                     "completed_at": completed, "expires_at": _expiry(course, completed),
                     "source": CompletionSource.IMPORT, "evidence": MARKER,
                     "created_at": completed})
    return rows


def _gathering(session, org, course, done, rng, today) -> list[dict]:
    """Last spring's gathering: one day, attended by about half the project leaders."""
    if session.scalar(sa.select(Offering.id).where(Offering.course_id == course.id,
                                                   Offering.title == GATHERING_TITLE)):
        return []
    project_leaders = list(session.scalars(
        sa.select(User.id).where(User.organisation_id == org.id,
                                 User.is_project_leader.is_(True)).order_by(User.id)))
    day = date(today.year - 1 if today.month > 5 else today.year - 2, 5, 12)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    attended = [u for u in project_leaders if rng.random() < 0.5]
    offering = Offering(course_id=course.id, organisation_id=org.id, title=GATHERING_TITLE,
                        status="published", format="in_person", location="Rådhuset",
                        capacity=max(40, len(attended)), taken=len(attended),
                        starts_at=_at(day, 9), ends_at=_at(day, 15))
    offering.sessions.append(CourseSession(title="Felles metodikk for IT-prosjekter",
                                           starts_at=_at(day, 9), ends_at=_at(day, 15),
                                           room="Bystyresalen", mandatory=True))
    session.add(offering)
    session.flush()
    session_id = offering.sessions[0].id
    if attended:
        session.execute(sa.insert(Enrolment), [
            {"offering_id": offering.id, "user_id": u, "status": "enrolled",
             "requested_at": _at(day - timedelta(days=30)),
             "updated_at": _at(day - timedelta(days=30)), "ics_sequence": 1}
            for u in attended])
        session.execute(sa.insert(Attendance), [
            {"session_id": session_id, "user_id": u, "status": "present", "method": "manual",
             "recorded_at": _at(day, 15), "version": 1} for u in attended])
    completed = _at(day, 15)
    return [{"user_id": u, "course_id": course.id, "number": 1, "offering_id": offering.id,
             "completed_at": completed, "expires_at": _expiry(course, completed),
             "source": CompletionSource.ATTENDANCE, "evidence": MARKER,
             "created_at": completed}
            for u in attended if (u, course.id) not in done]

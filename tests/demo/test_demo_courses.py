"""The demo courses, offerings and enrolments of ``flask demo load``: every situation a
leader and an organiser meet, in consistent data."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.accounts.models import User
from app.catalogue.models import Course, Requirement
from app.enrolment.access import may_decide
from app.enrolment.models import Enrolment, Offering

TODAY = date(2027, 1, 9)  # a Saturday: sessions must still fall on working days


def leder(session):
    return session.scalar(sa.select(User).where(User.email == "leder@trondheim.example"))


def test_the_two_demo_courses_exist_with_modules_and_a_two_day_programme(session, demo):
    demo(today=TODAY)
    leader_course = session.scalar(sa.select(Course).where(Course.slug == "it-i-hverdagen"))
    seminar = session.scalar(sa.select(Course).where(Course.slug == "prosjektledersamling"))
    assert leader_course.audience_values == {"toppleder", "mellomleder", "forstelinjeleder"}
    assert len(leader_course.modules) >= 4
    assert "Gevinstrealisering" in leader_course.modules[1].title
    assert (seminar.kind, seminar.audience_values) == ("seminar", {"project_leader"})
    gathering = session.scalar(sa.select(Offering).where(Offering.course_id == seminar.id))
    days = {s.starts_at.date() for s in gathering.sessions}
    assert len(days) == 2 and all(d.weekday() < 5 for d in days)
    titles = " ".join(s.title for s in gathering.sessions).lower()
    for topic in ("prosjektplanlegging", "gevinstrealisering", "kost/nytte", "risikoanalyse"):
        assert topic in titles
    every_session = session.scalars(sa.select(Offering)).all()
    assert all(s.starts_at.weekday() < 5 for o in every_session for s in o.sessions)


def test_it_i_hverdagen_is_mandatory_for_every_leader_level_within_twelve_months(session, demo):
    demo(today=TODAY)
    rows = session.execute(sa.select(Requirement.leader_level, Requirement.due_months)
                           .join(Course).where(Course.slug == "it-i-hverdagen")).all()
    assert sorted(rows) == [("forstelinjeleder", 12), ("mellomleder", 12), ("toppleder", 12)]


def test_the_demo_has_a_seat_a_waitlist_and_a_request_for_the_demo_leader(session, demo):
    demo(today=TODAY)
    statuses = session.execute(sa.select(Enrolment.status).where(
        Enrolment.user_id == leder(session).id)).scalars().all()
    assert "enrolled" in statuses
    full = session.scalars(sa.select(Offering).where(Offering.capacity == Offering.taken)).all()
    assert any(session.scalar(sa.select(sa.func.count()).select_from(Enrolment).where(
        Enrolment.offering_id == o.id, Enrolment.status == "waitlisted")) for o in full)
    request = session.scalar(sa.select(Enrolment).where(Enrolment.status == "requested"))
    assert may_decide(session, leder(session), request)


def test_taken_equals_the_seats_held_and_a_second_load_changes_nothing(session, demo):
    demo(today=TODAY)
    counts = session.execute(sa.select(sa.func.count(Enrolment.id), sa.func.count(
        sa.distinct(Enrolment.offering_id)))).one()
    demo(today=TODAY)
    assert session.execute(sa.select(sa.func.count(Enrolment.id), sa.func.count(
        sa.distinct(Enrolment.offering_id)))).one() == counts
    for offering in session.scalars(sa.select(Offering)):
        held = session.scalar(sa.select(sa.func.count()).select_from(Enrolment).where(
            Enrolment.offering_id == offering.id, Enrolment.status == "enrolled"))
        assert offering.taken == held <= offering.capacity


def test_the_demo_gathering_began_on_the_last_working_day_with_its_attendance(session, demo):
    from app.seminars.demo import TITLE
    from app.seminars.models import Attendance, AttendanceStatus

    demo(today=date(2026, 11, 30))  # a Monday: the first day was Friday
    gathering = session.scalar(sa.select(Offering).where(Offering.title == TITLE))
    days = sorted({s.starts_at.date() for s in gathering.sessions})
    assert days == [date(2026, 11, 27), date(2026, 12, 7)]
    first_day = [s.id for s in gathering.sessions if s.starts_at.date() == days[0]]
    marks = session.execute(
        sa.select(Attendance.user_id, Attendance.participant_id, Attendance.status)
        .where(Attendance.session_id.in_(first_day))).all()
    assert {m.status for m in marks if m.user_id == leder(session).id} == {
        AttendanceStatus.PRESENT}
    assert len({m.participant_id for m in marks if m.participant_id}) == 2
    assert not session.scalar(sa.select(sa.func.count()).select_from(Attendance).where(
        Attendance.session_id.in_([s.id for s in gathering.sessions
                                   if s.starts_at.date() == days[1]])))

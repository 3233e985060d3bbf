"""The words and files shared by the pages and the API: a session's time in words, a
seminar's full title, and the sign-in sheet built from the session's list."""

from __future__ import annotations

from flask_babel import format_datetime
from sqlalchemy.orm import Session

from app.enrolment.models import CourseSession, Offering
from app.seminars import pdf, queries


def when(course_session: CourseSession) -> str:
    """"torsdag 5. mars 2026, 09:00–11:30" in the reader's language and Europe/Oslo."""
    day = format_datetime(course_session.starts_at, "EEEE d. MMMM y")
    start = format_datetime(course_session.starts_at, "HH:mm")
    end = format_datetime(course_session.ends_at, "HH:mm")
    return f"{day}, {start}–{end}"


def seminar_title(offering: Offering) -> str:
    course = offering.course.title
    return f"{course} – {offering.title}" if offering.title else course


def signin_sheet_pdf(session: Session, course_session: CourseSession) -> bytes:
    people = [pdf.SheetPerson(r.name, r.detail)
              for r in queries.grid_rows(session, course_session)]
    return pdf.signin_sheet(seminar=seminar_title(course_session.offering),
                            session_title=course_session.title, when=when(course_session),
                            room=course_session.room, speaker=course_session.speaker,
                            people=people)

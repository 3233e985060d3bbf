"""Builders for courses, offerings, sessions, attendance and quizzes (flushed objects)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from app.catalogue.models import Course, Module, ModuleRead
from app.enrolment.models import CourseSession, Enrolment, Offering
from app.orm import utcnow
from app.quizzes.models import Choice, Question, Quiz
from app.seminars.models import Attendance
from tests.factories import make_org

_seq = itertools.count(1)


def make_course(session, *, org=None, title=None, validity_months=36, **rule) -> Course:
    n = next(_seq)
    course = Course(organisation=org or make_org(session), slug=f"kurs-{n}",
                    title=title or f"Kurs {n}", status="published",
                    validity_months=validity_months, **rule)
    session.add(course)
    session.flush()
    return course


def make_offering(session, course, *, sessions=2, start=None, hours=3, mandatory=None,
                  capacity=None) -> Offering:
    start = start or utcnow() - timedelta(days=10)
    offering = Offering(course=course, organisation_id=course.organisation_id,
                        title="Høst", status="published", capacity=capacity,
                        starts_at=start)
    session.add(offering)
    session.flush()
    for i in range(sessions):
        begins = start + timedelta(days=i)
        session.add(CourseSession(
            offering=offering, title=f"Økt {i + 1}", starts_at=begins,
            ends_at=begins + timedelta(hours=hours),
            mandatory=True if mandatory is None else mandatory[i]))
    session.flush()
    session.refresh(offering)
    return offering


def enrol(session, offering, user, status="enrolled") -> Enrolment:
    enrolment = Enrolment(offering=offering, user_id=user.id, status=status)
    session.add(enrolment)
    session.flush()
    return enrolment


def mark(session, course_session, user, status="present") -> Attendance:
    row = Attendance(session_id=course_session.id, user_id=user.id, status=status)
    session.add(row)
    session.flush()
    return row


def read_modules(session, course, user, count=None) -> None:
    for module in course.modules[:count]:
        session.add(ModuleRead(user_id=user.id, module_id=module.id))
    session.flush()


def add_modules(session, course, n=2, minutes=30) -> list[Module]:
    modules = [Module(course=course, position=i + 1, title=f"Modul {i + 1}",
                      estimated_minutes=minutes) for i in range(n)]
    session.add_all(modules)
    session.flush()
    session.refresh(course)
    return modules


def make_quiz(session, course, *, pass_percent=50, questions=2, **kw) -> Quiz:
    """A quiz of true/false questions whose right answer is "true"."""
    quiz = Quiz(course=course, title=f"Prøve i {course.title}", pass_percent=pass_percent,
                **kw)
    session.add(quiz)
    session.flush()
    for i in range(questions):
        session.add(Question(quiz=quiz, position=i + 1, kind="true_false",
                             prompt=f"Påstand {i + 1}", points=1, correct_true=True,
                             explanation=f"Forklaring {i + 1}"))
    session.flush()
    session.refresh(quiz)
    return quiz


def add_single(session, quiz, prompt="Hvilken?", choices=("Riktig", "Feil")) -> Question:
    question = Question(quiz=quiz, position=len(quiz.questions) + 1, kind="single",
                        prompt=prompt, points=1)
    session.add(question)
    session.flush()
    for i, text in enumerate(choices):
        session.add(Choice(question=question, position=i + 1, text=text, correct=i == 0))
    session.flush()
    session.refresh(question)
    session.refresh(quiz)
    return question

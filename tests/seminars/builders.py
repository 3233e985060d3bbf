"""Builders for seminar tests: a seminar offering with sessions, people on its list."""

from __future__ import annotations

import itertools
from datetime import timedelta

from app.catalogue.models import Course, CourseKind, CourseStatus
from app.enrolment.models import CourseSession, Enrolment, EnrolmentStatus, Offering
from app.orm import utcnow
from tests.factories import make_org, make_unit, make_user

_seq = itertools.count(1)


def make_seminar(session, *, org=None, sessions=1, start=None, length=timedelta(hours=1),
                 gap=timedelta(hours=2), requires_attendance=True, min_percent=None,
                 title="Prosjektledersamling", offering_title="Vår", capacity=None):
    """A published seminar offering of ``org`` with ``sessions`` sessions, the first at
    ``start`` (default: started five minutes ago, so check-in is open)."""
    n = next(_seq)
    org = org or make_org(session)
    start = start or utcnow() - timedelta(minutes=5)
    course = Course(organisation_id=org.id, slug=f"samling-{n}", kind=CourseKind.SEMINAR,
                    status=CourseStatus.PUBLISHED, title=title,
                    completion_requires_attendance=requires_attendance,
                    completion_attendance_percent=min_percent)
    offering = Offering(course=course, organisation_id=org.id, title=offering_title,
                        status="published", capacity=capacity, starts_at=start,
                        ends_at=start + gap * (sessions - 1) + length)
    for i in range(sessions):
        offering.sessions.append(CourseSession(
            title=f"Økt {i + 1}", starts_at=start + gap * i,
            ends_at=start + gap * i + length, room="Bystyresalen", speaker="Kari Lund",
        ))
    session.add(offering)
    session.flush()
    return offering


def enrol(session, offering, user, status=EnrolmentStatus.ENROLLED):
    session.add(Enrolment(offering_id=offering.id, user_id=user.id, status=status))
    if status == EnrolmentStatus.ENROLLED:
        offering.taken += 1
    session.flush()


def enrol_many(session, offering, n, *, unit=None):
    """``n`` new people enrolled in the offering (one unit for all)."""
    unit = unit or make_unit(session, org=offering.organisation)
    people = [make_user(session, unit=unit) for _ in range(n)]
    for person in people:
        session.add(Enrolment(offering_id=offering.id, user_id=person.id,
                              status=EnrolmentStatus.ENROLLED))
    offering.taken += n
    session.flush()
    return people


def organiser_of(session, offering, **kw):
    return make_user(session, org=offering.organisation, roles=["organiser"], **kw)

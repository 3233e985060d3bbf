"""Builders for courses, offerings, sessions and enrolments (flushed objects)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from app.catalogue.models import Course, CourseAudience, CourseStatus, Module
from app.enrolment.models import (
    CourseSession,
    Enrolment,
    EnrolmentStatus,
    Offering,
    OfferingFormat,
    OfferingStatus,
)
from app.orm import utcnow
from tests.factories import make_org

_seq = itertools.count(1)


def make_course(session, *, org=None, title=None, slug=None, audiences=(), status="published",
                modules=0, **kw) -> Course:
    n = next(_seq)
    org = org or make_org(session)
    course = Course(organisation_id=org.id, slug=slug or f"kurs-{n}",
                    title=title or f"Kurs {n}", status=CourseStatus(status), **kw)
    course.audiences = [CourseAudience(audience=a) for a in audiences]
    for position in range(1, modules + 1):
        course.modules.append(Module(position=position, title=f"Modul {position}",
                                     body=f"Tekst {position}", estimated_minutes=10))
    session.add(course)
    session.flush()
    return course


def make_offering(session, *, course=None, org=None, capacity=10, starts_in=timedelta(days=30),
                  sessions=1, status="published", now: datetime | None = None, **kw) -> Offering:
    now = now or utcnow()
    course = course or make_course(session, org=org)
    org_id = (org.id if org is not None else course.organisation_id)
    starts = now + starts_in
    offering = Offering(course_id=course.id, organisation_id=org_id, capacity=capacity,
                        status=OfferingStatus(status), format=kw.pop("format",
                                                                      OfferingFormat.IN_PERSON),
                        location=kw.pop("location", "Rådhuset"), starts_at=starts, **kw)
    for i in range(sessions):
        offering.sessions.append(CourseSession(
            title=f"Økt {i + 1}", starts_at=starts + timedelta(days=i),
            ends_at=starts + timedelta(days=i, hours=3), room="Sal 1"))
    if sessions:
        offering.ends_at = starts + timedelta(days=sessions - 1, hours=3)
    session.add(offering)
    session.flush()
    return offering


def make_enrolment(session, offering, user, status="enrolled", requested_at=None) -> Enrolment:
    enrolment = Enrolment(offering_id=offering.id, user_id=user.id,
                          status=EnrolmentStatus(status),
                          requested_at=requested_at or utcnow(), updated_at=utcnow())
    session.add(enrolment)
    if enrolment.status == EnrolmentStatus.ENROLLED:
        offering.taken += 1
    session.flush()
    return enrolment

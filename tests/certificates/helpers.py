"""A completed course with its certificate, for the certificate tests."""

from __future__ import annotations

import io

import sqlalchemy as sa
from pypdf import PdfReader

from app.certificates.models import Certificate
from app.certificates.services import check_completion
from app.orm import utcnow
from tests.certificates.builders import enrol, make_course, make_offering, mark
from tests.factories import make_user


def certified(session, settings, *, name="Kari Nordmann", locale="nb", now=None, **course_kw):
    """(user, offering, certificate): attended every session of an attendance course."""
    course = make_course(session, completion_requires_attendance=True, **course_kw)
    offering = make_offering(session, course, sessions=2)
    user = make_user(session, name=name, locale=locale, org=course.organisation)
    enrol(session, offering, user)
    for s in offering.sessions:
        mark(session, s, user)
    completion = check_completion(session, user=user, course=course, now=now or utcnow(),
                                  source="attendance", settings=settings)
    cert = session.scalar(sa.select(Certificate).where(Certificate.completion_id
                                                       == completion.id))
    return user, offering, cert


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)

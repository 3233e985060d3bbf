"""Builders for sharing tests: an editor in an organisation, a package zip of a given
version, an offering with an enrolment."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.accounts.models import Organisation
from app.enrolment.models import Enrolment, EnrolmentStatus, Offering
from tests.factories import make_org, make_user
from tests.sharing.builders import manifest, package_zip


def county_zip(version: str = "1.0.0", **changes: Any) -> bytes:
    """The test county's package (publisher slug "test-fylke")."""
    return package_zip(manifest_doc=manifest(version=version, **changes))


def editor(session, *, slug: str, kind: str = "municipality", name: str | None = None):
    org = session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    org = org or make_org(session, slug=slug, kind=kind,
                          name=name or {"test-fylke": "Testfylket"}.get(slug, slug.title()))
    return make_user(session, org=org, roles=["editor"])


def enrol(session, course, user) -> Enrolment:
    offering = Offering(course_id=course.id, organisation_id=course.organisation_id,
                        title="Høst", capacity=10, taken=1)
    session.add(offering)
    session.flush()
    enrolment = Enrolment(offering_id=offering.id, user_id=user.id,
                          status=EnrolmentStatus.ENROLLED)
    session.add(enrolment)
    session.flush()
    return enrolment

"""Organisers and editors write courses and modules; a course reaches the catalogue only
when published."""

from __future__ import annotations

import sqlalchemy as sa

from app.catalogue.models import Course, Module
from tests.enrolment.builders import make_course
from tests.factories import make_org, make_unit, make_user

FORM = {"title": "Data og beslutninger", "slug": "data-og-beslutninger", "kind": "course",
        "language": "nb", "summary": "Kort.", "description": "Lang.",
        "audiences": ["toppleder", "mellomleder"]}


def course_by_slug(session, slug):
    session.expire_all()
    return session.scalar(sa.select(Course).where(Course.slug == slug))


def test_an_editor_creates_a_draft_course_and_publishes_it_to_the_catalogue(web, session,
                                                                           login_as):
    org = make_org(session)
    editor = make_user(session, org=org, roles=["editor"])
    reader = make_user(session, unit=make_unit(session, org=org), leader_level="mellomleder")
    login_as(editor)
    response = web.post("/forvaltning/kurs/ny", FORM)
    assert response.headers["Location"] == "/forvaltning/kurs/data-og-beslutninger"
    course = course_by_slug(session, "data-og-beslutninger")
    assert (course.status, course.audience_values) == ("draft", {"toppleder", "mellomleder"})
    login_as(reader)
    assert "Data og beslutninger" not in web.get("/kurs").get_data(as_text=True)
    login_as(editor)
    web.post("/forvaltning/kurs/data-og-beslutninger/status", {"status": "published"})
    login_as(reader)
    assert "Data og beslutninger" in web.get("/kurs").get_data(as_text=True)


def test_a_taken_or_malformed_address_is_explained_and_nothing_is_saved(web, session,
                                                                        login_as):
    org = make_org(session)
    make_course(session, org=org, slug="it-i-hverdagen")
    login_as(make_user(session, org=org, roles=["organiser"]))
    page = web.post("/forvaltning/kurs/ny", {**FORM, "slug": "it-i-hverdagen"}).get_data(
        as_text=True)
    assert "Adressen er allerede i bruk av et annet kurs." in page
    page = web.post("/forvaltning/kurs/ny", {**FORM, "slug": "Ikke Lov!"}).get_data(
        as_text=True)
    assert "Bruk små bokstaver" in page
    assert session.scalar(sa.select(sa.func.count()).select_from(Course)) == 1


def test_modules_are_added_reordered_and_deleted_without_gaps(web, session, login_as):
    org = make_org(session)
    course = make_course(session, org=org, modules=3)
    login_as(make_user(session, org=org, roles=["organiser"]))
    web.post(f"/forvaltning/kurs/{course.slug}/moduler/ny",
             {"title": "Fjerde", "body": "## Om data", "estimated_minutes": "15"})
    first, second, third, fourth = course_by_slug(session, course.slug).modules
    web.post(f"/forvaltning/kurs/moduler/{fourth.id}/flytt", {"retning": "opp"})
    web.post(f"/forvaltning/kurs/moduler/{first.id}/slett")
    titles = [m.title for m in course_by_slug(session, course.slug).modules]
    assert titles == ["Modul 2", "Fjerde", "Modul 3"]
    positions = session.scalars(sa.select(Module.position).where(Module.course_id == course.id)
                                .order_by(Module.position)).all()
    assert positions == [1, 2, 3]
    page = web.get(f"/forvaltning/kurs/moduler/{fourth.id}").get_data(as_text=True)
    assert "<h2>Om data</h2>" in page  # the preview


def test_nobody_edits_another_organisations_course(web, session, login_as):
    course = make_course(session, modules=1)
    login_as(make_user(session, roles=["editor"]))
    assert web.get(f"/forvaltning/kurs/{course.slug}").status_code == 404
    assert web.post(f"/forvaltning/kurs/{course.slug}/status",
                    {"status": "draft"}).status_code == 404
    assert web.post(f"/forvaltning/kurs/moduler/{course.modules[0].id}/slett").status_code \
        == 404
    assert course_by_slug(session, course.slug).status == "published"
    login_as(make_user(session, org=course.organisation))
    assert web.get("/forvaltning/kurs/").status_code == 403

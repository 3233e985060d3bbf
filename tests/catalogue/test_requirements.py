"""Mandatory courses: HR and admins of the whole organisation say which course is required
of whom and by when; the home page and the reports follow at once."""

from __future__ import annotations

import sqlalchemy as sa

from app.catalogue.models import Requirement
from app.common.models import AuditEvent
from tests.enrolment.builders import make_course
from tests.factories import make_org, make_unit, make_user


def _requirements(session, org):
    return session.scalars(sa.select(Requirement)
                           .where(Requirement.organisation_id == org.id)).all()


def test_hr_requires_a_course_of_a_leader_level_and_the_leader_sees_it_at_once(
        web, client, session, login_as):
    unit = make_unit(session, name="Hjemmetjenesten")
    org = unit.organisation
    course = make_course(session, org=org, title="IT i hverdagen")
    leader = make_user(session, unit=unit, leader_level="mellomleder")
    hr = make_user(session, org=org, roles=["hr"])
    login_as(hr)
    page = client.get("/forvaltning/krav/").get_data(as_text=True)
    assert "Ingen kurs er obligatoriske ennå." in page and "IT i hverdagen" in page
    response = web.post("/forvaltning/krav/", {
        "organisation": org.id, "course": course.id, "group": "mellomleder", "unit": 0,
        "due_months": 12}, page="/forvaltning/krav/")
    assert response.status_code == 302
    [requirement] = _requirements(session, org)
    assert (requirement.group_kind, requirement.leader_level, requirement.due_months,
            requirement.active) == ("leader_level", "mellomleder", 12, True)
    assert session.scalar(sa.select(AuditEvent.action).order_by(AuditEvent.id.desc())) == \
        "catalogue.requirement_added"
    listing = client.get("/forvaltning/krav/").get_data(as_text=True)
    assert "Mellomledere" in listing and "12 måneder" in listing
    login_as(leader)
    home = client.get("/").get_data(as_text=True)
    assert "IT i hverdagen" in home.split("Anbefalt for deg")[1]


def test_a_unit_requirement_needs_a_unit_of_the_organisation(web, session, login_as):
    unit = make_unit(session, name="Kultur")
    org = unit.organisation
    course = make_course(session, org=org)
    foreign_unit = make_unit(session, name="Fremmed")
    login_as(make_user(session, org=org, roles=["admin"]))
    data = {"organisation": org.id, "course": course.id, "group": "unit", "unit": 0}
    response = web.post("/forvaltning/krav/", data, page="/forvaltning/krav/")
    assert response.status_code == 422
    assert "Velg enheten kravet gjelder for." in response.get_data(as_text=True)
    response = web.post("/forvaltning/krav/", {**data, "unit": foreign_unit.id},
                        page="/forvaltning/krav/")
    assert response.status_code == 422  # not one of the form's choices
    response = web.post("/forvaltning/krav/", {**data, "unit": unit.id},
                        page="/forvaltning/krav/")
    assert response.status_code == 302
    [requirement] = _requirements(session, org)
    assert requirement.group_kind == "unit" and requirement.unit_id == unit.id
    assert requirement.due_months is None


def test_the_same_requirement_twice_is_refused_with_a_message(web, session, login_as):
    org = make_org(session)
    course = make_course(session, org=org)
    login_as(make_user(session, org=org, roles=["hr"]))
    data = {"organisation": org.id, "course": course.id, "group": "project_leader",
            "unit": 0, "due_months": ""}
    assert web.post("/forvaltning/krav/", data, page="/forvaltning/krav/").status_code == 302
    again = web.post("/forvaltning/krav/", data, page="/forvaltning/krav/")
    assert again.status_code == 409 and "Kravet finnes allerede." in again.get_data(as_text=True)
    assert len(_requirements(session, org)) == 1


def test_bad_values_get_messages_and_save_nothing(web, session, login_as):
    org = make_org(session)
    course = make_course(session, org=org)
    other_course = make_course(session, org=make_org(session))
    login_as(make_user(session, org=org, roles=["hr"]))
    for data in ({"course": other_course.id, "group": "mellomleder"},
                 {"course": course.id, "group": "alle"},
                 {"course": course.id, "group": "mellomleder", "due_months": "121"},
                 {"course": course.id, "group": "mellomleder", "due_months": "tolv"},
                 {"course": "x", "group": "mellomleder"}):
        response = web.post("/forvaltning/krav/", {"organisation": org.id, "unit": 0, **data},
                            page="/forvaltning/krav/")
        assert response.status_code == 422, data
        assert "Dette må rettes" in response.get_data(as_text=True)
    assert _requirements(session, org) == []


def test_switching_off_keeps_the_requirement_and_ends_its_effect(web, client, session,
                                                                 login_as):
    unit = make_unit(session)
    org = unit.organisation
    course = make_course(session, org=org, title="Informasjonssikkerhet")
    requirement = Requirement(organisation_id=org.id, course_id=course.id,
                              group_kind="leader_level", leader_level="toppleder")
    session.add(requirement)
    head = make_user(session, unit=unit, leader_level="toppleder")
    login_as(make_user(session, org=org, roles=["admin"]))
    response = web.post(f"/forvaltning/krav/{requirement.id}/aktiv", {"active": "0"},
                        page="/forvaltning/krav/")
    assert response.status_code == 302
    session.refresh(requirement)
    assert requirement.active is False
    login_as(head)
    assert "Informasjonssikkerhet" not in client.get("/").get_data(as_text=True)


def test_only_organisation_wide_hr_and_admins_keep_the_requirements(web, client, session,
                                                                   login_as):
    unit = make_unit(session)
    org = unit.organisation
    course = make_course(session, org=org)
    other = make_org(session)
    theirs = Requirement(organisation_id=other.id, course_id=make_course(session, org=other).id,
                         group_kind="project_leader")
    session.add(theirs)
    login_as(make_user(session, org=org, roles=[("hr", unit)]))  # HR for one unit only
    assert client.get("/forvaltning/krav/").status_code == 403
    login_as(make_user(session, org=org, roles=["organiser"]))
    assert client.get("/forvaltning/krav/").status_code == 403
    login_as(make_user(session, org=org, roles=["hr"]))
    assert web.post(f"/forvaltning/krav/{theirs.id}/aktiv", {"active": "0"},
                    page="/forvaltning/krav/").status_code == 404
    assert "Kurs" in client.get("/forvaltning/krav/").get_data(as_text=True)
    assert course.id


def test_the_page_costs_the_same_statements_with_more_requirements(client, session, login_as,
                                                                   count_queries):
    org = make_org(session)
    login_as(make_user(session, org=org, roles=["hr"]))

    def statements():
        with count_queries() as queries:
            assert client.get("/forvaltning/krav/").status_code == 200
        return queries.count

    for level in ("toppleder", "mellomleder"):
        session.add(Requirement(organisation_id=org.id, course_id=make_course(session, org=org).id,
                                group_kind="leader_level", leader_level=level))
    session.flush()
    small = statements()
    for _ in range(10):
        session.add(Requirement(organisation_id=org.id, course_id=make_course(session, org=org).id,
                                group_kind="project_leader"))
    session.flush()
    assert statements() == small <= 8

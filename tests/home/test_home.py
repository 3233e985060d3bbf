"""The home page and the health check."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import RoleAssignment
from app.catalogue.models import ModuleRead, Requirement
from app.demo.services import load_demo
from app.home.queries import pending_requests_column
from app.orm import utcnow
from app.seminars.models import Attendance
from tests.factories import make_unit, make_user


def test_a_unit_leader_sees_how_many_people_they_lead(client, session, login_as):
    unit = make_unit(session, name="Hjemmetjenesten")
    team = make_unit(session, parent=unit, name="Team Nardo")
    leader = make_user(session, unit=unit, leader_level="mellomleder")
    unit.manager = leader
    for _ in range(3):
        make_user(session, unit=team)
    make_user(session, unit=team, leader_level="forstelinjeleder")
    login_as(leader)
    page = client.get("/").get_data(as_text=True)
    assert "Du leder Hjemmetjenesten" in page
    assert ">5<" in page  # the leader, three staff and a team leader
    assert "hvorav 2 ledere" in page


def test_hr_sees_leaders_per_level_in_their_own_organisation_only(client, session, login_as):
    unit = make_unit(session)
    login_as(make_user(session, unit=unit, roles=["hr"]))
    make_user(session, unit=unit, leader_level="toppleder")
    make_user(session, leader_level="toppleder")  # another organisation
    page = client.get("/").get_data(as_text=True)
    assert "Ledere i organisasjonen" in page
    assert "<td>Toppleder</td><td class=\"num\">1</td>" in page


@pytest.mark.parametrize("employees", [0, 1])
def test_the_home_page_uses_a_bounded_number_of_queries(app, client, session, login_as,
                                                        count_queries, employees):
    if employees:
        with app.app_context():
            load_demo(session)
    unit = make_unit(session)
    leader = make_user(session, unit=unit, roles=["hr", "admin"], leader_level="mellomleder")
    unit.manager = leader
    login_as(leader)
    with count_queries() as queries:
        assert client.get("/").status_code == 200
    assert queries.count <= 8, queries.statements


def test_open_requests_are_counted_by_index_not_by_reading_every_enrolment(session):
    if session.bind.dialect.name != "sqlite":
        pytest.skip("reads SQLite's query plan")
    unit = make_unit(session)
    leader = make_user(session, unit=unit, leader_level="mellomleder")
    statement = sa.select(pending_requests_column(leader, [unit.path]))
    sql = statement.compile(dialect=session.bind.dialect, compile_kwargs={"literal_binds": True})
    plan = [row[3] for row in session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}"))]
    assert any("ix_enrolment_status" in step for step in plan), plan
    assert not any(step.startswith("SCAN enrolment") for step in plan), plan


def test_health_is_public_json(client):
    response = client.get("/health")
    assert response.get_json() == {"status": "ok", "database": "ok"}


# My learning ---------------------------------------------------------------------------

def _learning_setup(session):
    from tests.enrolment.builders import make_course, make_enrolment, make_offering

    org_unit = make_unit(session, name="Hjemmetjenesten")
    leader = make_user(session, unit=org_unit, leader_level="mellomleder",
                       leader_since=date(2026, 3, 15))
    org = org_unit.organisation
    course = make_course(session, org=org, title="IT i hverdagen", modules=4,
                         audiences=["mellomleder"])
    offering = make_offering(session, course=course, sessions=2, title="Rådhuset")
    make_enrolment(session, offering, leader)
    return org, leader, course, offering, make_course, make_enrolment, make_offering


def test_the_home_page_shows_my_enrolments_next_sessions_and_progress(client, session,
                                                                      login_as):
    org, leader, course, offering, make_course, make_enrolment, make_offering = \
        _learning_setup(session)
    for module in course.modules[:3]:
        session.add(ModuleRead(user_id=leader.id, module_id=module.id))
    session.add(Attendance(session_id=offering.sessions[0].id, user_id=leader.id,
                           status="present"))
    full = make_offering(session, course=make_course(session, org=org, title="Samling"),
                         capacity=0, title="Fullt")
    make_enrolment(session, full, leader, status="waitlisted")
    login_as(leader)
    page = client.get("/").get_data(as_text=True)
    assert "Mine påmeldinger" in page and "Rådhuset" in page
    assert "nr. 1 på ventelisten" in page
    assert "Økt 1" in page and "Økt 2" in page  # the next sessions
    assert "3 av 4 moduler lest · 1 av 2 økter deltatt" in page
    assert 'value="67"' in page  # (3 + 1) of (4 + 2)


def test_recommended_puts_mandatory_courses_first_with_their_due_date(client, session,
                                                                      login_as):
    org, leader, _course, _offering, make_course, _enrol, _offer = _learning_setup(session)
    make_course(session, org=org, title="Anbefalt vanlig", audiences=["mellomleder"])
    required = make_course(session, org=org, title="Obligatorisk kurs")
    session.add(Requirement(organisation_id=org.id, course_id=required.id,
                            group_kind="leader_level", leader_level="mellomleder",
                            due_months=12))
    make_course(session, org=org, title="For toppledere", audiences=["toppleder"])
    login_as(leader)
    page = client.get("/").get_data(as_text=True)
    section = page.split("Anbefalt for deg")[1]
    assert section.index("Obligatorisk kurs") < section.index("Anbefalt vanlig")
    assert "15. mars 2027" in section  # twelve months after becoming a leader
    assert "For toppledere" not in section
    assert "IT i hverdagen" not in section  # already enrolled


def test_progress_counts_each_course_apart_and_the_latest_offering_only(client, session,
                                                                         login_as):
    org, leader, course, offering, make_course, make_enrolment, make_offering = \
        _learning_setup(session)
    last_year = make_offering(session, course=course, sessions=3,
                              starts_in=timedelta(days=-365), title="I fjor")
    make_enrolment(session, last_year, leader)
    other = make_course(session, org=org, title="Annet kurs", modules=2)
    make_enrolment(session, make_offering(session, course=other, sessions=5), leader)
    session.add(ModuleRead(user_id=leader.id, module_id=course.modules[0].id))
    session.add(Attendance(session_id=last_year.sessions[0].id, user_id=leader.id,
                           status="present"))
    login_as(leader)
    page = client.get("/").get_data(as_text=True)
    assert "1 av 4 moduler lest · 0 av 2 økter deltatt" in page  # this year's two sessions
    assert "0 av 2 moduler lest · 0 av 5 økter deltatt" in page  # nothing leaks across


def test_the_quiz_counts_in_progress_once_passed(client, session, login_as):
    from app.quizzes.models import Attempt
    from tests.certificates.builders import make_quiz

    _org, leader, course, offering, *_ = _learning_setup(session)
    quiz = make_quiz(session, course)
    for module in course.modules:
        session.add(ModuleRead(user_id=leader.id, module_id=module.id))
    login_as(leader)
    page = client.get("/").get_data(as_text=True)
    assert "4 av 4 moduler lest · 0 av 2 økter deltatt · prøven ikke bestått ennå" in page
    assert 'value="57"' in page  # 4 of (4 + 2 + 1)
    session.add(Attempt(quiz_id=quiz.id, user_id=leader.id, number=1, status="graded",
                        question_ids=[], graded_at=utcnow(), score=2, max_score=2,
                        percent=100, passed=True))
    session.flush()
    page = client.get("/").get_data(as_text=True)
    assert "prøven bestått" in page and 'value="71"' in page  # 5 of 7


def test_a_completion_in_force_shows_the_course_done_and_stops_recommending_it(
        client, session, login_as):
    from app.certificates.models import Completion

    org, leader, course, _offering, make_course, _enrol, _offer = _learning_setup(session)
    required = make_course(session, org=org, title="Obligatorisk kurs")
    session.add(Requirement(organisation_id=org.id, course_id=required.id,
                            group_kind="leader_level", leader_level="mellomleder",
                            due_months=12))
    now = utcnow()
    session.add_all([
        Completion(user_id=leader.id, course_id=course.id, completed_at=now, source="external"),
        Completion(user_id=leader.id, course_id=required.id, completed_at=now - timedelta(days=1),
                   expires_at=now + timedelta(days=400), source="external"),
    ])
    session.flush()
    login_as(leader)
    page = client.get("/").get_data(as_text=True)
    assert "Fullført · 0 av 4 moduler lest" in page and 'value="100"' in page
    assert "Obligatorisk kurs" not in page.split("Anbefalt for deg")[1]


def test_a_completion_due_for_renewal_is_recommended_again(client, session, login_as):
    from app.certificates.models import Completion

    org, leader, *_rest, make_course, _enrol, _offer = _learning_setup(session)
    required = make_course(session, org=org, title="Obligatorisk kurs")
    session.add(Requirement(organisation_id=org.id, course_id=required.id,
                            group_kind="leader_level", leader_level="mellomleder",
                            due_months=12))
    now = utcnow()
    session.add(Completion(user_id=leader.id, course_id=required.id,
                           completed_at=now - timedelta(days=1000),
                           expires_at=now + timedelta(days=30), source="external"))
    session.flush()
    login_as(leader)
    page = client.get("/").get_data(as_text=True)
    assert "Obligatorisk kurs" in page.split("Anbefalt for deg")[1]


@pytest.mark.parametrize("extra", [0, 25])
def test_my_learning_on_the_home_page_costs_the_same_queries_at_any_size(
        client, session, login_as, count_queries, extra):
    org, leader, _course, _offering, make_course, make_enrolment, make_offering = \
        _learning_setup(session)
    leader.unit.manager_id = leader.id
    for i in range(extra):
        course = make_course(session, org=org, title=f"Kurs {i}", modules=3,
                             audiences=["mellomleder"])
        offering = make_offering(session, course=course, sessions=2)
        make_enrolment(session, offering, leader, status="waitlisted" if i % 2 else "enrolled")
        make_user(session, unit=leader.unit, leader_level="forstelinjeleder")
    session.add(RoleAssignment(user=leader, role="hr", organisation=org))
    session.flush()
    login_as(leader)
    with count_queries() as queries:
        assert client.get("/").status_code == 200
    assert queries.count <= 8, queries.statements

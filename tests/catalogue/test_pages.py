"""The catalogue and the course page: a leader finds the courses meant for them first,
sees seats left and their own status, and reads the modules."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.catalogue.models import ModuleRead, Requirement
from app.certificates.models import Certificate, Completion
from app.orm import utcnow
from tests.enrolment.builders import make_course, make_enrolment, make_offering
from tests.factories import make_org, make_unit, make_user


def leader_in_org(session, level="mellomleder"):
    org = make_org(session)
    unit = make_unit(session, org=org)
    return org, make_user(session, unit=unit, leader_level=level, name="Ingrid Berg")


def test_the_catalogue_lists_courses_for_my_level_first_and_mandatory_ones_before_those(
        client, session, login_as):
    org, leader = leader_in_org(session)
    make_course(session, org=org, title="Aaa for alle andre", audiences=["toppleder"])
    make_course(session, org=org, title="Bbb for mellomledere", audiences=["mellomleder"])
    required = make_course(session, org=org, title="Zzz obligatorisk",
                           audiences=["forstelinjeleder"])
    session.add(Requirement(organisation_id=org.id, course_id=required.id,
                            group_kind="leader_level", leader_level="mellomleder", due_months=12))
    session.flush()
    login_as(leader)
    page = client.get("/kurs").get_data(as_text=True)
    order = [page.index(t) for t in ("Zzz obligatorisk", "Bbb for mellomledere",
                                     "Aaa for alle andre")]
    assert order == sorted(order)
    assert "Obligatorisk for deg" in page and "For deg" in page


def test_drafts_and_other_organisations_courses_stay_out_unless_offered_to_partners(
        client, session, login_as):
    org, leader = leader_in_org(session)
    make_course(session, org=org, title="Utkastet", status="draft")
    partner = make_org(session)
    make_course(session, org=partner, title="Partnerens interne kurs")
    shared = make_course(session, org=partner, title="Felles for regionen")
    make_offering(session, course=shared, open_to_partners=True)
    login_as(leader)
    page = client.get("/kurs").get_data(as_text=True)
    assert "Felles for regionen" in page
    assert "Utkastet" not in page and "Partnerens interne kurs" not in page
    assert client.get("/kurs/" + shared.slug).status_code == 200
    assert client.get("/kurs/finnes-ikke").status_code == 404


def test_search_and_filters_narrow_the_list(client, session, login_as):
    org, leader = leader_in_org(session)
    online = make_course(session, org=org, title="Gevinstrealisering i praksis")
    make_offering(session, course=online, format="online", location=None)
    make_course(session, org=org, title="Risikoanalyse", language="en",
                audiences=["project_leader"])
    login_as(leader)

    def titles(query):
        page = client.get("/kurs?" + query).get_data(as_text=True)
        return {t for t in ("Gevinstrealisering i praksis", "Risikoanalyse") if t in page}

    assert titles("q=GEVINST") == {"Gevinstrealisering i praksis"}
    assert titles("q=100%25_") == set()  # LIKE wildcards are searched for, not obeyed
    assert titles("format=online") == {"Gevinstrealisering i praksis"}
    assert titles("language=en") == {"Risikoanalyse"}
    assert titles("audience=project_leader") == {"Risikoanalyse"}
    assert titles("date_from=2099-01-01") == set()
    # Bad filter values are ignored with a message, never a 500.
    response = client.get("/kurs?date_from=igår&audience=ingen&side=x")
    assert response.status_code == 200


def test_the_organiser_and_date_filters_keep_only_matching_offerings(client, session, login_as):
    org, leader = leader_in_org(session)
    partner = make_org(session, name="Trøndelag fylkeskommune")
    ours = make_course(session, org=org, title="Prosjektveiviseren")
    make_offering(session, course=ours, starts_in=timedelta(days=10))
    theirs = make_course(session, org=partner, title="Digital dugnad")
    make_offering(session, course=theirs, open_to_partners=True, starts_in=timedelta(days=60))
    login_as(leader)

    def titles(query):
        page = client.get("/kurs?" + query).get_data(as_text=True)
        return {t for t in ("Prosjektveiviseren", "Digital dugnad") if t in page}

    assert titles("") == {"Prosjektveiviseren", "Digital dugnad"}
    assert titles(f"organiser={partner.id}") == {"Digital dugnad"}
    assert titles(f"organiser={org.id}") == {"Prosjektveiviseren"}
    # The organiser filter offers exactly the organisations whose offerings I may see.
    page = client.get("/kurs").get_data(as_text=True)
    assert f'<option value="{partner.id}">Trøndelag fylkeskommune</option>' in page
    soon = (utcnow() + timedelta(days=30)).date().isoformat()
    assert titles(f"date_to={soon}") == {"Prosjektveiviseren"}
    assert titles(f"date_from={soon}") == {"Digital dugnad"}
    # An organiser the viewer cannot see is ignored with a message, never a 500.
    assert client.get("/kurs?organiser=999999").status_code == 200


def test_each_offering_shows_seats_left_and_my_own_status(client, session, login_as):
    org, leader = leader_in_org(session)
    course = make_course(session, org=org, title="IT i hverdagen")
    full = make_offering(session, course=course, capacity=1, title="Fullt")
    make_enrolment(session, full, make_user(session, org=org))
    mine = make_offering(session, course=course, capacity=10, title="Mitt",
                         starts_in=timedelta(days=40))
    make_enrolment(session, mine, leader)
    login_as(leader)
    page = client.get("/kurs").get_data(as_text=True)
    assert "Fullt – venteliste" in page and "Sett meg på venteliste" in page
    assert "9 ledige plasser" in page and "Påmeldt" in page


def test_the_course_page_renders_modules_and_marks_them_read_once(web, session, login_as):
    org, leader = leader_in_org(session)
    course = make_course(session, org=org, title="IT i hverdagen", modules=2,
                         description="**Viktig** <script>alert(1)</script>")
    login_as(leader)
    page = web.get(f"/kurs/{course.slug}").get_data(as_text=True)
    assert "<strong>Viktig</strong>" in page and "<script>alert" not in page
    assert "Du har lest 0 av 2 moduler." in page
    url = f"/kurs/{course.slug}/moduler/1"
    assert "Modul 1 av 2" in web.get(url).get_data(as_text=True)
    web.post(url + "/lest", page=url)
    web.post(url + "/lest", page=url)
    assert session.scalar(sa.select(sa.func.count()).select_from(ModuleRead)
                          .where(ModuleRead.user_id == leader.id)) == 1
    assert "Du har lest 1 av 2 moduler." in web.get(f"/kurs/{course.slug}").get_data(
        as_text=True)
    assert web.get(f"/kurs/{course.slug}/moduler/9").status_code == 404


def test_reading_the_last_module_completes_a_course_that_asks_for_its_modules(
        web, session, login_as):
    org, leader = leader_in_org(session)
    course = make_course(session, org=org, title="Selvstudium", modules=2)
    course.completion_requires_modules = True
    session.flush()
    login_as(leader)
    for position in (1, 2):
        url = f"/kurs/{course.slug}/moduler/{position}"
        web.post(url + "/lest", page=url)
        done = session.scalars(sa.select(Completion).where(Completion.user_id == leader.id,
                                                           Completion.course_id == course.id))
        assert len(done.all()) == position - 1
    assert session.scalar(sa.select(Certificate).join(Completion)
                          .where(Completion.user_id == leader.id)) is not None


@pytest.mark.parametrize("path", ["/kurs", "/kurs/it-i-hverdagen"])
def test_catalogue_pages_use_the_same_few_queries_whatever_the_data_size(
        client, session, login_as, count_queries, demo, path):
    demo()
    leader = session.scalar(sa.select(User).where(User.email == "leder@trondheim.example"))
    counts = []
    for extra in (0, 30):
        org = leader.organisation
        for i in range(extra):
            course = make_course(session, org=org, title=f"Ekstra {i}",
                                 audiences=["mellomleder"], modules=3)
            for _ in range(2):
                offering = make_offering(session, course=course, capacity=5)
                make_enrolment(session, offering, make_user(session, org=org))
        login_as(leader)
        with count_queries() as queries:
            assert client.get(path).status_code == 200
        counts.append(queries.count)
    assert counts[0] == counts[1] and counts[0] <= 8, counts

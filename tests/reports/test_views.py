"""The report pages: who may read them, what they show, the access log, the reminder."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from app.orm import utcnow
from app.outbox.models import OutboxEmail
from app.privacy.models import AccessLog, AccessLogSubject
from app.reports import landing
from app.reports.scope import Filters
from tests.factories import make_user
from tests.reports.builders import complete, make_world

PAGES = ["/rapporter", "/rapporter/dekning", "/rapporter/mangler", "/rapporter/utlop",
         "/rapporter/metodikk", "/rapporter/evalueringer", "/rapporter/trend"]


def test_a_participant_gets_403_on_every_report_page_and_file(session, client, login_as):
    world = make_world(session)
    login_as(world.staff[0])
    for url in [*PAGES, "/rapporter/eksport.xlsx", "/rapporter/eksport.pdf"]:
        assert client.get(url).status_code == 403, url
    assert client.get("/").status_code == 200
    assert "/rapporter" not in client.get("/").get_data(as_text=True)


def test_hr_reads_coverage_for_a_sector_and_drills_into_a_unit(session, client, login_as):
    world = make_world(session)
    complete(session, world.leaders[1], world.course, at=utcnow() - timedelta(days=3))
    login_as(world.hr)
    page = client.get("/rapporter/dekning")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Helse og velferd" in html and "Enhet 1" in html
    assert "1&#8239;/&#8239;3" in html and "33\u00a0% · lav" in html  # text, not colour alone
    assert "<svg" in html and "Vis tallene i diagrammet som tabell" in html
    unit = client.get(f"/rapporter/dekning?enhet={world.units[0].id}").get_data(as_text=True)
    assert "Enhet 1" in unit and "Enhet 2" not in unit
    people = client.get(f"/rapporter/dekning/kurs/{world.course.id}?enhet={world.units[1].id}"
                        "&status=missing").get_data(as_text=True)
    assert "Leder 2" in people and "Leder 1" not in people


def test_a_leader_sees_only_their_own_unit(session, client, login_as):
    world = make_world(session)
    login_as(world.leaders[1])
    assert "Kompetanserapporter" in client.get("/").get_data(as_text=True)
    html = client.get("/rapporter/dekning").get_data(as_text=True)
    assert "Enhet 1" in html and "Enhet 2" not in html and "Helse og velferd" not in html
    assert client.get(f"/rapporter/dekning?enhet={world.units[1].id}").status_code == 404
    gaps = client.get("/rapporter/mangler").get_data(as_text=True)
    assert "Leder 1" in gaps and "Leder 2" not in gaps


def test_every_view_is_written_to_the_access_log_with_filter_and_people(session, client,
                                                                        login_as):
    world = make_world(session)
    login_as(world.hr)
    client.get(f"/rapporter/mangler?niva=mellomleder&enhet={world.sector.id}")
    entry = session.scalars(sa.select(AccessLog).where(AccessLog.actor_id == world.hr.id)
                            .order_by(AccessLog.id.desc())).first()
    assert entry.kind == "reports.gaps"
    assert entry.filters == {"level": "mellomleder", "unit": world.sector.id}
    assert entry.row_count == 2
    named = set(session.scalars(sa.select(AccessLogSubject.user_id)
                                .where(AccessLogSubject.access_log_id == entry.id)))
    assert named == {world.leaders[1].id, world.leaders[2].id}


def test_a_bad_filter_shows_the_filters_again_with_the_field_marked(session, client,
                                                                   login_as):
    """From after to (easy with two date pickers) or a date typed into the address: the
    reader keeps their place and what they asked for, the field says what is wrong, and
    nothing is counted or logged."""
    world = make_world(session)
    login_as(world.hr)
    logged = session.scalar(sa.select(sa.func.count()).select_from(AccessLog))
    response = client.get("/rapporter/dekning?niva=mellomleder&fra=2026-12-31&til=2026-01-01")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Fra-datoen er etter til-datoen." in page and 'href="#fra"' in page
    assert 'id="fra" name="fra" value="2026-12-31" aria-invalid="true"' in page
    assert 'value="2026-01-01"' in page and '<option value="mellomleder" selected>' in page
    assert 'aria-current="page">Dekning' in page  # still on the coverage part

    page = client.get("/rapporter/mangler?til=31.12.2026").get_data(as_text=True)
    assert 'id="til" name="til" value="31.12.2026" aria-invalid="true"' in page
    assert "ÅÅÅÅ-MM-DD" in page
    assert client.get("/rapporter/dekning?niva=keiser").status_code == 400
    assert "Ukjent ledernivå." in client.get("/rapporter?niva=keiser").get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(AccessLog)) == logged


def test_a_reminder_goes_to_the_person_and_their_leader_once_a_day(session, client, web,
                                                                   login_as):
    world = make_world(session)
    employee_leader = world.leaders[1]
    login_as(world.hr)
    data = {"person": employee_leader.id, "course": world.course.id}
    response = web.post("/rapporter/mangler/paminnelse", data, page="/rapporter/mangler")
    assert response.status_code == 302
    sent = session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id)).all()
    assert [m.recipient for m in sent] == [employee_leader.email, world.sector_head.email]
    assert "IT i hverdagen" in sent[0].subject and employee_leader.name in sent[1].subject
    again = web.post("/rapporter/mangler/paminnelse", data, page="/rapporter/mangler",
                     follow_redirects=True)
    assert "allerede fått en påminnelse" in again.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)) == 2


def test_the_gaps_page_shows_who_already_has_a_seat_and_offers_them_no_reminder(
        session, client, login_as):
    from tests.enrolment.builders import make_enrolment, make_offering

    world = make_world(session)
    _head, leader1, leader2 = world.leaders
    offering = make_offering(session, course=world.course, capacity=5)
    make_enrolment(session, offering, leader1)
    login_as(world.hr)
    page = client.get("/rapporter/mangler").get_data(as_text=True)
    row = page.split(f">{leader1.name}</th>")[1].split("</tr>")[0]
    assert "Påmeldt" in row and "Har plass" in row and "Send påminnelse" not in row
    other = page.split(f">{leader2.name}</th>")[1].split("</tr>")[0]
    assert "(4 ledige)" in other and "Send påminnelse" in other


def test_a_reminder_needs_the_csrf_token_and_a_gap_in_reach(session, client, web, login_as):
    world = make_world(session)
    login_as(world.hr)
    data = {"person": world.leaders[1].id, "course": world.course.id}
    assert client.post("/rapporter/mangler/paminnelse", data=data).status_code == 400
    other = make_world(session)
    far = {"person": other.leaders[1].id, "course": other.course.id}
    assert web.post("/rapporter/mangler/paminnelse", far,
                    page="/rapporter/mangler").status_code == 404
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)) == 0


def test_the_landing_page_uses_a_fixed_number_of_statements(session, client, login_as,
                                                            count_queries):
    world = make_world(session)
    login_as(world.hr)
    client.get("/")
    landing.forget()
    with count_queries() as small:
        assert client.get("/rapporter").status_code == 200
    for i in range(5):
        make_user(session, unit=world.units[0], leader_level="forstelinjeleder",
                  name=f"Ny leder {i}")
    with count_queries() as large:
        client.get("/rapporter")
    assert small.count == large.count <= 8, small.statements
    with count_queries() as kept:  # the figures kept: only the page and the access log
        client.get("/rapporter")
    assert kept.count < large.count, kept.statements


def _landing_completed(html: str) -> list[int]:
    """The "completed" column of the landing page's coverage table."""
    return [int(n) for n in re.findall(r'<th scope="row">[^<]*</th><td class="num">(\d+)</td>',
                                       html)]


def test_the_landing_page_shows_a_new_completion_at_once_and_logs_every_view(
        session, client, login_as):
    world = make_world(session)
    login_as(world.hr)
    before = client.get("/rapporter").get_data(as_text=True)
    assert _landing_completed(before) == [0]
    assert "er høyst ett minutt gamle" in before
    complete(session, world.leaders[1], world.course, at=utcnow() - timedelta(days=1))
    assert _landing_completed(client.get("/rapporter").get_data(as_text=True)) == [1]
    client.get("/rapporter")  # the kept figures: still a view in the access log
    assert session.scalar(sa.select(sa.func.count()).select_from(AccessLog).where(
        AccessLog.kind == "reports.overview", AccessLog.actor_id == world.hr.id)) == 3


def test_the_landing_figures_markup_is_kept_with_them_per_language_and_filter(
        session, client, login_as):
    world = make_world(session)
    complete(session, world.leaders[1], world.course, at=utcnow() - timedelta(days=1))
    login_as(world.hr)
    landing.forget()
    first = client.get("/rapporter").get_data(as_text=True)
    assert client.get("/rapporter").get_data(as_text=True) == first  # the kept markup
    [kept] = landing._STORE.entries.values()
    assert len(kept.rendered) == 1
    narrow = client.get(f"/rapporter?enhet={world.units[1].id}").get_data(as_text=True)
    assert _landing_completed(first) == [1] and _landing_completed(narrow) == [0]
    assert f'name="enhet" value="{world.units[1].id}"' in narrow
    with client.session_transaction() as cookie:  # a language chosen without a write
        cookie["lang"] = "en"
    english = client.get("/rapporter").get_data(as_text=True)
    assert "Coverage of mandatory courses" in english
    assert "Dekning av obligatoriske kurs" not in english
    assert _landing_completed(english) == [1]
    assert len(kept.rendered) == 2  # the same figures, in both languages


def test_kept_landing_figures_are_per_reader_and_filter_and_at_most_a_minute_old(
        session, app, client, login_as):
    world = make_world(session)
    complete(session, world.leaders[1], world.course, at=utcnow() - timedelta(days=1))
    login_as(world.hr)
    wide = client.get("/rapporter").get_data(as_text=True)
    login_as(world.leaders[2])
    narrow = client.get("/rapporter").get_data(as_text=True)
    assert _landing_completed(wide) == [1] and _landing_completed(narrow) == [0]
    login_as(world.hr)
    for unit, completed in ((world.units[0], [1]), (world.units[1], [0])):
        html = client.get(f"/rapporter?enhet={unit.id}").get_data(as_text=True)
        assert _landing_completed(html) == completed
    # A write no ORM event sees (another worker's) shows after the minute.
    now = utcnow()
    with app.test_request_context():
        hr = session.get(type(world.hr), world.hr.id)
        first = landing.landing(session, hr, Filters(), now=now)
        # The page above may have computed the figures kept here, seconds ago on a busy
        # machine: the minute counts from then.
        kept_at = first.computed_at
        session.execute(sa.text("DELETE FROM completion"))
        assert landing.landing(session, hr, Filters(),
                               now=kept_at + timedelta(seconds=59)) is first
        later = landing.landing(session, hr, Filters(), now=kept_at + landing.MAX_AGE)
    assert later.coverage.total(world.course.id).completed == 0
    assert first.coverage.total(world.course.id).completed == 1

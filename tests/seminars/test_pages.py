"""The seminar list, a seminar's programme, the QR projector, and the demo gathering."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.catalogue.models import Course
from app.enrolment.models import Enrolment, Offering
from app.orm import utcnow
from app.seminars.checkin_tokens import read_token
from app.seminars.demo import TITLE as DEMO_TITLE
from app.seminars.models import Attendance, Participant
from tests.factories import make_user
from tests.seminars.builders import enrol, enrol_many, make_seminar, organiser_of


def test_the_list_shows_published_seminars_and_the_readers_own_status(client, session,
                                                                      login_as):
    coming = make_seminar(session, start=utcnow() + timedelta(days=5), offering_title="Vår")
    past = make_seminar(session, org=coming.organisation, start=utcnow() - timedelta(days=40),
                        offering_title="Høst")
    draft = make_seminar(session, org=coming.organisation, offering_title="Utkast")
    draft.status = "draft"
    kari = login_as(make_user(session, org=coming.organisation))
    enrol(session, coming, kari)
    page = client.get("/samlinger").get_data(as_text=True)
    assert page.index("Kommende samlinger") < page.index("Vår") < page.index(
        "Tidligere samlinger") < page.index("Høst")
    assert "Du er påmeldt" in page and "Utkast" not in page
    assert client.get(f"/samlinger/{draft.id}").status_code == 404
    login_as(organiser_of(session, draft))
    assert "Utkast" in client.get("/samlinger").get_data(as_text=True)
    assert client.get(f"/samlinger/{draft.id}").status_code == 200
    assert past.id


def test_the_programme_lists_every_session_by_day_with_time_room_and_speaker(client, session,
                                                                            login_as):
    offering = make_seminar(session, sessions=3, gap=timedelta(hours=20),
                            start=utcnow() + timedelta(days=2))
    kari = login_as(make_user(session))
    enrol(session, offering, kari)
    page = client.get(f"/samlinger/{offering.id}").get_data(as_text=True)
    assert page.count("programme__session") == 3
    assert page.count("<h3 class=\"ds-heading\" data-size=\"sm\">") >= 2  # two days or more
    assert "Rom: Bystyresalen" in page and "Foredragsholder: Kari Lund" in page
    assert "Du er påmeldt denne samlingen." in page
    assert "/oppmote" not in page and "/qr" not in page  # no organiser tools for her


def test_a_leader_enrols_from_the_programme_and_gets_the_calendar_file(web, client, session,
                                                                      login_as):
    offering = make_seminar(session, sessions=2, start=utcnow() + timedelta(days=5))
    kari = login_as(make_user(session, org=offering.organisation))
    page = client.get(f"/samlinger/{offering.id}").get_data(as_text=True)
    assert "Meld meg på" in page and "kalender.ics" not in page
    response = web.post(f"/tilbud/{offering.id}/pamelding", {"next": f"/samlinger/{offering.id}"})
    assert response.headers["Location"].endswith(f"/samlinger/{offering.id}")
    enrolment = session.scalar(sa.select(Enrolment).where(Enrolment.user_id == kari.id))
    assert enrolment.status == "enrolled"
    page = client.get(f"/samlinger/{offering.id}").get_data(as_text=True)
    assert "Du er påmeldt denne samlingen." in page and "Meld meg på" not in page
    assert f"/pameldinger/{enrolment.id}/kalender.ics" in page


def test_enrolment_closes_with_the_start_and_the_page_says_so(client, session, login_as):
    offering = make_seminar(session, start=utcnow() + timedelta(minutes=-5))
    login_as(make_user(session, org=offering.organisation))
    page = client.get(f"/samlinger/{offering.id}").get_data(as_text=True)
    assert "Påmeldingen er stengt." in page and "Meld meg på" not in page


def test_each_session_names_the_toolbox_templates_it_reviews(client, session, login_as, app):
    from app.toolbox.models import toolbox_item_session
    from tests.factories import make_org
    from tests.toolbox.builders import make_item

    offering = make_seminar(session, sessions=2, start=utcnow() + timedelta(days=5))
    root = app.config["KURS_STORAGE_DIR"]
    plan = make_item(session, offering.organisation, root, title="Gevinstrealiseringsplan")
    foreign = make_item(session, make_org(session), root, title="Fremmed mal")
    first = offering.sessions[0]
    session.execute(toolbox_item_session.insert(), [
        {"item_id": plan.id, "session_id": first.id},
        {"item_id": foreign.id, "session_id": first.id},
    ])
    login_as(make_user(session, org=offering.organisation))
    page = client.get(f"/samlinger/{offering.id}").get_data(as_text=True)
    section = page.split(f'id="okt-{first.id}"')[1].split("</li>")[0]
    assert "Maler fra verktøykassen:" in section
    assert f'href="/verktoykasse/{plan.id}"' in section
    assert "Fremmed mal" not in page  # another organisation's template is not offered
    assert page.count("Maler fra verktøykassen:") == 1


def test_the_kept_programme_follows_every_change_and_each_readers_own_view(
        client, session, login_as, app):
    """The programme's markup is kept between requests (app.seminars.fragments): a changed
    room shows at once, and neither organiser tools nor another organisation's templates
    reach a reader who may not have them, whoever looked first."""
    from app.toolbox.models import toolbox_item_session
    from tests.factories import make_org
    from tests.toolbox.builders import make_item

    offering = make_seminar(session, sessions=1, start=utcnow() + timedelta(days=5))
    offering.open_to_partners = True
    partner_org = make_org(session)
    root = app.config["KURS_STORAGE_DIR"]
    own = make_item(session, offering.organisation, root, title="Gevinstrealiseringsplan")
    theirs = make_item(session, partner_org, root, title="Partnerens mal")
    session.execute(toolbox_item_session.insert(), [
        {"item_id": own.id, "session_id": offering.sessions[0].id},
        {"item_id": theirs.id, "session_id": offering.sessions[0].id},
    ])
    grid = f"/samlinger/okter/{offering.sessions[0].id}/oppmote"
    pages = {}
    for name, person in (("organiser", organiser_of(session, offering)),
                         ("colleague", make_user(session, org=offering.organisation)),
                         ("partner", make_user(session, org=partner_org))):
        login_as(person)
        pages[name] = client.get(f"/samlinger/{offering.id}").get_data(as_text=True)
    assert grid in pages["organiser"] and grid not in pages["colleague"] + pages["partner"]
    assert "Gevinstrealiseringsplan" in pages["colleague"]
    assert "Partnerens mal" not in pages["colleague"]
    assert "Partnerens mal" in pages["partner"]
    assert "Gevinstrealiseringsplan" not in pages["partner"]

    offering.sessions[0].room = "Møterom Nidelva"
    session.flush()
    page = client.get(f"/samlinger/{offering.id}").get_data(as_text=True)
    assert "Rom: Møterom Nidelva" in page and "Bystyresalen" not in page


def test_organisers_get_attendance_qr_and_sign_in_sheet_per_session(client, session, login_as):
    offering = make_seminar(session, sessions=2)
    login_as(organiser_of(session, offering))
    page = client.get(f"/samlinger/{offering.id}").get_data(as_text=True)
    for s in offering.sessions:
        assert f"/samlinger/okter/{s.id}/oppmote" in page
        assert f"/samlinger/okter/{s.id}/qr" in page
        assert f"/samlinger/okter/{s.id}/signaturliste.pdf" in page


def test_list_and_programme_cost_the_same_statements_at_two_sizes(client, session, login_as,
                                                                  count_queries):
    def statements(n):
        offering = make_seminar(session, sessions=n)
        enrol_many(session, offering, n)
        login_as(organiser_of(session, offering))
        with count_queries() as listing:
            assert client.get("/samlinger").status_code == 200
        with count_queries() as programme:
            assert client.get(f"/samlinger/{offering.id}").status_code == 200
        return listing.count, programme.count

    small, large = statements(2), statements(12)
    assert small == large
    assert max(small) <= 8


def test_the_projector_shows_a_qr_code_that_the_json_refreshes(app, client, session,
                                                               login_as):
    offering = make_seminar(session)
    [s] = offering.sessions
    login_as(organiser_of(session, offering))
    page = client.get(f"/samlinger/okter/{s.id}/qr").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    assert "checkin-projector.js" in page and "<script>" not in page
    state = client.get(f"/samlinger/okter/{s.id}/qr.json").get_json()
    assert state["open"] and state["qr"].startswith("data:image/svg+xml")
    token = state["url"].rsplit("/checkin/", 1)[1]
    assert read_token(app.config["SECRET_KEY"], token, utcnow(), 300).session_id == s.id
    assert 1 <= state["next_change_in"] <= 61


def test_the_projector_says_when_check_in_opens(client, session, login_as):
    offering = make_seminar(session, start=utcnow() + timedelta(days=2))
    login_as(organiser_of(session, offering))
    state = client.get(f"/samlinger/okter/{offering.sessions[0].id}/qr.json").get_json()
    assert state["open"] is False and state["qr"] is None
    assert state["message"].startswith("Innsjekkingen åpner ")


def test_the_demo_gathering_has_forty_people_first_day_attendance_and_two_externals(session,
                                                                                   demo):
    demo()
    seminar_enrolments = (
        sa.select(sa.func.count()).select_from(Enrolment)
        .join(Offering, Enrolment.offering_id == Offering.id)
        .join(Course, Offering.course_id == Course.id)
        .where(Course.slug == "prosjektledersamling", Offering.title == DEMO_TITLE)
    )
    counts = (session.scalar(seminar_enrolments),
              session.scalar(sa.select(sa.func.count()).select_from(Attendance)),
              session.scalar(sa.select(sa.func.count()).select_from(Participant)))
    assert counts[0] == 40 and counts[1] > 0
    externals = set(session.scalars(sa.select(Participant.organisation_name)))
    assert externals == {"Statsforvalteren i Trøndelag", "Trøndelag fylkeskommune"}
    demo()  # again: nothing new
    assert counts == (session.scalar(seminar_enrolments),
                      session.scalar(sa.select(sa.func.count()).select_from(Attendance)),
                      session.scalar(sa.select(sa.func.count()).select_from(Participant)))

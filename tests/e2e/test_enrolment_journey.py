"""A leader finds a course for her level, enrols, gets the invite, cancels, and the first
person on the waitlist is promoted and told; a leader decides a request from the home
page. axe checks WCAG 2.1 AA on every page on the way.

The journeys change data, so they run against their own server and database (the demo
data, loaded today), not the shared one of the other journeys.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from icalendar import Calendar
from playwright.sync_api import Page, expect

from app.demo import people
from app.enrolment.models import Enrolment, Offering
from app.extensions import db
from app.outbox.models import OutboxEmail
from tests.e2e.test_journeys import assert_accessible
from tests.live import served_app

LEADER = "leder@trondheim.example"
ORGANISER = "arrangor@trondheim.example"
COURSE = "IT i hverdagen – strategisk IT-kompetanse for ledere"  # kurs/it-i-hverdagen


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with served_app(tmp_path_factory.mktemp("enrolment-journey"), "journey",
                    demo=True) as served:
        yield served


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(people.DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hei,")


def mail_to(app, email: str) -> list[OutboxEmail]:
    with app.app_context():
        messages = db.session.scalars(sa.select(OutboxEmail).where(OutboxEmail.recipient == email)
                                      .order_by(OutboxEmail.id)).all()
        db.session.expunge_all()
        return messages


def test_a_leader_enrols_gets_the_invite_cancels_and_the_waitlisted_is_promoted(
        page: Page, browser, server):
    app, base = server
    log_in(page, base, LEADER)
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Kurs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kurs og samlinger")
    assert_accessible(page)

    # Find a course for her level.
    page.get_by_text("Flere filtre").click()
    page.get_by_label("Målgruppe").select_option("mellomleder")
    page.get_by_role("button", name="Vis kurs").click()
    card = page.locator(".course-card", has_text="IT i hverdagen")
    expect(card.get_by_text("Obligatorisk for deg")).to_be_visible()
    expect(page.locator(".course-card", has_text="Prosjektledersamling")).to_have_count(0)
    card.get_by_role("link", name=COURSE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE)
    assert_accessible(page)

    # The last seat at Heimdal.
    heimdal = page.locator("li.offering", has_text="Heimdal")
    expect(heimdal).to_contain_text("1 ledig plass")
    heimdal.get_by_role("button", name="Meld meg på").click()
    expect(page.get_by_role("status").filter(has_text="Du er påmeldt")).to_be_visible()
    page.locator("li.offering", has_text="Heimdal").get_by_role("link").first.click()
    expect(page.get_by_text("Påmeldt", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Last ned kalenderfil (.ics)")).to_be_visible()
    assert_accessible(page)
    offering_url = page.url

    invite = mail_to(app, LEADER)[-1]
    assert invite.subject == f"Påmeldt: {COURSE}"
    assert invite.calendar_method == "REQUEST"
    (event,) = Calendar.from_ical(invite.calendar).walk("VEVENT")
    assert "Heimdal" in str(event["LOCATION"])

    # Someone else finds it full and joins the waitlist.
    other = browser.new_context(locale="nb-NO", timezone_id="Europe/Oslo").new_page()
    log_in(other, base, ORGANISER)
    other.goto(offering_url)
    other.get_by_role("button", name="Sett meg på venteliste").click()
    expect(other.get_by_role("status").filter(has_text="nummer 1 på ventelisten")) \
        .to_be_visible()

    # She cancels; the seat goes to the first person waiting, in the same transaction.
    page.reload()
    page.get_by_role("button", name="Meld meg av").click()
    expect(page.get_by_role("status").filter(has_text="Du er avmeldt")).to_be_visible()
    assert mail_to(app, LEADER)[-1].calendar_method == "CANCEL"
    other.reload()
    expect(other.get_by_text("Påmeldt", exact=True)).to_be_visible()
    told = mail_to(app, ORGANISER)[-1]
    assert told.subject == f"Du har fått plass: {COURSE}"
    assert told.calendar_method == "REQUEST"
    with app.app_context():
        offering_id = int(offering_url.rsplit("/", 1)[1])
        assert db.session.get(Offering, offering_id).taken == 10
    other.context.close()


def test_a_leader_approves_a_request_from_her_home_page(page: Page, server):
    app, base = server
    log_in(page, base, LEADER)
    alert = page.get_by_role("status").filter(has_text="venter på deg")
    expect(alert).to_be_visible()
    assert_accessible(page)
    alert.get_by_role("link", name="Godkjenn eller avslå").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forespørsler til godkjenning")
    assert_accessible(page)
    page.get_by_role("button", name="Godkjenn").first.click()
    expect(page.get_by_role("status").filter(has_text="Godkjent")).to_be_visible()
    expect(page.get_by_text("Ingen forespørsler venter på deg.")).to_be_visible()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)
                                 .where(Enrolment.status == "requested")) == 0


def test_the_catalogue_and_a_course_work_on_a_phone(page: Page, server):
    _app, base = server
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, base, LEADER)
    for path in ("/kurs", "/kurs/prosjektledersamling", "/"):
        page.goto(base + path)
        assert_accessible(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"

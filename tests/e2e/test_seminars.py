"""An organiser runs a gathering from the browser: the grid on a phone, marks, the QR code
on the projector, a participant checking in through the code's address with a login, the
sign-in sheet read back with pdftotext, and the attendance rule met in the report.

The server runs the demo data plus a gathering whose only session is under way now (so that
check-in is open whenever the suite runs).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.accounts.models import User
from app.catalogue.models import Course
from app.certificates.models import Certificate, Completion
from app.demo import people
from app.enrolment.models import CourseSession, Enrolment, Offering
from app.extensions import db
from app.orm import utcnow
from app.seminars.models import Attendance, Participant
from tests.e2e.test_journeys import assert_accessible, log_in
from tests.live import served_app

TODAY_TITLE = "Dagssamling i dag"
SESSION_TITLE = "Gevinstrealisering i praksis"


def _gathering_now(session) -> None:
    """A one-session gathering under way, the demo leader and 29 others enrolled."""
    course = session.scalar(sa.select(Course).where(Course.slug == "prosjektledersamling"))
    start = utcnow() - timedelta(minutes=5)
    offering = Offering(course_id=course.id, organisation_id=course.organisation_id,
                        title=TODAY_TITLE, status="published", location="Rådhuset",
                        starts_at=start, ends_at=start + timedelta(hours=3))
    offering.sessions.append(CourseSession(title=SESSION_TITLE, starts_at=start,
                                           ends_at=start + timedelta(hours=3),
                                           room="Bystyresalen", speaker="Jon Moe"))
    session.add(offering)
    session.flush()
    leader = session.scalar(sa.select(User).where(User.email == "leder@trondheim.example"))
    others = session.scalars(
        sa.select(User).where(User.organisation_id == course.organisation_id,
                              User.id != leader.id, User.password_hash.is_(None))
        .order_by(User.id).limit(29)
    ).all()
    for person in [leader, *others]:
        session.add(Enrolment(offering_id=offering.id, user_id=person.id, status="enrolled"))
    offering.taken = 30
    session.add_all([
        Participant(offering_id=offering.id, name="Áile Hætta",
                    organisation_name="Statsforvalteren i Trøndelag"),
        Participant(offering_id=offering.id, name="Čđŋŧ Ŋuolgu",
                    organisation_name="Trøndelag fylkeskommune"),
    ])
    session.flush()


@pytest.fixture(scope="module")
def seminar_live(tmp_path_factory):
    """The app and the address of its server."""
    with served_app(tmp_path_factory.mktemp("seminar-live"), "e2e_seminar",
                    demo=True) as (app, base):
        with app.app_context():
            _gathering_now(db.session)
            db.session.commit()
        app.config["KURS_BASE_URL"] = base  # the address the QR code encodes
        yield app, base


@pytest.fixture(scope="module")
def seminar_server(seminar_live):
    return seminar_live[1]


def open_grid(page: Page, base: str) -> None:
    page.goto(base + "/samlinger")
    page.get_by_role("link", name=re.compile(TODAY_TITLE)).click()
    page.get_by_role("link", name=f"Oppmøte – {SESSION_TITLE}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Oppmøte: {SESSION_TITLE}")


def row(page: Page, name: str):
    return page.locator(".attendance-row", has=page.get_by_text(name, exact=True))


def test_the_organiser_marks_people_on_a_phone_by_search_tap_and_key(page: Page,
                                                                       seminar_server):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, seminar_server, "arrangor@trondheim.example")
    open_grid(page, seminar_server)
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator("[data-count=total]")).to_have_text("32")

    search = page.get_by_label("Søk etter navn")
    search.fill("aile hæ")  # accents are ignored: finds Áile Hætta
    expect(page.locator(".attendance-row:visible")).to_have_count(1)
    aile = row(page, "Áile Hætta")
    aile.get_by_role("button", name="Til stede").click()
    expect(aile.get_by_role("button", name="Til stede")).to_have_attribute("aria-pressed",
                                                                            "true")
    expect(page.locator("#grid-message")).to_have_text("Áile Hætta: Til stede")

    search.fill("Čđŋ")
    search.press("ArrowDown")  # to the first person's buttons, then one key
    page.keyboard.press("2")
    cadnt = row(page, "Čđŋŧ Ŋuolgu")
    expect(cadnt.get_by_role("button", name="For sent")).to_have_attribute("aria-pressed",
                                                                           "true")
    expect(page.locator("[data-count=present]")).to_have_text("1")
    expect(page.locator("[data-count=late]")).to_have_text("1")

    page.reload()  # every mark was saved as it was made
    expect(row(page, "Čđŋŧ Ŋuolgu").get_by_role("button", name="For sent")).to_have_attribute(
        "aria-pressed", "true")


def test_a_participant_scans_logs_in_and_checks_in_with_one_tap(page: Page, browser,
                                                                 seminar_server):
    log_in(page, seminar_server, "arrangor@trondheim.example")
    page.clock.install()
    open_grid(page, seminar_server)
    page.get_by_role("link", name="Vis QR-kode for innsjekking").click()
    qr = page.get_by_role("img", name=re.compile("QR-kode for innsjekking"))
    expect(qr).to_be_visible()
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert_accessible(page)
    address = page.locator("#checkin-url").get_attribute("href")
    assert address.startswith(seminar_server + "/checkin/")

    # The code is refreshed without reloading the page.
    page.evaluate("window.notReloaded = true")
    page.route("**/qr.json", lambda route: route.fulfill(
        json={"open": True, "qr": "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/"
              "svg'/%3E", "url": address, "checked_in": 7, "message": "",
              "next_change_in": 60}))
    page.clock.run_for(61_000)
    expect(page.locator("[data-checked-in]")).to_have_text("7")
    expect(qr).to_have_attribute("src", re.compile("^data:image/svg\\+xml,%3Csvg"))
    assert page.evaluate("window.notReloaded") is True

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="nb-NO")
    scan = phone.new_page()
    scan.goto(address)
    expect(scan.get_by_role("heading", name=SESSION_TITLE)).to_be_visible()
    scan.get_by_role("link", name="Logg inn").click()
    scan.get_by_label("E-postadresse").fill("leder@trondheim.example")
    scan.get_by_label("Passord").fill(people.DEMO_PASSWORD)
    scan.get_by_role("button", name="Logg inn").click()
    expect(scan).to_have_url(address)
    assert_accessible(scan)
    scan.get_by_role("button", name="Registrer oppmøte").click()
    expect(scan.get_by_role("status")).to_have_text("Du er registrert som til stede.")
    assert_accessible(scan)
    scan.goto(address)  # a second scan
    expect(scan.get_by_role("status")).to_have_text("Du er allerede registrert på denne økta.")
    phone.close()

    page.unroute("**/qr.json")
    open_grid(page, seminar_server)
    leader = row(page, "Ingrid Hansen Berg")
    expect(leader.get_by_role("button", name="Til stede")).to_have_attribute("aria-pressed",
                                                                             "true")


def test_a_forged_or_expired_code_is_refused_with_a_clear_message(page: Page,
                                                                   seminar_server):
    log_in(page, seminar_server, "leder@trondheim.example")
    page.goto(seminar_server + "/checkin/eyJzIjoxfQ.forged.signature")
    expect(page.get_by_role("alert")).to_contain_text("QR-koden er ugyldig")
    expect(page.get_by_text("Ingenting er registrert.")).to_be_visible()
    assert_accessible(page)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_sign_in_sheet_prints_and_the_report_shows_the_rule_met(page: Page,
                                                                    seminar_server):
    log_in(page, seminar_server, "arrangor@trondheim.example")
    open_grid(page, seminar_server)
    link = page.get_by_role("link", name="Signaturliste (PDF)")
    response = page.request.get(seminar_server + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.body(),
                          capture_output=True, check=True).stdout.decode()
    assert "Signaturliste" in text and SESSION_TITLE in text
    assert "Áile Hætta" in text and "Čđŋŧ Ŋuolgu" in text and "Ingrid Hansen Berg" in text
    assert "Side 1 av" in text and "Signatur" in text

    # Mark Ingrid (she may already have checked in) and read the report.
    leader = row(page, "Ingrid Hansen Berg")
    leader.get_by_role("button", name="Til stede").click()
    expect(leader.get_by_role("button", name="Til stede")).to_have_attribute("aria-pressed",
                                                                             "true")
    page.get_by_role("link", name="Tilbake til programmet").click()
    page.get_by_role("link", name="Oppmøterapport").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oppmøterapport")
    ingrid = page.get_by_role("row", name=re.compile("Ingrid Hansen Berg"))
    expect(ingrid).to_contain_text("100 %")
    expect(ingrid.get_by_role("cell").last).to_have_text("Ja")
    assert_accessible(page)


def test_each_participants_completion_follows_from_the_marks(page: Page, seminar_live):
    """The gathering completes on attendance alone: whom the organiser marks present is
    completed (and gets a certificate) once the job runner has run; whom she marks absent
    is not."""
    app, base = seminar_live
    with app.app_context():
        offering = db.session.scalar(sa.select(Offering).where(Offering.title == TODAY_TITLE))
        came, stayed_away = db.session.scalars(
            sa.select(User).join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.offering_id == offering.id,
                   User.email != "leder@trondheim.example")
            .order_by(User.id).limit(2)
        ).all()
        course_id, came_name, away_name = offering.course_id, came.name, stayed_away.name
        ids = (came.id, stayed_away.id)

    log_in(page, base, "arrangor@trondheim.example")
    open_grid(page, base)
    for name, button in ((came_name, "Til stede"), (away_name, "Ikke møtt")):
        page.get_by_label("Søk etter navn").fill(name)
        person = row(page, name)
        person.get_by_role("button", name=button).click()
        expect(person.get_by_role("button", name=button)).to_have_attribute("aria-pressed",
                                                                            "true")

    result = app.test_cli_runner().invoke(args=["jobs", "run", "--once"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        completed = set(db.session.scalars(
            sa.select(Completion.user_id).where(Completion.course_id == course_id,
                                                Completion.user_id.in_(ids))))
        certified = set(db.session.scalars(
            sa.select(Completion.user_id).join(Certificate,
                                               Certificate.completion_id == Completion.id)
            .where(Completion.course_id == course_id, Completion.user_id.in_(ids))))
    assert completed == certified == {ids[0]}


def test_two_organisers_marking_one_person_lose_no_mark(page: Page, browser, seminar_live):
    """Two tablets at the door: the second tap, made on a screen that had not seen the first,
    is not applied; it shows the mark that holds and who made it."""
    app, base = seminar_live
    with app.app_context():
        offering = db.session.scalar(sa.select(Offering).where(Offering.title == TODAY_TITLE))
        unmarked = ~sa.exists().where(Attendance.user_id == User.id,
                                      Attendance.session_id == offering.sessions[0].id)
        person = db.session.scalars(
            sa.select(User).join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.offering_id == offering.id, unmarked)
            .order_by(User.id.desc()).limit(1)
        ).one()
        name, person_id, session_id = person.name, person.id, offering.sessions[0].id

    second = browser.new_context(locale="nb-NO", timezone_id="Europe/Oslo").new_page()
    for tablet in (page, second):
        log_in(tablet, base, "arrangor@trondheim.example")
        open_grid(tablet, base)
        tablet.get_by_label("Søk etter navn").fill(name)
    row(page, name).get_by_role("button", name="Til stede").click()
    expect(page.locator("#grid-message")).to_have_text(f"{name}: Til stede")

    stale = row(second, name)
    stale.get_by_role("button", name="Ikke møtt").click()
    expect(second.locator("#grid-message")).to_contain_text("Noen andre registrerte")
    expect(second.locator("#grid-message")).to_contain_text("Til stede (Ola Strand)")
    expect(stale.get_by_role("button", name="Til stede")).to_have_attribute("aria-pressed",
                                                                            "true")
    assert_accessible(second)
    with app.app_context():
        mark = db.session.execute(
            sa.select(Attendance.status, Attendance.version)
            .where(Attendance.session_id == session_id, Attendance.user_id == person_id)
        ).one()
    assert tuple(mark) == ("present", 1)

    # Now that the second screen shows the current value, a tap there is applied.
    stale.get_by_role("button", name="Ikke møtt").click()
    expect(stale.get_by_role("button", name="Ikke møtt")).to_have_attribute("aria-pressed",
                                                                            "true")
    second.context.close()


#: Each word of the first text of the page's title that is split over two lines (a word
#: with a hyphen may break at it).
_WORDS_BROKEN_IN_TITLE = """() => {
  const text = document.querySelector('h1').firstChild;
  const range = document.createRange();
  const broken = [];
  let at = 0;
  for (const part of text.textContent.split(/(\\s+)/)) {
    if (part.trim() && !part.includes('-')) {
      range.setStart(text, at);
      range.setEnd(text, at + part.length);
      const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(part);
    }
    at += part.length;
  }
  return broken;
}"""


def test_the_programme_title_keeps_its_long_words_whole_on_a_small_phone(page: Page,
                                                                        seminar_server):
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, seminar_server, "leder@trondheim.example")
    page.goto(seminar_server + "/samlinger")
    page.get_by_role("link", name=re.compile(TODAY_TITLE)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Prosjektledersamling")
    assert page.evaluate(_WORDS_BROKEN_IN_TITLE) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

"""Each demo user logs in, switches language and logs out; axe finds no WCAG 2.1 AA
violation on any page they see."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from app.demo import people

LOGINS = [(login[0], login[1]) for login in people.DEMO_LOGINS]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_accessible(page: Page) -> None:
    results = Axe().run(page, options=WCAG)
    violations = results.response["violations"]
    assert violations == [], [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations
    ]


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(people.DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()


@pytest.mark.parametrize(("email", "name"), LOGINS)
def test_each_demo_user_logs_in_switches_language_and_logs_out(page: Page, live_server,
                                                               email, name):
    page.goto(live_server + "/login")
    assert_accessible(page)
    log_in(page, live_server, email)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hei, {name.split()[0]}")
    assert_accessible(page)

    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min profil")
    assert_accessible(page)

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)
    page.get_by_role("button", name="Norsk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min profil")

    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logg inn")


def test_a_wrong_password_is_announced_and_focus_moves_to_the_summary(page: Page,
                                                                      live_server):
    page.goto(live_server + "/login")
    page.get_by_label("E-postadresse").fill("leder@trondheim.example")
    page.get_by_label("Passord").fill("feil passord")
    page.get_by_role("button", name="Logg inn").click()
    summary = page.get_by_role("alert").filter(has_text="Feil e-postadresse eller passord.")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert_accessible(page)


def test_the_footer_pages_are_accessible_on_a_phone(page: Page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    for path, heading in (("/personvern", "Personvernerklæring"),
                          ("/tilgjengelighet", "Tilgjengelighetserklæring")):
        page.goto(live_server + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"


def test_the_admin_sees_the_outbox_and_the_jobs(page: Page, live_server):
    log_in(page, live_server, "admin@trondheim.example")
    page.get_by_role("link", name="Utboks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Utboks for e-post")
    assert_accessible(page)
    page.get_by_role("link", name="Jobber").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jobber")
    assert_accessible(page)

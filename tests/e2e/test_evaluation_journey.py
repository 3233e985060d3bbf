"""A leader answers the evaluation after a course; the organiser sees the result only once
five have answered. Checked with axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.evaluation import demo
from tests.e2e.test_journeys import assert_accessible, log_in
from tests.live import served_app

COURSE = "IT i hverdagen – strategisk IT-kompetanse for ledere"  # kurs/it-i-hverdagen
NOT_YET = "Resultatene vises når minst 5 deltakere på samme gjennomføring har svart."


@pytest.fixture(scope="module")
def evaluation_server(tmp_path_factory):
    """The demo: the course from kurs/it-i-hverdagen and the evaluation demo's two
    offerings."""
    with served_app(tmp_path_factory.mktemp("evaluation-live"), "e2e_eval",
                    demo=True) as (_app, base):
        yield base


def open_recent_offering(page: Page, base: str) -> None:
    page.get_by_role("link", name="Evalueringsresultater").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evalueringsresultater")
    page.get_by_role("link", name=COURSE, exact=True).click()
    page.get_by_role("link", name="Høstkurs, Byåsen (evaluering pågår)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Høstkurs, Byåsen (evaluering pågår)")


def test_a_leader_answers_and_the_organiser_sees_the_result_once_five_have(
    page: Page, evaluation_server
):
    base = evaluation_server
    # Four have answered: the organiser sees why there is nothing yet.
    log_in(page, base, "arrangor@trondheim.example")
    open_recent_offering(page, base)
    expect(page.get_by_text(NOT_YET)).to_be_visible()
    expect(page.get_by_text("Så langt har 4 svart.")).to_be_visible()
    assert page.locator("svg").count() == 0
    assert_accessible(page)
    page.get_by_role("button", name="Logg ut").click()

    # The leader answers from the home page, on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, base, "leder@trondheim.example")
    expect(page.get_by_role("heading", name="Du har 1 evaluering å svare på")).to_be_visible()
    page.get_by_role("link", name=f"Hva syntes du om {COURSE}?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Evaluering av {COURSE}")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Send svaret").click()
    summary = page.get_by_role("alert").filter(has_text="Dette må rettes")
    expect(summary).to_be_focused()
    assert_accessible(page)

    page.get_by_role("group", name="Hvor relevant var kurset for arbeidet ditt?").get_by_label(
        "5"
    ).check()
    page.get_by_role(
        "group", name="Hvor nyttig er det du lærte i hverdagen din som leder?"
    ).get_by_label("4").check()
    page.get_by_role("group", name="Hvor god var undervisningen?").get_by_label("4").check()
    page.get_by_role(
        "group", name="Hvor sannsynlig er det at du vil anbefale kurset til en annen leder?"
    ).get_by_label("9", exact=True).check()
    page.get_by_role("group", name=demo.OWN_QUESTION).get_by_label("3").check()
    page.get_by_label("Hva var best, og hva kan bli bedre?").fill("Konkret og nyttig.")
    page.get_by_role("button", name="Send svaret").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Takk, du har svart")
    expect(page.get_by_text("9 / 10")).to_be_visible()
    assert_accessible(page)
    page.goto(base + "/")
    expect(page.get_by_text("evaluering å svare på")).to_have_count(0)
    page.get_by_role("button", name="Logg ut").click()

    # Five have answered: the organiser now sees the figures, charts and comments.
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "arrangor@trondheim.example")
    open_recent_offering(page, base)
    expect(page.get_by_text("Bygger på 5 svar.")).to_be_visible()
    expect(page.get_by_text(NOT_YET)).to_have_count(0)
    expect(page.get_by_role("img", name="Svar fordelt på verdi")).to_be_visible()
    expect(page.get_by_text("Konkret og nyttig.")).to_be_visible()
    page.get_by_text("Vis tallene i diagrammet som tabell").first.click()
    expect(page.get_by_role("table").first).to_be_visible()
    assert_accessible(page)

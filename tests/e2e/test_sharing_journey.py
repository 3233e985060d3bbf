"""The journey of issue 7, in a browser: an editor at the county publishes a module to the
partners; an editor in Trondheim imports it and the course is offered; the county
publishes version 1.1; Trondheim sees the notice and the diff and updates, and every
enrolment survives. axe checks each page on the way."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.accounts.models import User
from app.catalogue.models import Course
from app.demo import people
from app.enrolment.models import Enrolment, EnrolmentStatus, Offering
from app.extensions import db
from tests.e2e.test_journeys import assert_accessible
from tests.live import served_app

TITLE = "Deling av data mellom kommune og fylke"


@pytest.fixture(scope="module")
def sharing_server(tmp_path_factory):
    """Its own server and database: this journey publishes and imports, which the other
    journeys must not see."""
    with served_app(tmp_path_factory.mktemp("sharing"), "e2e_sharing",
                    demo=True) as (app, base):
        yield base, app


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(people.DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hei")


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Logg ut").click()


def flash(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def publish(page: Page, note: str) -> None:
    page.get_by_label("Hva er endret?").fill(note)
    page.get_by_role("button", name="Publiser", exact=True).click()


def test_a_county_module_is_shared_imported_offered_updated_and_enrolments_survive(
        page: Page, sharing_server):
    base, app = sharing_server

    # The county's editor writes a new package and publishes it to the partners.
    log_in(page, base, "redaktor@trondelag.example")
    page.get_by_role("link", name="Deling", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deling av kurs")
    assert_accessible(page)
    page.get_by_role("link", name="Ny kurspakke").click()
    page.get_by_label("Tittel").fill(TITLE)
    page.get_by_role("button", name="Opprett pakken").click()
    flash(page, "Pakken er opprettet")
    page.get_by_label("Sammendrag").fill("Hvorfor og hvordan kommunen og fylket deler data.")
    page.get_by_role("button", name="Lagre detaljene").click()
    flash(page, "Detaljene er lagret")
    page.get_by_role("link", name="Ny modul").click()
    page.get_by_label("Tittel på modulen").fill("Hvorfor dele data")
    page.get_by_label("Beregnet tid i minutter").fill("10")
    page.get_by_label("Tekst (Markdown)").fill(
        "## Én gang er nok\n\nInnbyggerne skal bare måtte gi en opplysning én gang.\n")
    expect(page.locator("#module-preview h2")).to_have_text("Én gang er nok")
    assert_accessible(page)
    page.get_by_role("button", name="Lagre i utkastet").click()
    flash(page, "er lagret i utkastet")
    page.get_by_role("link", name=f"Rediger {TITLE}").click()
    assert_accessible(page)
    publish(page, "Første versjon.")
    flash(page, "Versjon 1.0.0 er publisert.")
    log_out(page)

    # Trondheim's editor finds it in the catalogue and imports it.
    log_in(page, base, "redaktor@trondheim.example")
    page.get_by_role("link", name="Deling", exact=True).click()
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Trøndelag fylkeskommune")
    row.get_by_role("button", name=re.compile("^Importer")).click()
    flash(page, "er importert som kurset")
    assert_accessible(page)
    log_out(page)

    # The municipality offers the imported course; a leader enrols.
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(
            Course.title == TITLE, Course.source_version == "1.0.0",
            Course.organisation.has(slug="trondheim")))
        leader = db.session.scalar(sa.select(User).where(User.email == "leder@trondheim.example"))
        offering = Offering(course_id=course.id, organisation_id=course.organisation_id,
                            title="Vår 2027", capacity=30, taken=1)
        db.session.add(offering)
        db.session.flush()
        enrolment = Enrolment(offering_id=offering.id, user_id=leader.id,
                              status=EnrolmentStatus.ENROLLED)
        db.session.add(enrolment)
        db.session.commit()
        course_id, enrolment_id = course.id, enrolment.id

    # The county publishes version 1.1 with a new paragraph.
    log_in(page, base, "redaktor@trondelag.example")
    page.get_by_role("link", name="Deling", exact=True).click()
    page.get_by_role("link", name=f"Rediger {TITLE}").click()
    page.get_by_role("link", name="Hvorfor dele data").click()
    body = page.get_by_label("Tekst (Markdown)")
    body.fill(body.input_value() + "\nDet krever avtaler om deling og god datakvalitet.\n")
    page.get_by_role("button", name="Lagre i utkastet").click()
    page.get_by_role("link", name=f"Rediger {TITLE}").click()
    page.get_by_label("Nytt eller endret innhold: 1.0.0 → 1.1.0").check()
    publish(page, "Et nytt avsnitt om avtaler og datakvalitet.")
    flash(page, "Versjon 1.1.0 er publisert.")
    log_out(page)

    # Trondheim sees the notice and the diff, and updates.
    log_in(page, base, "redaktor@trondheim.example")
    page.get_by_role("link", name="Deling", exact=True).click()
    notice = page.get_by_role("region", name="Nye versjoner av kurs dere har importert")
    expect(notice).to_contain_text("dere bruker 1.0.0")
    notice.get_by_role("link", name=re.compile("Se endringene og oppdater")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ny versjon av {TITLE}")
    added = page.locator("pre.diff ins").filter(has_text="Det krever avtaler")
    expect(added).to_have_text(re.compile(r"\+ Det krever avtaler om deling og god datakvalitet\."))
    expect(page.get_by_text("Et nytt avsnitt om avtaler og datakvalitet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Oppdater til versjon 1.1.0").click()
    flash(page, "Kurset er oppdatert til versjon 1.1.0")

    with app.app_context():
        assert db.session.get(Course, course_id).source_version == "1.1.0"
        assert db.session.get(Enrolment, enrolment_id).status == EnrolmentStatus.ENROLLED

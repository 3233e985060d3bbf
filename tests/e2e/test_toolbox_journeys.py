"""Browser journeys of the toolbox and the IT project register (issue 9), checked with axe.

A project leader registers a project that buys software for a school or administrative
network and is told an IT representative is required; the IT service sees it red, assigns
one; the leader attaches the project plan and the risk analysis (downloaded from the
toolbox) and the flag turns green. The IT service uploads a new version of a template and
the old one stays downloadable.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.accounts.models import Organisation, User
from app.catalogue.models import Course, CourseKind
from app.enrolment.models import CourseSession, Offering
from app.extensions import db
from app.seminars.models import Attendance
from tests.e2e.test_journeys import assert_accessible, log_in
from tests.live import served_app

LEADER = "leder@trondheim.example"
IT_SERVICE = "arrangor@trondheim.example"


def _gathering_attended_by(session, email: str) -> None:
    """The leader has been at a project-leader gathering (the seminar data is another
    domain's demo; here it is made directly)."""
    org = session.scalar(sa.select(Organisation).where(Organisation.slug == "trondheim"))
    leader = session.scalar(sa.select(User).where(User.email == email))
    course = Course(organisation_id=org.id, slug="e2e-prosjektledersamling",
                    title="Prosjektledersamling", kind=CourseKind.SEMINAR)
    session.add(course)
    session.flush()
    offering = Offering(course_id=course.id, organisation_id=org.id, title="Høst")
    session.add(offering)
    session.flush()
    start = datetime(2026, 9, 10, 9, tzinfo=UTC)
    gathering = CourseSession(offering_id=offering.id, title="Gevinstrealisering",
                              starts_at=start, ends_at=start + timedelta(hours=3))
    session.add(gathering)
    session.flush()
    session.add(Attendance(session_id=gathering.id, user_id=leader.id, status="present"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with served_app(tmp_path_factory.mktemp("toolbox-live"), "e2e_toolbox",
                    demo=True) as (app, base):
        with app.app_context():
            _gathering_attended_by(db.session, LEADER)
            db.session.commit()
        yield base


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Logg ut").click()


def governance_row(page: Page, name: str):
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=name))


@pytest.mark.parametrize(("network", "label", "short"), [
    ("elevnett", "Elevnett (skolenett)", "elevnett"),
    ("tk_nett", "TK-nett (administrativt nett)", "TK-nett"),
])
def test_a_project_buying_for_a_network_gets_its_it_representative_and_turns_green(
        page: Page, server, tmp_path, network, label, short):
    name = f"Digitalt tilsyn ({network})"
    # The project leader registers the project and is told what the rule requires.
    log_in(page, server, LEADER)
    page.get_by_role("link", name="IT-prosjekter", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("IT-prosjekter")
    assert_accessible(page)
    page.get_by_role("link", name="Registrer prosjekt").click()
    assert_accessible(page)
    page.get_by_label("Prosjektnavn").fill(name)
    page.get_by_label("Formål").fill("Nattlig tilsyn med sensorer og kamera, etter samtykke.")
    page.get_by_label("Fase").select_option("planning")
    page.get_by_label("Prosjektet kjøper utstyr eller programvare").check()
    page.get_by_label(label).check()
    page.get_by_role("button", name="Registrer prosjektet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    alert = page.locator("#representative-alert")
    expect(alert).to_contain_text("IT-representant mangler")
    expect(alert).to_contain_text(f"programvare for {short}")
    assert_accessible(page)

    # Moving on to acquisition without a representative is refused, with the reason.
    page.get_by_role("link", name="Rediger prosjektet").click()
    page.get_by_label("Fase").select_option("acquisition")
    page.get_by_role("button", name="Lagre endringene").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "må ha en representant fra IT-tjenesten")
    assert_accessible(page)
    log_out(page)

    # The IT service sees it red and assigns a representative.
    log_in(page, server, IT_SERVICE)
    page.get_by_role("link", name="Prosjektstyring").click()
    expect(governance_row(page, name)).to_contain_text("Rød")
    expect(governance_row(page, name)).to_contain_text("Mangler IT-representant")
    assert_accessible(page)
    page.get_by_role("link", name=name).click()
    page.get_by_label("IT-representant").select_option(label="Ola Strand (Seminarkoordinator)")
    page.get_by_role("button", name="Lagre representant").click()
    expect(page.get_by_role("status").first).to_contain_text("IT-representanten er lagret")
    expect(page.locator("#representative-alert")).to_have_count(0)
    page.get_by_role("link", name="Prosjektstyring").click()
    expect(governance_row(page, name)).to_contain_text("Gul")
    log_out(page)

    # The leader downloads the risk analysis template and attaches it, and links the plan.
    log_in(page, server, LEADER)
    page.get_by_role("link", name="Verktøykasse").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned Risikoanalyse (regneark) (XLSX)").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.name == "Risikoanalyse (regneark) v1.xlsx"
    assert template.read_bytes()[:2] == b"PK"

    page.get_by_role("link", name="IT-prosjekter", exact=True).click()
    page.get_by_role("link", name=name).click()
    page.get_by_role("link", name="Legg til Prosjektplan").click()
    page.get_by_label("Mal fra verktøykassen").select_option(
        label="Prosjektplan (styringsdokument)")
    page.get_by_label("Lenke til dokumentet").fill("https://intranett.trondheim.example/plan")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("status").first).to_contain_text("Dokumentet er lagt til")
    page.get_by_role("link", name="Legg til Risikoanalyse").click()
    assert_accessible(page)
    page.get_by_label("Eller last opp filen").set_input_files(template)
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("status").first).to_contain_text("Dokumentet er lagt til")
    expect(page.get_by_text("Styringsstatus: Grønn", exact=True)).to_be_visible()
    assert_accessible(page)
    log_out(page)

    log_in(page, server, IT_SERVICE)
    page.get_by_role("link", name="Prosjektstyring").click()
    expect(governance_row(page, name)).to_contain_text("Grønn")


def test_the_it_service_uploads_a_new_version_and_the_old_one_stays(page: Page, server,
                                                                    tmp_path):
    log_in(page, server, IT_SERVICE)
    page.get_by_role("link", name="Verktøykasse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verktøykassen")
    assert_accessible(page)
    page.get_by_role("link", name="Statusrapport", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Last opp ny versjon").click()
    new = tmp_path / "statusrapport.md"
    new.write_text("# Statusrapport\n\nNå med egen rad for gevinster.\n", encoding="utf-8")
    page.get_by_label("Ny versjon av filen").set_input_files(new)
    page.get_by_label("Hva er endret?").fill("Egen rad for gevinster i samlet status.")
    assert_accessible(page)
    page.get_by_role("button", name="Last opp").click()
    expect(page.get_by_role("status").first).to_contain_text("Versjon 2 er lastet opp")
    versions = page.get_by_role("table")
    expect(versions).to_contain_text("Egen rad for gevinster i samlet status.")
    with page.expect_download() as old:
        page.get_by_role("link", name="Last ned versjon 1").click()
    assert old.value.suggested_filename == "Statusrapport v1.md"
    assert "Nå med egen rad" not in old.value.path().read_text(encoding="utf-8")
    with page.expect_download() as latest:
        page.get_by_role("link", name="Last ned versjon 2 (MD)").click()
    assert "Nå med egen rad" in latest.value.path().read_text(encoding="utf-8")


def test_the_register_and_the_toolbox_work_on_a_phone(page: Page, server):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, server, IT_SERVICE)
    for path in ("/verktoykasse", "/verktoykasse/1", "/prosjekter", "/prosjekter/styring",
                 "/prosjekter/1", "/prosjekter/styring/regler", "/prosjekter/ny"):
        page.goto(server + path)
        assert_accessible(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"
        # The register's tables become cards: every value (contacts, findings, a
        # document's links) is on the screen, none behind a sideways scroll.
        beyond = page.evaluate("""() => [...document.querySelectorAll(
            '.cards-on-phone tbody :is(th, td)')].filter(cell => {
                const box = cell.getBoundingClientRect();
                return box.width > 0 && box.right > window.innerWidth + 1;
            }).map(cell => cell.textContent.trim().slice(0, 40))""")
        assert beyond == [], f"{path}: {beyond} lie beyond the screen's edge"
    page.goto(server + "/prosjekter/styring")
    box = page.get_by_role("cell").filter(has_text="Mangler IT-representant").first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box

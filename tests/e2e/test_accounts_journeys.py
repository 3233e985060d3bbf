"""The HR import and single sign-on in a real browser: an admin imports the HR file, sees
the preview, fixes an error, imports; the new unit leader then logs in through the
municipality's identity provider (oidc-provider-mock) and sees their unit."""

from __future__ import annotations

import pytest
import requests
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.accounts.hr_export import current_csv
from app.accounts.models import Organisation
from app.demo import people
from app.extensions import db
from tests.e2e.test_journeys import assert_accessible
from tests.live import served_app

NEW_PEOPLE = [
    ";;;;HOV-HJL-3;Team Lerkendal;HOV-HJL;;;;;",
    "900001;Marte Ny;marte.ny@trondheim.example;Avdelingsleder;HOV-HJL-3;Team Lerkendal;"
    "HOV-HJL;{since};HOV-HJL-3;førstelinjeleder;2026-11-01;nei",
]


def log_in(page: Page, base: str, email: str) -> None:
    """With single sign-on on, the login page has two buttons that start "Logg inn"."""
    page.goto(base + "/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(people.DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn", exact=True).click()


@pytest.fixture(scope="module")
def sso_site(tmp_path_factory):
    """The demo with single sign-on switched on against a provider in a thread."""
    import oidc_provider_mock

    with oidc_provider_mock.run_server_in_thread(require_nonce=True) as provider_server:
        provider = f"http://localhost:{provider_server.server_port}"
        sso = {"OIDC_METADATA_URL": provider + "/.well-known/openid-configuration",
               "OIDC_CLIENT_ID": "kurs-e2e", "OIDC_CLIENT_SECRET": "e2e-secret"}
        tmp = tmp_path_factory.mktemp("sso-live")
        with served_app(tmp, "sso", demo=True, **sso) as (app, base):
            app.config["KURS_BASE_URL"] = base  # the redirect URI the provider sends people to
            yield {"base": base, "provider": provider, "app": app}


def hr_file(app, tmp_path, name: str, since: str) -> str:
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "trondheim"))
        data = current_csv(db.session, organisation_id=org.id).decode("utf-8")
    lines = [line.format(since=since) for line in NEW_PEOPLE]
    path = tmp_path / name
    path.write_text(data + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    return str(path)


def test_an_admin_imports_the_hr_file_and_the_new_leader_logs_in_with_sso(
        page: Page, sso_site, tmp_path):
    base, app = sso_site["base"], sso_site["app"]
    log_in(page, base, "admin@trondheim.example")
    page.get_by_role("link", name="HR-import", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer ansatte fra HR-systemet")
    assert_accessible(page)

    # A file with a wrong date: every error named by line and column, nothing saved.
    page.get_by_label("CSV-fil fra HR-systemet").set_input_files(
        hr_file(app, tmp_path, "feil.csv", since="31.02.2026"))
    page.get_by_role("button", name="Last opp og se forhåndsvisning").click()
    expect(page.get_by_role("alert").first).to_contain_text("Filen har 1 feil")
    errors = page.get_by_role("table", name="Feil i filen")
    expect(errors).to_contain_text("enhet_fra")
    expect(errors).to_contain_text("«31.02.2026» er ikke en dato")
    expect(page.get_by_role("button", name="Importer")).to_have_count(0)
    assert_accessible(page)

    # The corrected file: a preview of exactly what will change.
    page.get_by_role("link", name="Last opp en rettet fil").click()
    page.get_by_label("CSV-fil fra HR-systemet").set_input_files(
        hr_file(app, tmp_path, "rettet.csv", since="2026-11-01"))
    page.get_by_role("button", name="Last opp og se forhåndsvisning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forhåndsvisning av HR-import")
    expect(page.get_by_role("heading", name="Nye personer (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Nye enheter (1)")).to_be_visible()
    expect(page.get_by_role("table", name="Nye personer")).to_contain_text("Marte Ny")
    expect(page.get_by_role("heading", name="Deaktiveres")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Importert: 1 nye, 0 endret, 0 deaktivert, 1 nye enheter.")

    # The admin finds the new leader among the units.
    page.get_by_role("link", name="Enheter").click()
    expect(page.get_by_role("row", name="Team Lerkendal")).to_contain_text("Marte Ny")
    assert_accessible(page)
    page.get_by_role("button", name="Logg ut").click()

    # Marte logs in with the municipality's account; her address is verified there.
    requests.put(f"{sso_site['provider']}/users/marte", timeout=5, json={
        "email": "marte.ny@trondheim.example", "email_verified": True, "name": "Marte Ny"})
    page.get_by_role("button", name="Logg inn med Microsoft/kommunens konto").click()
    page.locator("input[name=sub]").fill("marte")
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hei, Marte")
    expect(page.get_by_role("heading", name="Du leder Team Lerkendal")).to_be_visible()
    assert_accessible(page)


def test_a_person_makes_an_api_token_on_a_phone(page: Page, sso_site):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, sso_site["base"], "hr@trondheim.example")
    page.goto(sso_site["base"] + "/profil")
    page.get_by_label("Navn på tokenet").fill("Rapportskript")
    page.get_by_label("Tilgang").select_option("read")
    page.get_by_role("button", name="Lag token").click()
    token = page.get_by_label("Ditt nye token")
    assert token.input_value().startswith("kurs_")
    expect(page.get_by_role("table", name="Dine aktive token")).to_contain_text("Bare lese")
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the profile scrolls sideways on a phone ({width}px)"


def test_an_admin_gives_an_integration_a_read_only_token(page: Page, sso_site):
    base = sso_site["base"]
    log_in(page, base, "admin@trondheim.example")
    page.get_by_role("link", name="Personer", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personer")
    page.get_by_label("Søk").fill("Sigrid")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("link", name="Sigrid Aune")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Tjenestekontoer").click()
    page.get_by_label("Navn").fill("Lønns- og personalsystemet")
    page.get_by_label("HR").check()
    assert_accessible(page)
    page.get_by_role("button", name="Lag tjenestekonto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lønns- og personalsystemet")
    page.get_by_label("Navn på tokenet").fill("Kompetanserapport")
    page.get_by_label("Tilgang").select_option("read")
    page.get_by_role("button", name="Lag token").click()
    token = page.get_by_label("Nytt token").input_value()
    answer = requests.get(f"{base}/api/v1/me", timeout=5,
                          headers={"Authorization": f"Bearer {token}"})
    assert answer.json()["name"] == "Lønns- og personalsystemet"
    assert_accessible(page)

    page.get_by_role("link", name="Logg", exact=True).first.click()
    expect(page.get_by_role("table")).to_contain_text("accounts.service_account_created")
    assert_accessible(page)

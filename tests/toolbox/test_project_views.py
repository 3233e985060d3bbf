"""The register's pages: the overview with contacts and filters, a project's page with the
IT representative rule shown clearly, its documents for its team only, and scope."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from app.toolbox.models import ITProject, MethodologyDocument, Network, Phase
from tests.factories import make_org, make_unit, make_user
from tests.toolbox.builders import PDF, attach, fetch, it_service, make_project


@pytest.fixture
def world(session):
    org = make_org(session, name="Trondheim kommune")
    school = make_unit(session, org=org, name="Oppvekst og utdanning", code="OPP")
    health = make_unit(session, org=org, name="Helse og velferd", code="HOV")
    home_care = make_unit(session, parent=health, name="Hjemmetjenesten", code="HOV-HJ")
    it_unit = make_unit(session, org=org, name="IT-tjenesten", code="IT")
    it_service(session, org, it_unit)
    return {
        "org": org, "school": school, "health": health, "home_care": home_care,
        "it_unit": it_unit,
        "leader": make_user(session, org=org, unit=home_care, name="Kari Leder",
                            email="kari@kommune.example"),
        "reader": make_user(session, org=org, unit=school),
        "it": make_user(session, org=org, unit=it_unit, roles=["organiser"]),
        "it_staff": make_user(session, org=org, unit=it_unit, name="Ivar IT"),
    }


def test_the_overview_lists_projects_with_their_contacts_for_everyone(client, session, world,
                                                                     login_as):
    make_project(session, unit=world["home_care"], leader=world["leader"],
                 name="Nytt journalsystem", network=Network.TK_NETT)
    make_project(session, unit=make_unit(session), leader=make_user(session),
                 name="Annen kommunes prosjekt")
    login_as(world["reader"])
    page = client.get("/prosjekter").get_data(as_text=True)
    assert "Nytt journalsystem" in page and "kari@kommune.example" in page
    assert "Mangler" in page  # buys for TK-nett without a representative
    assert "Annen kommunes prosjekt" not in page


@pytest.mark.parametrize(("query", "expected"), [
    ("?q=journal", {"Nytt journalsystem"}),
    ("?unit=HOV", {"Nytt journalsystem", "Velferdsteknologi"}),
    ("?unit=OPP", {"Læringsplattform"}),
    ("?phase=acquisition", {"Velferdsteknologi"}),
    ("?network=elevnett", {"Læringsplattform"}),
    ("?network=elevnett&unit=HOV", set()),
    ("?phase=nonsense&unit=NOPE&page=x", {"Nytt journalsystem", "Velferdsteknologi",
                                          "Læringsplattform"}),
])
def test_the_overview_filters_by_words_unit_subtree_phase_and_network(
        client, session, world, login_as, query, expected):
    make_project(session, unit=world["home_care"], leader=world["leader"],
                 name="Nytt journalsystem", network=Network.TK_NETT)
    make_project(session, unit=world["health"], leader=world["leader"], name="Velferdsteknologi",
                 phase=Phase.ACQUISITION, buys=True)
    make_project(session, unit=world["school"], leader=world["leader"], name="Læringsplattform",
                 network=Network.ELEVNETT)
    login_as(world["reader"])
    response = client.get("/prosjekter" + query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    shown = {n for n in ("Nytt journalsystem", "Velferdsteknologi", "Læringsplattform")
             if f">{n}</a>" in page}
    assert shown == expected


def test_registering_a_project_that_buys_software_for_tk_nett_says_a_representative_is_needed(
        web, client, session, world, login_as):
    login_as(world["leader"])
    response = web.post("/prosjekter/ny", {
        "name": "Nytt journalsystem", "purpose": "Dokumentasjon hos brukeren.",
        "unit_id": str(world["home_care"].id), "phase": "planning",
        "leader_email": "kari@kommune.example", "buys_equipment_or_software": "y",
        "network": "tk_nett", "version": "",
    }, page="/prosjekter/ny")
    assert response.status_code == 302
    project = session.scalar(sa.select(ITProject).where(ITProject.name == "Nytt journalsystem"))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "IT-representant mangler" in page
    assert "kan ikke gå over i anskaffelsesfasen" in page
    assert project.it_representative_id is None


def test_the_form_shows_the_rule_when_the_phase_needs_a_representative(web, session, world,
                                                                       login_as):
    login_as(world["leader"])
    response = web.post("/prosjekter/ny", {
        "name": "Nettbrett", "unit_id": str(world["home_care"].id), "phase": "acquisition",
        "leader_email": "kari@kommune.example", "buys_equipment_or_software": "y",
        "network": "tk_nett",
    }, page="/prosjekter/ny")
    assert response.status_code == 422
    assert "må ha en representant fra IT-tjenesten" in response.get_data(as_text=True)
    assert session.scalar(sa.select(ITProject).where(ITProject.name == "Nettbrett")) is None


def test_the_it_service_assigns_a_representative_on_the_projects_page(web, client, session,
                                                                      world, login_as):
    project = make_project(session, unit=world["home_care"], leader=world["leader"],
                           network=Network.TK_NETT)
    login_as(world["it"])
    page = client.get(f"/prosjekter/{project.id}").get_data(as_text=True)
    assert "Ivar IT" in page  # offered as representative
    response = web.post(f"/prosjekter/{project.id}/representant",
                        {"it_representative_id": str(world["it_staff"].id)},
                        page=f"/prosjekter/{project.id}")
    assert response.status_code == 302
    session.refresh(project)
    assert project.it_representative_id == world["it_staff"].id
    assert "IT-representant mangler" not in client.get(
        f"/prosjekter/{project.id}").get_data(as_text=True)


def test_a_project_leader_cannot_assign_the_representative(web, session, world, login_as):
    project = make_project(session, unit=world["home_care"], leader=world["leader"],
                           network=Network.TK_NETT)
    login_as(world["leader"])
    response = web.post(f"/prosjekter/{project.id}/representant",
                        {"it_representative_id": str(world["it_staff"].id)})
    assert response.status_code == 403


def test_the_leader_edits_the_project_and_a_stale_form_is_turned_away(web, client, session,
                                                                      world, login_as):
    project = make_project(session, unit=world["home_care"], leader=world["leader"])
    login_as(world["leader"])
    page = f"/prosjekter/{project.id}/rediger"
    form = {"name": "Nytt navn", "unit_id": str(world["home_care"].id), "phase": "idea",
            "leader_email": "kari@kommune.example", "network": "none", "version": "1"}
    assert web.post(page, form, page=page).status_code == 302
    stale = web.post(page, {**form, "name": "Gammelt navn"}, page=page)
    assert stale.status_code == 302
    assert "Noen andre har endret prosjektet" in client.get(stale.headers["Location"]).get_data(
        as_text=True)
    session.refresh(project)
    assert project.name == "Nytt navn"


def test_someone_outside_the_project_may_look_but_not_edit(client, session, world, login_as):
    project = make_project(session, unit=world["home_care"], leader=world["leader"])
    login_as(world["reader"])
    assert client.get(f"/prosjekter/{project.id}").status_code == 200
    assert client.get(f"/prosjekter/{project.id}/rediger").status_code == 403
    assert client.get(f"/prosjekter/{project.id}/dokumenter/ny").status_code == 403
    login_as(make_user(session, roles=["admin"]))  # an admin of another organisation
    assert client.get(f"/prosjekter/{project.id}").status_code == 404


def test_the_team_attaches_a_file_and_only_the_team_can_download_it(web, client, session, world,
                                                                     login_as):
    project = make_project(session, unit=world["home_care"], leader=world["leader"])
    login_as(world["leader"])
    page = f"/prosjekter/{project.id}/dokumenter/ny"
    response = web.post(page, {"category": "risk_analysis", "status": "draft", "url": "",
                               "file": (io.BytesIO(PDF), "ROS <v1>.pdf"), "note": ""},
                        page=page, content_type="multipart/form-data")
    assert response.status_code == 302
    document = session.scalar(sa.select(MethodologyDocument))
    url = f"/prosjekter/{project.id}/dokumenter/{document.id}/fil"
    download = fetch(client, url)
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    login_as(world["reader"])
    assert fetch(client, url).status_code == 403
    shown = client.get(f"/prosjekter/{project.id}").get_data(as_text=True)
    assert url not in shown and "Finnes" in shown


def test_removing_a_document_deletes_its_stored_file(web, session, world, login_as,
                                                     storage_root):
    from app.toolbox import storage

    project = make_project(session, unit=world["home_care"], leader=world["leader"])
    document = MethodologyDocument(project_id=project.id, category="risk_analysis",
                                   status="draft")
    stored = storage.check_upload(PDF, "a.pdf", max_bytes=10_000)
    document.storage_key = storage.store(storage_root, "projects", stored)
    session.add(document)
    session.flush()
    path = storage.resolve(storage_root, document.storage_key)
    login_as(world["leader"])
    page = f"/prosjekter/{project.id}/dokumenter/{document.id}"
    assert web.post(page + "/slett", {}, page=page).status_code == 302
    assert not path.exists()
    assert session.scalar(sa.select(sa.func.count()).select_from(MethodologyDocument)) == 0


def test_pages_of_the_register_need_the_same_few_statements_at_any_size(
        client, session, world, login_as, count_queries):
    login_as(world["it"])
    counts = {"/prosjekter": [], "/prosjekter/styring": [], "project": []}
    project = None
    for extra in (2, 25):
        for n in range(extra):
            project = make_project(session, unit=world["home_care"], leader=make_user(
                session, org=world["org"], unit=world["home_care"]),
                network=Network.TK_NETT if n % 2 else Network.NONE, buys=True)
            attach(session, project, "project_plan")
        for path in ("/prosjekter", "/prosjekter/styring", f"/prosjekter/{project.id}"):
            with count_queries() as counter:
                assert client.get(path).status_code == 200
            counts["project" if path[-1].isdigit() else path].append(counter.count)
    for path, (small, large) in counts.items():
        assert small == large <= 8, (path, counts)


def test_the_register_speaks_english_to_those_who_choose_it(client, session, world, login_as):
    make_project(session, unit=world["school"], leader=world["leader"], name="Plattform",
                 network=Network.ELEVNETT)
    login_as(world["it"])
    with client.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    page = client.get("/prosjekter/styring").get_data(as_text=True)
    assert "Project governance" in page and "No IT representative" in page
    assert "Prosjektstyring" not in page


def test_the_team_approves_a_document_and_replaces_its_link(web, client, session, world,
                                                            login_as):
    project = make_project(session, unit=world["home_care"], leader=world["leader"])
    document = attach(session, project, "project_plan", status="draft")
    login_as(world["leader"])
    page = f"/prosjekter/{project.id}/dokumenter/{document.id}"
    assert client.get(page).status_code == 200
    response = web.post(page, {"toolbox_item_id": "", "status": "approved",
                               "url": "https://arkiv.example/plan-v2", "note": "Vedtatt"},
                        page=page, content_type="multipart/form-data")
    assert response.status_code == 302
    session.refresh(document)
    assert (str(document.status), document.url, document.note) == (
        "approved", "https://arkiv.example/plan-v2", "Vedtatt")
    bad = web.post(page, {"status": "approved", "url": "ftp://arkiv.example/x"}, page=page,
                   content_type="multipart/form-data")
    assert bad.status_code == 422
    assert "https://" in bad.get_data(as_text=True)

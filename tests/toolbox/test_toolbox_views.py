"""The toolbox pages: templates by category, downloads as attachments, new versions that
keep the old ones, sessions where a template is taught, and who may change what."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from app.common.models import AuditEvent
from app.toolbox.models import Category, ToolboxItem
from app.toolbox.queries import templates_for_sessions
from tests.factories import make_org, make_unit, make_user
from tests.toolbox.builders import PDF, fetch, make_item, office_file, seminar_session


@pytest.fixture
def org(session):
    return make_org(session, name="Trondheim kommune")


def upload(data: bytes, name: str):
    return (io.BytesIO(data), name)


def test_everyone_in_the_organisation_sees_the_templates_by_category(client, session, org,
                                                                       login_as, storage_root):
    make_item(session, org, storage_root, title="Risikoanalyse (regneark)",
              category=Category.RISK_ANALYSIS, data=office_file("xl/"), name="r.xlsx")
    make_item(session, make_org(session), storage_root, title="En annen kommunes mal")
    login_as(make_user(session, org=org))
    page = client.get("/verktoykasse").get_data(as_text=True)
    assert "Risikoanalyse (regneark)" in page
    assert "RISIKOANALYSE" in page.upper() and "XLSX" in page
    assert "En annen kommunes mal" not in page


def test_a_template_downloads_as_an_attachment_with_a_safe_name(client, session, org,
                                                                 login_as, storage_root):
    item = make_item(session, org, storage_root, title='Plan "<2027>"', data=PDF, name="x.pdf")
    login_as(make_user(session, org=org))
    response = fetch(client, f"/verktoykasse/{item.id}/versjoner/1")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "Plan -2027- v1.pdf" in disposition and "<" not in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    latest = fetch(client, f"/verktoykasse/{item.id}/last-ned")
    assert latest.data == PDF


def test_another_organisations_template_and_an_unknown_version_are_not_found(
        client, session, org, login_as, storage_root):
    other = make_item(session, make_org(session), storage_root)
    own = make_item(session, org, storage_root)
    login_as(make_user(session, org=org))
    assert client.get(f"/verktoykasse/{other.id}").status_code == 404
    assert client.get(f"/verktoykasse/{other.id}/versjoner/1").status_code == 404
    assert client.get(f"/verktoykasse/{own.id}/versjoner/2").status_code == 404


def test_the_owner_uploads_a_new_version_and_the_old_one_stays_downloadable(
        web, client, session, org, login_as, storage_root):
    owner = make_user(session, org=org)
    item = make_item(session, org, storage_root, owner=owner, data=b"# Versjon 1\n")
    login_as(owner)
    page = f"/verktoykasse/{item.id}/ny-versjon"
    response = web.post(page, {"file": upload(b"# Versjon 2\n", "plan.md"),
                               "change_note": "Nytt avsnitt om gevinster."}, page=page,
                        content_type="multipart/form-data")
    assert response.status_code == 302
    shown = client.get(f"/verktoykasse/{item.id}").get_data(as_text=True)
    assert "Nytt avsnitt om gevinster." in shown and "Første versjon." in shown
    assert fetch(client, f"/verktoykasse/{item.id}/versjoner/1").data == b"# Versjon 1\n"
    assert fetch(client, f"/verktoykasse/{item.id}/versjoner/2").data == b"# Versjon 2\n"
    assert fetch(client, f"/verktoykasse/{item.id}/last-ned").data == b"# Versjon 2\n"
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action ==
                                                       "toolbox.version_added"))
    assert event.actor_id == owner.id and event.detail["number"] == 2


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"<html><script>alert(1)</script>", "side.html", "Filtypen er ikke tillatt"),
    (b"not really a pdf", "plan.pdf", "stemmer ikke med filtypen .pdf"),
])
def test_a_bad_upload_is_refused_with_a_message_and_nothing_is_stored(
        web, session, org, login_as, storage_root, data, name, message):
    owner = make_user(session, org=org)
    item = make_item(session, org, storage_root, owner=owner)
    login_as(owner)
    page = f"/verktoykasse/{item.id}/ny-versjon"
    response = web.post(page, {"file": upload(data, name), "change_note": "Ny"}, page=page,
                        content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    session.refresh(item)
    assert [v.number for v in item.versions] == [1]


def test_an_upload_over_the_size_limit_is_refused(web, app, session, org, login_as,
                                                  storage_root, monkeypatch):
    # Small sizes: the test client spools bodies over 500 kB to a file it never closes.
    monkeypatch.setitem(app.config, "TOOLBOX_MAX_FILE_BYTES", 200 * 1024)
    owner = make_user(session, org=org)
    item = make_item(session, org, storage_root, owner=owner)
    login_as(owner)
    page = f"/verktoykasse/{item.id}/ny-versjon"
    response = web.post(page, {"file": upload(PDF + b"0" * 300_000, "stor.pdf"),
                               "change_note": "Ny"}, page=page,
                        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "større enn 200 kB" in response.get_data(as_text=True)


def test_a_version_needs_a_change_note(web, session, org, login_as, storage_root):
    owner = make_user(session, org=org)
    item = make_item(session, org, storage_root, owner=owner)
    login_as(owner)
    page = f"/verktoykasse/{item.id}/ny-versjon"
    response = web.post(page, {"file": upload(b"# Ny\n", "a.md"), "change_note": ""},
                        page=page, content_type="multipart/form-data")
    assert response.status_code == 422


def test_only_the_owner_and_the_it_service_may_upload_versions(client, session, org, login_as,
                                                               storage_root):
    item = make_item(session, org, storage_root, owner=make_user(session, org=org))
    login_as(make_user(session, org=org, roles=["hr"]))
    assert client.get(f"/verktoykasse/{item.id}/ny-versjon").status_code == 403
    login_as(make_user(session, org=org, roles=["organiser"]))
    assert client.get(f"/verktoykasse/{item.id}/ny-versjon").status_code == 200


def test_the_it_service_adds_a_template_and_links_it_to_the_sessions_teaching_it(
        web, client, session, org, login_as):
    organiser = make_user(session, org=org, roles=["organiser"])
    taught = seminar_session(session, org, title="Risikoanalyse i praksis")
    login_as(organiser)
    response = web.post("/verktoykasse/ny", {
        "title": "ROS-analyse for skytjenester", "category": "risk_analysis",
        "description": "Når data lagres hos en leverandør.", "learn_more": "",
        "owner_email": "", "session_ids": [str(taught.id)],
        "file": upload(office_file("xl/"), "ros.xlsx"), "change_note": "",
    }, page="/verktoykasse/ny", content_type="multipart/form-data")
    assert response.status_code == 302
    item = session.scalar(sa.select(ToolboxItem).where(ToolboxItem.title ==
                                                       "ROS-analyse for skytjenester"))
    assert item.owner_id == organiser.id
    assert [s.id for s in item.sessions] == [taught.id]
    page = client.get(f"/verktoykasse/{item.id}").get_data(as_text=True)
    assert "Risikoanalyse i praksis" in page

    # The IT service hands the template to a new owner and unlinks the session.
    keeper = make_user(session, org=org, email="eier@kommune.example")
    response = web.post(f"/verktoykasse/{item.id}/rediger", {
        "title": "ROS-analyse for skytjenester", "category": "risk_analysis",
        "description": "Når data lagres hos en leverandør.", "learn_more": "",
        "owner_email": "eier@kommune.example", "session_ids": [],
    }, page=f"/verktoykasse/{item.id}/rediger")
    assert response.status_code == 302
    session.refresh(item)
    assert item.owner_id == keeper.id and item.sessions == []
    page = client.get(f"/verktoykasse/{item.id}").get_data(as_text=True)
    assert "Risikoanalyse i praksis" not in page and keeper.name in page
    actions = session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.object_id == str(item.id), AuditEvent.actor_id == organiser.id)
        .order_by(AuditEvent.id)).all()
    assert actions == ["toolbox.item_created", "toolbox.item_updated"]


def test_templates_for_sessions_lists_each_sessions_templates_in_one_statement(
        session, org, storage_root, count_queries):
    first, second, empty = (seminar_session(session, org) for _ in range(3))
    plan = make_item(session, org, storage_root, title="Prosjektplan")
    risk = make_item(session, org, storage_root, title="Risikoanalyse")
    plan.sessions.append(first)
    risk.sessions.extend([first, second])
    session.flush()
    with count_queries() as counter:
        result = templates_for_sessions(session, [first.id, second.id, empty.id])
    assert counter.count == 1
    assert {k: [i.title for i in v] for k, v in result.items()} == {
        first.id: ["Prosjektplan", "Risikoanalyse"], second.id: ["Risikoanalyse"]}
    assert templates_for_sessions(session, []) == {}


def test_the_toolbox_page_needs_the_same_few_statements_for_many_templates(
        client, session, org, login_as, storage_root, count_queries):
    login_as(make_user(session, org=org, unit=make_unit(session, org=org)))
    counts = []
    for extra in (2, 20):
        for _ in range(extra):
            item = make_item(session, org, storage_root)
            item.sessions.append(seminar_session(session, org))
        session.flush()
        with count_queries() as counter:
            assert client.get("/verktoykasse").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 8, counts

"""The HR import in the browser: upload, preview with counts and rows, errors by line and
column, a confirm step that applies exactly the previewed plan."""

from __future__ import annotations

import io

import sqlalchemy as sa

from app.accounts.models import User
from tests.accounts.test_hr_import import BASE, rows
from tests.factories import make_org, make_user


def upload(web, org, data: bytes, name="hr.csv"):
    return web.post("/admin/hr-import", {"organisation": str(org.id),
                                         "file": (io.BytesIO(data), name)},
                    content_type="multipart/form-data")


def admin_of(session, org):
    return make_user(session, org=org, roles=["admin"], employee_number=None)


def test_an_admin_uploads_sees_the_preview_and_imports(web, session, login_as):
    org = make_org(session)
    login_as(admin_of(session, org))
    response = upload(web, org, rows(*BASE))
    assert response.status_code == 302
    preview = web.get(response.headers["Location"])
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Forhåndsvisning av HR-import" in page
    assert "Nye personer (4)" in page and "Ingrid Leder" in page
    assert "Nye enheter (4)" in page
    assert session.scalar(sa.select(sa.func.count()).select_from(User)
                          .where(User.employee_number.is_not(None),
                                 User.organisation_id == org.id)) == 0
    applied = web.post(response.headers["Location"], {"fingerprint": _fingerprint(page)},
                       page=response.headers["Location"])
    assert applied.status_code == 302
    done = web.get(applied.headers["Location"]).get_data(as_text=True)
    assert "Importert: 4 nye, 0 endret, 0 deaktivert, 4 nye enheter." in done
    assert "Siste importer" in done
    # The file is gone after use: the same preview is no longer there.
    assert web.get(response.headers["Location"]).status_code == 404


def _fingerprint(page: str) -> str:
    marker = 'name="fingerprint" type="hidden" value="'
    start = page.index(marker) + len(marker)
    return page[start:page.index('"', start)]


def test_a_file_with_errors_lists_them_by_line_and_column_and_offers_no_import(
        web, session, login_as):
    org = make_org(session)
    login_as(admin_of(session, org))
    bad = rows(*BASE, "5;;per@k.example;;S-HJ-1;Team Nardo;S-HJ;;;;;kanskje")
    response = upload(web, org, bad)
    page = web.get(response.headers["Location"]).get_data(as_text=True)
    assert "Filen har 2 feil. Ingenting er lagret." in page
    assert ('<td class="num">7</td><td><code>navn</code></td>'
            '<td class="wrap-anywhere">Mangler.</td>') in page
    assert "<code>it_prosjektleder</code>" in page
    assert 'name="fingerprint"' not in page


def test_a_stale_preview_is_shown_again_instead_of_applied(web, session, login_as):
    org = make_org(session)
    login_as(admin_of(session, org))
    location = upload(web, org, rows(*BASE)).headers["Location"]
    fingerprint = _fingerprint(web.get(location).get_data(as_text=True))
    make_user(session, org=org, employee_number="77", name="Kommet Til Etterpå")
    response = web.post(location, {"fingerprint": fingerprint}, page=location)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "endret siden forhåndsvisningen" in page
    assert "Kommet Til Etterpå" in page  # now listed among those to deactivate
    assert session.scalar(sa.select(sa.func.count()).select_from(User)
                          .where(User.organisation_id == org.id)) == 2


def test_an_admin_of_another_organisation_cannot_see_the_preview(web, session, login_as,
                                                                 client):
    org, other = make_org(session), make_org(session)
    login_as(admin_of(session, org))
    location = upload(web, org, rows(*BASE)).headers["Location"]
    with client.session_transaction() as sess:
        sess.clear()
    login_as(admin_of(session, other))
    assert web.get(location).status_code == 404
    assert web.post(location, {"fingerprint": "x"}, page="/admin/hr-import").status_code == 404
    # Nor can the organisation be chosen on upload.
    assert upload(web, org, rows(*BASE)).status_code == 400


def test_only_csv_files_of_sensible_size_are_accepted(web, session, login_as, app,
                                                      monkeypatch):
    org = make_org(session)
    login_as(admin_of(session, org))
    response = upload(web, org, b"%PDF-1.7", name="hr.pdf")
    assert response.status_code == 400
    assert "Velg en CSV-fil (.csv)." in response.get_data(as_text=True)
    monkeypatch.setitem(app.config, "HR_IMPORT_MAX_BYTES", 100)
    response = upload(web, org, rows(*BASE))
    assert "Filen er større enn" in response.get_data(as_text=True)


def test_the_current_people_download_as_a_file_that_imports_without_changes(
        web, session, login_as):
    org = make_org(session)
    login_as(admin_of(session, org))
    location = upload(web, org, rows(*BASE)).headers["Location"]
    page = web.get(location).get_data(as_text=True)
    web.post(location, {"fingerprint": _fingerprint(page)}, page=location)
    download = web.get(f"/admin/hr-import/{org.id}/dagens.csv")
    assert download.status_code == 200
    assert download.data.startswith(b"\xef\xbb\xbfansattnummer;navn;epost")
    again = upload(web, org, download.data)
    page = web.get(again.headers["Location"]).get_data(as_text=True)
    assert "Filen stemmer med det som allerede er lagret." in page

"""The pages of /deling and /kurs/<slug>/rediger through real HTTP: what an editor sees and
can do, what others cannot, and that the catalogue's statements stay few."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from app.catalogue.models import Course, Module
from app.sharing.models import CourseAttachment, Package, PackageDraft, PackageVersion
from app.sharing.storage import BlobStore
from tests.factories import make_user
from tests.sharing.builders import PDF, manifest, package_files, zip_of
from tests.sharing.conftest import KURS
from tests.sharing.helpers import county_zip, editor


@pytest.fixture
def app_store(app):
    return BlobStore(app.config["KURS_STORAGE_DIR"])


def upload(web, data: bytes, scope: str = "partners"):
    return web.post("/deling/last-opp", {"file": (io.BytesIO(data), "pakke.zip"),
                                         "scope": scope},
                    page="/deling/last-opp", content_type="multipart/form-data")


def text(response) -> str:
    return response.get_data(as_text=True)


def test_an_editor_sees_the_catalogue_with_partners_and_own_packages(web, session, login_as):
    county = login_as(editor(session, slug="test-fylke", kind="county"))
    assert upload(web, county_zip()).status_code == 302
    login_as(editor(session, slug="trondheim"))
    page = text(web.get("/deling"))
    assert "Digital dugnad" in page and "Testfylket" in page and "CC-BY-4.0" in page
    assert "Importer" in page
    assert county.organisation.name != "Trondheim"


def test_a_participant_without_the_editor_role_cannot_open_the_catalogue(web, session,
                                                                        login_as):
    login_as(make_user(session))
    assert web.get("/deling").status_code == 403


def test_import_then_update_after_reading_the_diff(web, session, login_as):
    county = editor(session, slug="test-fylke", kind="county")
    login_as(county)
    upload(web, county_zip())
    trondheim = editor(session, slug="trondheim")
    login_as(trondheim)
    response = web.post("/deling/pakker/no.test.digital-dugnad/1.0.0/importer",
                        page="/deling/pakker/no.test.digital-dugnad")
    assert response.status_code == 302
    copy = session.scalar(sa.select(Course).where(
        Course.organisation_id == trondheim.organisation_id))
    assert copy.slug == "digital-dugnad-trondheim" and copy.source_version == "1.0.0"

    login_as(county)
    files = package_files(manifest_doc=manifest(version="1.1.0", change_note="Nytt avsnitt."))
    files["moduler/01-hva.md"] += b"\nEt nytt avsnitt om deling.\n"
    assert upload(web, zip_of(files)).status_code == 302

    login_as(trondheim)
    assert "Nye versjoner av kurs dere har importert" in text(web.get("/deling"))
    diff = text(web.get(f"/deling/kurs/{copy.slug}/oppdatering"))
    assert "Nytt avsnitt." in diff and "Et nytt avsnitt om deling." in diff
    response = web.post(f"/deling/kurs/{copy.slug}/oppdatering", {"to_version": "1.1.0"},
                        page=f"/deling/kurs/{copy.slug}/oppdatering")
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Course, copy.id).source_version == "1.1.0"


def test_an_imported_course_is_read_only_until_forked(web, session, login_as):
    trondheim = login_as(editor(session, slug="trondheim"))
    upload(web, county_zip())
    copy = session.scalar(sa.select(Course).where(
        Course.organisation_id == trondheim.organisation_id))
    response = web.get(f"/kurs/{copy.slug}/rediger")
    assert response.status_code == 302
    assert "/deling/pakker/no.test.digital-dugnad" in response.headers["Location"]
    web.post(f"/deling/kurs/{copy.slug}/kopier", page="/deling/pakker/no.test.digital-dugnad")
    assert web.get(f"/kurs/{copy.slug}/rediger").status_code == 200


def test_authoring_a_new_package_from_the_first_module_to_a_published_version(web, session,
                                                                             login_as):
    login_as(editor(session, slug="test-fylke", kind="county"))
    response = web.post("/deling/ny", {"title": "Deling av data", "kind": "course",
                                       "language": "nb"}, page="/deling/ny")
    assert response.status_code == 302
    course = session.scalar(sa.select(Course).where(Course.title == "Deling av data"))
    base = f"/kurs/{course.slug}/rediger"
    assert "Pakken har ingen moduler ennå" in text(web.get(base))

    draft = session.scalar(sa.select(PackageDraft).where(PackageDraft.course_id == course.id))
    web.post(f"{base}/moduler/ny", {"revision": draft.revision, "title": "Hvorfor dele data",
                                    "minutes": "10", "body": "Data skal deles *trygt*.",
                                    "action": "save"}, page=base)
    session.refresh(draft)
    details = {"revision": draft.revision, "title": "Deling av data",
               "summary": "Om å dele data mellom virksomheter.", "description": "",
               "language": "nb", "licence": "NLOD-2.0", "audience": ["mellomleder"],
               "completion_modules": "y"}
    assert web.post(f"{base}/detaljer", details, page=base).status_code == 302
    session.refresh(draft)
    assert session.scalar(sa.select(sa.func.count()).select_from(Module)
                          .where(Module.course_id == course.id)) == 0, "drafts stay drafts"
    response = web.post(f"{base}/publiser", {"revision": draft.revision, "bump": "minor",
                                             "change_note": "Første versjon.",
                                             "scope": "partners"}, page=base)
    assert response.status_code == 302
    session.expire_all()
    course = session.get(Course, course.id)
    assert course.source_version == "1.0.0" and course.status == "published"
    assert [m.title for m in course.modules] == ["Hvorfor dele data"]
    assert "Versjon 1.0.0 er publisert." in text(web.get(base))


def test_a_stale_revision_keeps_the_editors_text_and_says_why(web, session, login_as,
                                                              app_store):
    login_as(editor(session, slug="test-fylke", kind="county"))
    upload(web, county_zip())
    base = "/kurs/digital-dugnad/rediger/moduler/01-hva.md"
    first = web.post(base, {"revision": "0", "title": "Hva", "body": "Første.",
                            "action": "save"}, page=base)
    assert first.status_code == 302
    stale = web.post(base, {"revision": "0", "title": "Hva", "body": "Min lange tekst.",
                            "action": "save"}, page=base)
    assert stale.status_code == 409
    assert "Min lange tekst." in text(stale) and "endret av noen andre" in text(stale)


def test_the_preview_renders_sanitised_html_and_needs_csrf(web, session, login_as):
    login_as(editor(session, slug="trondheim"))
    response = web.post("/deling/forhandsvisning",
                        {"text": "## Hei\n\n<script>alert(1)</script>[x](javascript:alert(1))"})
    html = response.get_json()["html"]
    assert "<h2>Hei</h2>" in html and "<script>" not in html and "href" not in html
    assert "&lt;script&gt;" in html
    assert web.client.post("/deling/forhandsvisning", data={"text": "x"}).status_code == 400


def test_an_attachment_is_always_a_download(web, session, login_as):
    county_editor = login_as(editor(session, slug="test-fylke", kind="county"))
    files = package_files(attachments=[{"file": "vedlegg/plan.pdf", "title": "Plan"}],
                          extra={"vedlegg/plan.pdf": PDF})
    upload(web, zip_of(files))
    row = session.scalar(sa.select(CourseAttachment))
    login_as(make_user(session, org=county_editor.organisation))
    response = web.get(f"/deling/vedlegg/{row.id}")
    body = response.data
    response.close()  # the test client leaves the served file open otherwise
    assert response.status_code == 200 and body == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_course_page_links_its_attachments_as_downloads_for_its_readers_only(
        web, session, login_as):
    county_editor = login_as(editor(session, slug="test-fylke", kind="county"))
    files = package_files(attachments=[{"file": "vedlegg/plan.pdf", "title": "Plan"}],
                          extra={"vedlegg/plan.pdf": PDF})
    upload(web, zip_of(files))
    row = session.scalar(sa.select(CourseAttachment))
    course = session.get(Course, row.course_id)
    login_as(make_user(session, org=county_editor.organisation))
    page = web.get(f"/kurs/{course.slug}").get_data(as_text=True)
    assert f'href="/deling/vedlegg/{row.id}" download>Plan</a>' in page
    login_as(make_user(session, org=editor(session, slug="trondheim").organisation))
    assert web.get(f"/kurs/{course.slug}").status_code == 404
    refused = web.get(f"/deling/vedlegg/{row.id}")
    refused.close()
    assert refused.status_code == 404


def test_the_open_catalogue_lists_public_packages_without_login(web, session, login_as):
    login_as(editor(session, slug="test-fylke", kind="county"))
    upload(web, county_zip(), scope="public")
    web.post("/logout", page="/deling")
    page = text(web.get("/deling/apen"))
    assert "Digital dugnad" in page
    download = web.get("/deling/apen/no.test.digital-dugnad/1.0.0.zip")
    assert download.status_code == 200 and download.mimetype == "application/zip"


def test_an_invalid_upload_lists_every_problem_and_saves_nothing(web, session, login_as):
    login_as(editor(session, slug="trondheim"))
    page = text(upload(web, zip_of(package_files(version="1.0", licence="MIT"))))
    assert "kurs.toml – version: har ugyldig form" in page
    assert "kurs.toml – licence: skal være en av" in page
    assert session.scalar(sa.select(sa.func.count()).select_from(PackageVersion)) == 0


#: The login, then for the partners' packages and for our own: the packages with their
#: publishers, their versions, and our courses for them.
CATALOGUE_STATEMENTS = 5


@pytest.mark.parametrize("copies", [1, 6])
def test_the_catalogue_uses_the_same_few_statements_whatever_its_size(web, session, login_as,
                                                                      count_queries, copies):
    county = login_as(editor(session, slug="test-fylke", kind="county"))
    for n in range(copies):
        doc = manifest(uid=f"no.test.pakke-{n}", slug=f"pakke-{n}", title=f"Pakke {n}")
        upload(web, zip_of(package_files(manifest_doc=doc)))
    login_as(editor(session, slug="trondheim"))
    with count_queries() as queries:
        assert web.get("/deling").status_code == 200
    assert queries.count <= 8, queries.statements
    assert queries.count == CATALOGUE_STATEMENTS, queries.statements
    assert county.id


def test_every_kurs_package_renders_on_its_edit_pages(web, session, login_as, runner):
    for name in ("it-i-hverdagen", "prosjektledersamling"):
        assert runner.invoke(args=["kurs", "import", str(KURS / name)]).exit_code == 0
    owner = session.scalar(sa.select(Course).where(Course.slug == "prosjektledersamling"))
    login_as(make_user(session, org=owner.organisation, roles=["editor"]))
    for path in ("/kurs/prosjektledersamling/rediger", "/kurs/prosjektledersamling/rediger/quiz",
                 "/kurs/prosjektledersamling/rediger/program",
                 "/kurs/it-i-hverdagen/rediger/moduler/03-informasjonssikkerhet-og-personvern.md"):
        response = web.get(path)
        assert response.status_code == 200, path
    assert "BP3" in text(web.get("/kurs/prosjektledersamling/rediger/quiz"))


def test_the_publisher_changes_the_sharing_scope_and_others_cannot(web, session, login_as):
    county = login_as(editor(session, slug="test-fylke", kind="county"))
    upload(web, county_zip(), scope="own")
    page = "/deling/pakker/no.test.digital-dugnad"
    assert web.post(f"{page}/deling", {"scope": "public"}, page=page).status_code == 302
    assert session.scalar(sa.select(Package.scope)) == "public"
    login_as(editor(session, slug="trondheim"))
    assert web.post(f"{page}/deling", {"scope": "own"}, page="/deling").status_code == 404
    session.expire_all()
    assert session.scalar(sa.select(Package.scope)) == "public"
    assert county.id


def test_the_quiz_is_edited_as_toml_and_checked_before_it_is_saved(web, session, login_as):
    login_as(editor(session, slug="test-fylke", kind="county"))
    upload(web, county_zip())
    url = "/kurs/digital-dugnad/rediger/quiz"
    bad = web.post(url, {"revision": "0", "text": 'title = "X"\npass_mark = 200\n'}, page=url)
    assert "quiz.toml – pass_mark: skal være et heltall fra 1 til 100" in text(bad)
    assert session.scalar(sa.select(PackageDraft)) is None, "nothing saved"
    good = ('title = "Ny prøve"\npass_mark = 50\n[[questions]]\nid = "a"\ntype = "true_false"\n'
            'text = "Deling er dugnad."\nanswer = true\nexplanation = "Ja."\n')
    assert web.post(url, {"revision": "0", "text": good}, page=url).status_code == 302
    page = text(web.get(url))
    assert "Ny prøve – 1 spørsmål, bestått ved 50 %." in page


def test_an_attachment_is_added_to_the_draft_only_when_it_is_what_it_says(web, session,
                                                                         login_as):
    login_as(editor(session, slug="test-fylke", kind="county"))
    upload(web, county_zip())
    base = "/kurs/digital-dugnad/rediger"
    fake = web.post(f"{base}/vedlegg", {"revision": "0", "title": "Plan",
                                        "file": (io.BytesIO(b"MZ not a pdf"), "Plan 2027.pdf")},
                    page=base, content_type="multipart/form-data")
    assert "Filen er ikke det filnavnet sier" in text(web.get(fake.headers["Location"]))
    real = web.post(f"{base}/vedlegg", {"revision": "0", "title": "Plan",
                                        "file": (io.BytesIO(PDF), "Plan 2027.pdf")},
                    page=base, content_type="multipart/form-data")
    assert real.status_code == 302
    draft = session.scalar(sa.select(PackageDraft))
    assert [a["name"] for a in draft.content["attachments"]] == ["plan-2027.pdf"]
    download = web.get(f"{base}/vedlegg/plan-2027.pdf")
    body = download.data
    download.close()
    assert body == PDF and download.headers["Content-Disposition"].startswith("attachment")


def test_publishing_a_draft_that_was_never_saved_is_the_next_version(web, session, login_as):
    """Open the edit page of an uploaded package and publish at once (only a new change
    note): the draft made from the published version is stored with the new version."""
    login_as(editor(session, slug="test-fylke", kind="county"))
    upload(web, county_zip())
    base = "/kurs/digital-dugnad/rediger"
    response = web.post(f"{base}/publiser", {"revision": "0", "bump": "patch",
                                             "change_note": "Retter en skrivefeil.",
                                             "scope": "partners"}, page=base)
    assert response.status_code == 302
    assert "Versjon 1.0.1 er publisert." in text(web.get(response.headers["Location"]))
    assert session.scalar(sa.select(PackageDraft.revision)) == 1


def test_a_form_error_on_an_attachment_is_a_message_not_a_500(web, session, login_as):
    login_as(editor(session, slug="test-fylke", kind="county"))
    upload(web, county_zip())
    base = "/kurs/digital-dugnad/rediger"
    response = web.post(f"{base}/vedlegg", {"revision": "0", "title": "Uten fil"}, page=base)
    assert response.status_code == 302
    assert "Velg en fil." in text(web.get(response.headers["Location"]))

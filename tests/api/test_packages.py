"""The package API: GET /api/v1/packages, GET /api/v1/packages/{uid}/{version}.zip and
POST /api/v1/packages, as design.md's contract details say."""

from __future__ import annotations

import io
import json

import pytest
import sqlalchemy as sa

from app.catalogue.models import Course
from app.orm import utcnow
from app.quizzes.models import Quiz
from app.sharing import drafts
from app.sharing.models import Package, SharingScope
from app.sharing.package import load_package
from tests.factories import make_token, make_user
from tests.sharing.builders import manifest, package_files, zip_of
from tests.sharing.helpers import county_zip, editor


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def post_zip(client, token, data: bytes, **form):
    return client.post("/api/v1/packages", headers=bearer(token),
                       data={"file": (io.BytesIO(data), "pakke.zip"), **form},
                       content_type="multipart/form-data")


def test_an_editor_publishes_a_package_and_gets_201_with_the_version(client, session):
    county = editor(session, slug="test-fylke", kind="county")
    response = post_zip(client, make_token(session, county), county_zip(), scope="partners")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["uid"] == "no.test.digital-dugnad" and body["version"] == "1.0.0"
    assert body["scope"] == "partners" and body["new_version"] is True
    assert body["course"] == "digital-dugnad" and body["course_action"] == "created"
    again = post_zip(client, make_token(session, county), county_zip())
    assert again.status_code == 201 and again.get_json()["new_version"] is False


def test_an_uploaded_package_gives_its_course_the_packages_quiz(client, session):
    county = editor(session, slug="test-fylke", kind="county")
    assert post_zip(client, make_token(session, county), county_zip()).status_code == 201
    quiz = session.scalar(sa.select(Quiz).join(Course).where(Course.slug == "digital-dugnad"))
    assert [q.source_key for q in quiz.questions] == ["q1", "q2"]
    served = client.get(f"/api/v1/quizzes/{quiz.id}",
                        headers=bearer(make_token(session, county)))
    assert served.status_code == 200 and served.get_json()["title"] == "Prøve"


def test_another_organisation_uploading_the_same_uid_gets_403(client, session):
    owner = editor(session, slug="test-fylke", kind="county")
    assert post_zip(client, make_token(session, owner), county_zip()).status_code == 201
    other = editor(session, slug="trondheim")
    claimed = manifest(version="1.1.0", publisher={"slug": "trondheim", "name": "Trondheim",
                                                   "kind": "municipality"})
    response = post_zip(client, make_token(session, other),
                        zip_of(package_files(manifest_doc=claimed)))
    assert response.status_code == 403
    assert response.get_json()["code"] == "package_owned_by_other"


def test_importing_into_an_empty_platform_creates_the_publisher(client, session):
    trondheim = editor(session, slug="trondheim")
    response = post_zip(client, make_token(session, trondheim), county_zip())
    assert response.status_code == 201
    listed = client.get("/api/v1/packages", headers=bearer(make_token(session, trondheim)))
    (item,) = listed.get_json()
    assert item["publisher"] == {"slug": "test-fylke", "name": "Testfylket"}


def test_a_zip_over_the_limit_gets_413(app, client, session):
    county = editor(session, slug="test-fylke", kind="county")
    app.config["KURS_PACKAGE_MAX_BYTES"] = 1024
    try:
        response = post_zip(client, make_token(session, county), county_zip() + b"\0" * 4096)
    finally:
        del app.config["KURS_PACKAGE_MAX_BYTES"]
    assert response.status_code == 413
    assert response.get_json()["code"] == "package_too_large"


def test_an_invalid_package_gets_422_with_every_problem(client, session):
    county = editor(session, slug="test-fylke", kind="county")
    broken = package_files(version="1.0", licence="MIT")
    response = post_zip(client, make_token(session, county), zip_of(broken))
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "invalid_package"
    problems = body["errors"]["package"]
    assert any(p.startswith("kurs.toml – version:") for p in problems)
    assert any(p.startswith("kurs.toml – licence:") for p in problems)


def test_an_older_version_gets_409(client, session):
    county = editor(session, slug="test-fylke", kind="county")
    token = make_token(session, county)
    assert post_zip(client, token, county_zip("2.0.0")).status_code == 201
    response = post_zip(client, token, county_zip("1.5.0"))
    assert response.status_code == 409 and response.get_json()["code"] == "version_older"


def test_only_editors_may_upload(client, session):
    hr = make_user(session, roles=["hr"])
    response = post_zip(client, make_token(session, hr), county_zip())
    assert response.status_code == 403


def test_the_list_shows_only_what_the_caller_may_see_and_is_paginated(client, session):
    county = editor(session, slug="test-fylke", kind="county")
    post_zip(client, make_token(session, county), county_zip())  # scope: own
    shared = manifest(uid="no.test.delt", slug="delt", title="Delt")
    post_zip(client, make_token(session, county), zip_of(package_files(manifest_doc=shared)),
             scope="partners")
    partner = editor(session, slug="trondheim")
    response = client.get("/api/v1/packages?per_page=1",
                          headers=bearer(make_token(session, partner)))
    assert response.status_code == 200
    assert [p["uid"] for p in response.get_json()] == ["no.test.delt"]
    assert json.loads(response.headers["X-Pagination"])["total"] == 1
    own = client.get("/api/v1/packages", headers=bearer(make_token(session, county)))
    assert {p["uid"] for p in own.get_json()} == {"no.test.digital-dugnad", "no.test.delt"}
    first = client.get("/api/v1/packages?per_page=1", headers=bearer(make_token(session, county)))
    assert len(first.get_json()) == 1
    assert json.loads(first.headers["X-Pagination"])["next_page"] == 2


@pytest.mark.parametrize(("scope", "status"), [("own", 404), ("partners", 200)])
def test_a_version_downloads_as_the_canonical_zip_when_visible(client, session, scope, status):
    county = editor(session, slug="test-fylke", kind="county")
    post_zip(client, make_token(session, county), county_zip(), scope=scope)
    partner = editor(session, slug="trondheim")
    response = client.get("/api/v1/packages/no.test.digital-dugnad/1.0.0.zip",
                          headers=bearer(make_token(session, partner)))
    assert response.status_code == status
    if status == 200:
        assert response.mimetype == "application/zip"
        assert load_package(response.data).manifest.uid == "no.test.digital-dugnad"
    else:
        assert response.get_json()["code"] == "package_not_found"


@pytest.mark.parametrize("role", ["participant", "organiser", "hr", "admin"])
def test_only_editors_list_and_download_packages_as_in_the_partner_catalogue(client, session,
                                                                              role):
    county = editor(session, slug="test-fylke", kind="county")
    post_zip(client, make_token(session, county), county_zip(), scope="public")
    partner = editor(session, slug="trondheim")
    other = make_user(session, org=partner.organisation,
                      roles=[] if role == "participant" else [role])
    token = make_token(session, other)
    listed = client.get("/api/v1/packages", headers=bearer(token))
    zipped = client.get("/api/v1/packages/no.test.digital-dugnad/1.0.0.zip",
                        headers=bearer(token))
    assert (listed.status_code, zipped.status_code) == (403, 403)
    assert b"no.test.digital-dugnad" not in listed.data + zipped.data


def test_an_unpublished_draft_package_never_leaks_even_when_shared_publicly(client, session):
    county = editor(session, slug="test-fylke", kind="county")
    course = drafts.create_package(session, actor=county, organisation=county.organisation,
                                   title="Hemmelig utkast", kind="course", language="nb",
                                   now=utcnow())
    package = session.scalar(sa.select(Package).where(Package.uid == course.source_package_uid))
    package.scope = SharingScope.PUBLIC
    session.flush()
    for caller in (county, editor(session, slug="trondheim")):
        token = make_token(session, caller)
        listed = client.get("/api/v1/packages", headers=bearer(token))
        zipped = client.get(f"/api/v1/packages/{package.uid}/0.0.0.zip", headers=bearer(token))
        assert listed.get_json() == []
        assert zipped.status_code == 404


def test_the_package_endpoints_are_in_the_openapi_spec(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert set(spec["paths"]["/api/v1/packages"]) >= {"get", "post"}
    assert "/api/v1/packages/{uid}/{version}.zip" in spec["paths"]

"""Error pages in both languages, never a traceback."""

from __future__ import annotations

import pytest
from flask import Blueprint, abort

from app.security import PUBLIC, permission


@pytest.fixture(scope="module")
def broken_app(database_url, tmp_path_factory):
    from app import create_app
    from tests.conftest import make_config

    app = create_app(make_config(database_url, str(tmp_path_factory.mktemp("s"))))
    bp = Blueprint("broken", __name__)

    @bp.route("/boom")
    @permission(PUBLIC)
    def boom():
        raise RuntimeError("secret internals: password=hunter2")

    @bp.route("/api/v1/boom")
    @permission(PUBLIC)
    def api_boom():
        raise RuntimeError("secret internals")

    @bp.route("/status/<int:code>")
    @permission(PUBLIC)
    def status(code: int):
        abort(code)

    app.register_blueprint(bp)
    return app


#: status -> (bokmål title, English title) of the error page.
TITLES = {
    400: ("Ugyldig forespørsel", "Bad request"),
    403: ("Ingen tilgang", "Access denied"),
    404: ("Fant ikke siden", "Page not found"),
    413: ("Filen er for stor", "The file is too large"),
    429: ("For mange forsøk", "Too many attempts"),
    500: ("Noe gikk galt", "Something went wrong"),
}


@pytest.mark.parametrize("status", sorted(TITLES))
@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_error_page_speaks_both_languages_and_shows_no_internals(broken_app, status,
                                                                         language):
    url = "/boom" if status == 500 else f"/status/{status}"
    response = broken_app.test_client().get(url, headers={"Accept-Language": language})
    body = response.get_data(as_text=True)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    title = TITLES[status][language == "en"]
    assert f"<h1 class=\"ds-heading\" data-size=\"lg\">{title}</h1>" in body
    assert f'lang="{language}"' in body
    assert "Traceback" not in body and "hunter2" not in body and "/app/" not in body


def test_an_unexpected_error_shows_a_calm_page_without_details(broken_app):
    response = broken_app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Noe gikk galt" in body and "ref." in body
    assert "Traceback" not in body and "hunter2" not in body


def test_an_unexpected_api_error_is_json(broken_app):
    response = broken_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.get_json()["code"] == "internal_error"
    assert "secret" not in response.get_data(as_text=True)


def test_not_found_in_both_languages(client):
    assert "Fant ikke siden" in client.get("/nowhere").get_data(as_text=True)
    english = client.get("/nowhere", headers={"Accept-Language": "en"})
    assert english.status_code == 404
    assert "Page not found" in english.get_data(as_text=True)


def test_a_too_large_upload_is_413_with_a_clear_message(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/login", data=b"x" * (limit + 1),
                           headers={"Content-Type": "application/octet-stream"})
    assert response.status_code == 413
    assert "Filen er for stor" in response.get_data(as_text=True)

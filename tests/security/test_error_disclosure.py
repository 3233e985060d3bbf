"""Error pages and API errors give nothing away: no traceback, no SQL, no file path, no
exception text, also when a view raises, when the database fails and when the error page
itself cannot be rendered."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Blueprint

from app.extensions import db
from app.security import PUBLIC, permission

#: What must never reach a browser or an API client.
LEAKS = ("Traceback", 'File "', "line ", ".py", "/work/", "/srv/", "/usr/", "site-packages",
         "sqlalchemy", "SELECT", "FROM ", "no_such_table", "hunter2", "OperationalError",
         "IntegrityError", "RuntimeError", "KeyError", "jinja2", "werkzeug")


def _raise_db_error():
    db.session.execute(sa.text("SELECT secret_column FROM no_such_table WHERE pw = 'hunter2'"))


def _raise_integrity_error():
    db.session.execute(sa.text("INSERT INTO organisation (id, slug, name, kind) "
                               "VALUES (1, NULL, 'hunter2', 'x')"))


def _raise_path_error():
    with open("/srv/kurs/hunter2/settings.py") as handle:  # noqa: PTH123
        return handle.read()


def _raise_key_error():
    return {}["hunter2"]


def _raise_runtime_error():
    raise RuntimeError("secret internals: password=hunter2 in /work/app/x.py line 3")


RAISERS = {
    "runtime": _raise_runtime_error,
    "database": _raise_db_error,
    "integrity": _raise_integrity_error,
    "path": _raise_path_error,
    "key": _raise_key_error,
}


@pytest.fixture(scope="module")
def broken_app(database_url, tmp_path_factory):
    from app import create_app
    from tests.conftest import make_config

    app = create_app(make_config(database_url, str(tmp_path_factory.mktemp("s"))))
    bp = Blueprint("broken_security", __name__)

    def view_for(raiser):
        @permission(PUBLIC)
        def view():
            raiser()
            return "not reached"

        return view

    for name, raiser in RAISERS.items():
        bp.add_url_rule(f"/boom/{name}", f"html_{name}", view_for(raiser))
        bp.add_url_rule(f"/api/v1/boom/{name}", f"api_{name}", view_for(raiser),
                        methods=["GET", "POST"])
    app.register_blueprint(bp)
    with app.app_context():
        db.create_all()
    return app


#: A signed token (a form's CSRF token: payload.timestamp.signature) is random text that may
#: contain ".py" or "line " by chance; it is taken out before the body is searched.
SIGNED_TOKEN = re.compile(r"\.?[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16,}")


def _assert_silent(response, where):
    body = SIGNED_TOKEN.sub("<token>", response.get_data(as_text=True))
    for leak in LEAKS:
        assert leak not in body, f"{where}: the response shows {leak!r}:\n{body[:2000]}"


@pytest.mark.parametrize("kind", sorted(RAISERS))
def test_a_failing_page_shows_a_calm_page_with_a_reference_only(broken_app, kind):
    response = broken_app.test_client().get(f"/boom/{kind}")
    assert response.status_code == 500
    assert "Noe gikk galt" in response.get_data(as_text=True)
    assert "ref." in response.get_data(as_text=True)
    _assert_silent(response, f"/boom/{kind}")


@pytest.mark.parametrize("kind", sorted(RAISERS))
def test_a_failing_api_call_is_json_with_a_code_only(broken_app, kind):
    response = broken_app.test_client().get(f"/api/v1/boom/{kind}")
    assert response.status_code == 500
    assert response.is_json and response.get_json()["code"] == "internal_error"
    _assert_silent(response, f"/api/v1/boom/{kind}")


def test_when_even_the_error_page_fails_the_fallback_is_plain_and_silent(broken_app,
                                                                       monkeypatch):
    import app.errors as errors

    def broken_template(*args, **kwargs):
        raise RuntimeError("template engine down: /work/app/templates/errors/error.html")

    monkeypatch.setattr(errors, "render_template", broken_template)
    response = broken_app.test_client().get("/boom/database")
    assert response.status_code == 500
    assert "Noe gikk galt" in response.get_data(as_text=True)
    _assert_silent(response, "fallback error page")


@pytest.mark.parametrize(("method", "url", "kwargs"), [
    ("GET", "/finnes-ikke", {}),
    ("GET", "/api/v1/finnes-ikke", {}),
    ("DELETE", "/login", {}),
    ("POST", "/api/v1/boom/runtime", {"data": "{not json", "content_type": "application/json"}),
    ("POST", "/api/v1/offerings/1/enrolments",
     {"data": "{not json", "content_type": "application/json",
      "headers": {"Authorization": "Bearer nonsense"}}),
    ("GET", "/kurs/%ff%fe", {}),
    ("GET", "/verify/" + "x" * 5000, {}),
])
def test_client_errors_are_silent_too(broken_app, method, url, kwargs):
    response = broken_app.test_client().open(url, method=method, **kwargs)
    assert 300 <= response.status_code < 500, (url, response.status_code)
    if url.startswith("/api/"):
        assert response.is_json and "code" in response.get_json()
    _assert_silent(response, f"{method} {url}")


def test_api_validation_errors_name_fields_but_never_internals(app, client, session):
    from tests.factories import make_token, make_user

    user = make_user(session)
    token = make_token(session, user)
    response = client.put("/api/v1/sessions/1/attendance",
                          json=[{"user_id": "'; DROP TABLE x; --", "status": "<script>"}],
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code in (403, 404, 422)
    _assert_silent(response, "validation error")

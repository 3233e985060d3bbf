"""Security headers on every response: pages, errors, JSON and static files."""

from __future__ import annotations

from tests.factories import make_user

REQUIRED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def _assert_secure(response, url):
    for header, value in REQUIRED.items():
        assert response.headers.get(header) == value, (url, header)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url
    assert "frame-ancestors 'none'" in csp


def test_every_page_sets_the_security_headers_and_no_store(app, client, session, login_as):
    login_as(make_user(session, roles=["admin", "hr", "organiser", "editor"]))
    urls = [
        r.rule for r in app.url_map.iter_rules()
        if "GET" in r.methods and not r.arguments and r.endpoint != "static"
    ] + ["/finnes-ikke", "/api/v1/finnes-ikke"]
    for url in urls:
        response = client.get(url)
        _assert_secure(response, url)
        assert response.headers["Cache-Control"] == "no-store", url


def test_static_files_are_cacheable_and_still_have_the_headers(client):
    response = client.get("/static/css/app.css")
    response.close()
    assert response.status_code == 200
    _assert_secure(response, "/static/css/app.css")
    assert "max-age" in response.headers["Cache-Control"]


def test_the_session_cookie_is_httponly_and_samesite_lax(client):
    page = client.get("/login")
    assert page.status_code == 200
    cookie = page.headers.get("Set-Cookie", "")
    assert "kurs_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development and tests run over plain http


def test_production_marks_cookies_secure_and_sends_hsts(database_url, tmp_path):
    from app import create_app
    from tests.conftest import make_config

    config = make_config(
        database_url, str(tmp_path), PRODUCTION=True, SESSION_COOKIE_SECURE=True,
        SECRET_KEY="x" * 32,
    )
    app = create_app(config)
    with app.test_client() as client:
        response = client.get("/login")
        assert "Secure" in response.headers["Set-Cookie"]
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")

"""Logging in and out with a local account."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts import services
from app.accounts.models import LoginAttempt
from app.errors import DomainError, TooManyRequestsError
from app.orm import utcnow
from tests.factories import PASSWORD, make_user


def _login(web, email, password=PASSWORD, next_url=None):
    data = {"email": email, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return web.post("/login", data, page="/login")


def test_a_person_logs_in_and_lands_on_their_home_page(web, session):
    make_user(session, email="kari@example.org", name="Kari Nordmann", password=PASSWORD)
    response = _login(web, "Kari@Example.org ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = web.get("/")
    assert "Hei, Kari" in home.get_data(as_text=True)


def test_login_returns_to_the_page_asked_for_but_never_to_another_site(web, session):
    make_user(session, email="kari@example.org", password=PASSWORD)
    assert _login(web, "kari@example.org", next_url="/profil").headers["Location"] == "/profil"
    web.post("/logout", page="/profil")
    for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = _login(web, "kari@example.org", next_url=evil)
        assert response.headers["Location"] == "/", evil
        web.post("/logout", page="/")


def test_a_wrong_password_and_an_unknown_address_get_the_same_message(web, session):
    make_user(session, email="kari@example.org", password=PASSWORD)
    wrong = _login(web, "kari@example.org", "not the password").get_data(as_text=True)
    unknown = _login(web, "nobody@example.org", "not the password").get_data(as_text=True)
    assert "Feil e-postadresse eller passord." in wrong
    assert "Feil e-postadresse eller passord." in unknown


def test_an_empty_form_names_each_missing_field(web):
    page = _login(web, "", "").get_data(as_text=True)
    assert "E-postadresse: Dette feltet er påkrevd." in page or "E-postadresse:" in page
    assert 'aria-invalid="true"' in page


def test_a_deactivated_person_cannot_log_in(web, session):
    make_user(session, email="gone@example.org", password=PASSWORD, active=False)
    response = _login(web, "gone@example.org")
    assert response.status_code == 200
    assert "Feil e-postadresse eller passord." in response.get_data(as_text=True)


def test_ten_failures_lock_the_account_for_fifteen_minutes_even_with_the_right_password(
    web, session
):
    make_user(session, email="kari@example.org", password=PASSWORD)
    for _ in range(10):
        assert _login(web, "kari@example.org", "wrong guess").status_code == 200
    locked = _login(web, "kari@example.org", PASSWORD)
    assert locked.status_code == 429
    assert "Vent 15 minutter" in locked.get_data(as_text=True)
    failures = session.scalar(
        sa.select(sa.func.count()).select_from(LoginAttempt)
        .where(LoginAttempt.email == "kari@example.org", LoginAttempt.success.is_(False))
    )
    assert failures == 10


def test_the_lock_is_per_account_so_colleagues_behind_the_same_address_log_in(web, session):
    make_user(session, email="kari@example.org", password=PASSWORD)
    make_user(session, email="ola@example.org", password=PASSWORD)
    for _ in range(10):
        _login(web, "kari@example.org", "wrong guess")
    assert _login(web, "ola@example.org").status_code == 302


def test_the_lock_lifts_once_the_failures_are_fifteen_minutes_old(session):
    make_user(session, email="kari@example.org", password=PASSWORD)
    start = utcnow()
    limits = {"address": "10.0.0.1", "max_per_account": 10, "max_per_address": 300,
              "window": timedelta(minutes=15)}
    for minute in range(10):
        with pytest.raises(DomainError):
            services.authenticate(session, email="kari@example.org", password="wrong",
                                  now=start + timedelta(minutes=minute), **limits)
    with pytest.raises(TooManyRequestsError):
        services.authenticate(session, email="kari@example.org", password=PASSWORD,
                              now=start + timedelta(minutes=14), **limits)
    # Fifteen minutes after the first failure, nine remain in the window: one more try.
    user = services.authenticate(session, email="kari@example.org", password=PASSWORD,
                                 now=start + timedelta(minutes=15, seconds=1), **limits)
    assert user.email == "kari@example.org"


def test_one_address_is_stopped_after_its_own_generous_limit_others_are_not(
        app, web, client, session, monkeypatch):
    """Guessing across many accounts from one address hits the per-address limit
    (``KURS_LOGIN_MAX_FAILURES_PER_ADDRESS``, 300 by default, 4 here)."""
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 4)
    make_user(session, email="ola@example.org", password=PASSWORD)
    for n in range(4):
        assert _login(web, f"gjetning{n}@example.org", "wrong guess").status_code == 200
    blocked = _login(web, "ola@example.org")
    assert blocked.status_code == 429
    assert "For mange mislykkede innlogginger" in blocked.get_data(as_text=True)
    elsewhere = client.post("/login", data={
        "email": "ola@example.org", "password": PASSWORD,
        "csrf_token": web.token("/login")}, environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert elsewhere.status_code == 302


def test_login_starts_a_fresh_session(web, client, session):
    make_user(session, email="kari@example.org", password=PASSWORD)
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    _login(web, "kari@example.org")
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["_user_id"].endswith(":1")


def test_logout_needs_a_post_with_token_and_ends_the_session(web, client, session):
    make_user(session, email="kari@example.org", password=PASSWORD)
    _login(web, "kari@example.org")
    assert client.get("/logout").status_code == 405
    response = web.post("/logout", page="/")
    assert response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302

"""Changing the password, and sessions that end with it."""

from __future__ import annotations

import pytest

from app.accounts import services
from app.errors import DomainError
from app.orm import utcnow
from tests.factories import PASSWORD, make_user

NEW = "a completely new passphrase"


def _change(web, current, new, confirm=None):
    return web.post(
        "/profil/passord",
        {"current_password": current, "new_password": new, "confirm": confirm or new},
        page="/profil",
    )


def test_changing_the_password_logs_out_every_other_session(app, web, login_as, session):
    user = login_as(make_user(session, password=PASSWORD))
    other_device = app.test_client()
    with other_device.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
    assert other_device.get("/").status_code == 200

    response = _change(web, PASSWORD, NEW)
    assert response.headers["Location"] == "/profil"

    assert other_device.get("/").status_code == 302  # sent to the login page
    assert web.get("/").status_code == 200  # this device stays logged in
    session.refresh(user)
    assert user.session_version == 2


def test_a_wrong_current_password_is_named_on_its_field(web, login_as, session):
    login_as(make_user(session, password=PASSWORD))
    page = _change(web, "wrong", NEW).get_data(as_text=True)
    assert "Det nåværende passordet er feil." in page


def test_a_short_or_mismatched_new_password_is_refused(web, login_as, session):
    login_as(make_user(session, password=PASSWORD))
    assert "Passordene er ulike." in _change(web, PASSWORD, NEW, "something else").get_data(
        as_text=True
    )
    assert "mellom 12 og 256 tegn" in _change(web, PASSWORD, "short").get_data(as_text=True)


def test_the_password_cannot_be_the_email_address(session):
    user = make_user(session, email="kari.nordmann@example.org", password=PASSWORD)
    with pytest.raises(DomainError) as error:
        services.set_password(session, user=user, new_password="kari.nordmann@example.org",
                              actor=user, now=utcnow())
    assert error.value.code == "password_like_email"


def test_deactivating_a_person_ends_their_sessions(client, login_as, session):
    user = login_as(make_user(session))
    assert client.get("/").status_code == 200
    services.deactivate(session, user=user, actor=None, now=utcnow())
    session.commit()
    assert client.get("/").status_code == 302

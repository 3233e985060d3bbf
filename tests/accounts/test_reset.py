"""Password reset: an e-mailed link that is signed, expires, works once, and never tells a
stranger whether an address has an account."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.outbox.models import OutboxEmail
from tests.factories import PASSWORD, make_user

NEW = "a brand new long passphrase"


def ask(web, email):
    return web.post("/glemt-passord", {"email": email}, page="/glemt-passord")


def mails(session, user=None):
    query = sa.select(OutboxEmail).order_by(OutboxEmail.id)
    if user is not None:
        query = query.where(OutboxEmail.user_id == user.id)
    return session.scalars(query).all()


def link_in(mail) -> str:
    return re.search(r"http://localhost(/glemt-passord/\S+)", mail.body_text).group(1)


def test_known_and_unknown_addresses_get_the_same_answer(web, session):
    make_user(session, email="kari@example.org", password=PASSWORD)
    known = ask(web, "Kari@Example.org")
    unknown = ask(web, "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"] == "/login"
    first = web.get("/login").get_data(as_text=True)
    assert "Hvis adressen har en konto her" in first
    assert [m.recipient for m in mails(session)] == ["kari@example.org"]


def test_the_link_sets_a_new_password_once_and_ends_other_sessions(web, session, app):
    user = make_user(session, email="kari@example.org", password=PASSWORD)
    other_device = app.test_client()
    with other_device.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
    ask(web, "kari@example.org")
    [mail] = mails(session, user)
    assert mail.subject == "Tilbakestill passordet ditt i kurs"
    link = link_in(mail)
    form = web.get(link)
    assert "Velg nytt passord" in form.get_data(as_text=True)
    done = web.post(link, {"new_password": NEW, "confirm": NEW}, page=link)
    assert done.headers["Location"] == "/login"
    assert other_device.get("/profil").status_code == 302  # logged out there
    login = web.post("/login", {"email": "kari@example.org", "password": NEW}, page="/login")
    assert login.headers["Location"] == "/"
    # The same link again: used.
    assert web.get(link).status_code == 404
    assert "allerede brukt" in web.get(link).get_data(as_text=True)


def test_an_expired_or_tampered_link_is_refused(web, session, app, monkeypatch):
    user = make_user(session, email="kari@example.org", password=PASSWORD)
    ask(web, "kari@example.org")
    link = link_in(mails(session, user)[0])
    assert web.get(link[:-3] + "abc").status_code == 404
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)
    expired = web.get(link)
    assert expired.status_code == 404
    assert "Lenken er utløpt" in expired.get_data(as_text=True)


def test_a_weak_password_is_refused_with_the_reason(web, session):
    user = make_user(session, email="kari@example.org", password=PASSWORD)
    ask(web, "kari@example.org")
    link = link_in(mails(session, user)[0])
    response = web.post(link, {"new_password": "kari@example.org",
                               "confirm": "kari@example.org"}, page=link)
    assert "Passordet kan ikke være e-postadressen din." in response.get_data(as_text=True)


def test_the_mail_is_in_the_persons_language(web, session):
    user = make_user(session, email="ola@example.org", locale="en")
    ask(web, "ola@example.org")
    [mail] = mails(session, user)
    assert mail.subject == "Reset your password in kurs"
    assert "Open the link within 60 minutes" in mail.body_text


def test_a_flood_of_requests_sends_at_most_three_mails_an_hour(web, session):
    user = make_user(session, email="kari@example.org")
    for _ in range(5):
        assert ask(web, "kari@example.org").status_code == 302
    assert len(mails(session, user)) == 3


def test_a_single_sign_on_account_is_told_to_use_it_and_gets_no_link(web, session):
    user = make_user(session, email="sso@example.org", oidc_subject="entra:t:o")
    ask(web, "sso@example.org")
    [mail] = mails(session, user)
    assert "kommunens innlogging" in mail.body_text
    assert "/glemt-passord/" not in mail.body_text


def test_service_and_deactivated_accounts_get_nothing(web, session):
    make_user(session, email="svc@example.org", is_service_account=True)
    make_user(session, email="gone@example.org", active=False)
    ask(web, "svc@example.org")
    ask(web, "gone@example.org")
    assert mails(session) == []

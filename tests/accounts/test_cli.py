"""``flask users create`` and ``flask tokens create``."""

from __future__ import annotations

from app.accounts.services import find_user_by_email, user_for_token
from app.orm import utcnow
from tests.factories import make_org, make_user


def test_tokens_create_prints_the_token_alone_on_its_last_line(runner, session):
    user = make_user(session, email="script@example.org")
    result = runner.invoke(args=["tokens", "create", "script@example.org", "--name", "HR"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("kurs_") and " " not in token
    assert user_for_token(session, token, now=utcnow()).id == user.id


def test_tokens_create_for_an_unknown_person_fails_clearly(runner):
    result = runner.invoke(args=["tokens", "create", "nobody@example.org", "--name", "x"])
    assert result.exit_code != 0
    assert "no active user" in result.output


def test_users_create_makes_a_local_account_with_roles(runner, session):
    make_org(session, slug="trondheim")
    result = runner.invoke(args=[
        "users", "create", "new.hr@example.org", "--name", "Nina HR", "--organisation",
        "trondheim", "--role", "hr", "--password", "a good long passphrase",
    ])
    assert result.exit_code == 0, result.output
    user = find_user_by_email(session, "new.hr@example.org")
    assert user.has_role("hr")
    assert user.password_hash.startswith("$argon2id$")


def test_users_create_refuses_a_weak_password_and_writes_nothing(runner, session):
    make_org(session, slug="trondheim")
    result = runner.invoke(args=[
        "users", "create", "weak@example.org", "--name", "W", "--organisation", "trondheim",
        "--password", "short",
    ])
    assert result.exit_code != 0
    assert find_user_by_email(session, "weak@example.org") is None


def test_users_create_without_password_asks_nothing_and_leaves_the_person_to_choose_one(
        runner, session):
    """A partner's local account (README, "Partners"): no password until the person sets
    one with the forgotten-password link."""
    make_org(session, slug="trondheim")
    result = runner.invoke(args=[
        "users", "create", "partner@example.org", "--name", "Pia Partner", "--organisation",
        "trondheim", "--role", "editor",
    ], input="")
    assert result.exit_code == 0, result.output
    assert "Password" not in result.output
    user = find_user_by_email(session, "partner@example.org")
    assert user.has_role("editor") and user.password_hash is None

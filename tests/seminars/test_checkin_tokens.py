"""Signed check-in tokens, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.seminars.checkin_tokens import (
    MAX_AGE,
    TokenExpired,
    TokenInvalid,
    make_token,
    next_rotation,
    read_token,
    window_of,
)

SECRET = "test-secret"
NOW = datetime(2027, 3, 4, 8, 0, 20, tzinfo=UTC)


def test_a_token_names_its_session_and_its_minute():
    token = make_token(SECRET, 42, NOW)
    parsed = read_token(SECRET, token, NOW, MAX_AGE)
    assert parsed.session_id == 42
    assert parsed.window == window_of(NOW) == int(datetime(2027, 3, 4, 8, 0, tzinfo=UTC)
                                                  .timestamp())


def test_the_code_is_the_same_all_minute_and_changes_with_the_next():
    same_minute = make_token(SECRET, 42, NOW + timedelta(seconds=30))
    assert make_token(SECRET, 42, NOW) == same_minute
    assert make_token(SECRET, 42, next_rotation(NOW)) != same_minute
    assert next_rotation(NOW) == datetime(2027, 3, 4, 8, 1, tzinfo=UTC)


def test_a_token_is_accepted_for_at_least_three_minutes_then_refused_as_expired():
    token = make_token(SECRET, 42, NOW)
    assert read_token(SECRET, token, NOW + timedelta(minutes=3), MAX_AGE).session_id == 42
    with pytest.raises(TokenExpired):
        read_token(SECRET, token, NOW + timedelta(seconds=MAX_AGE + 60), MAX_AGE)


def test_a_shorter_validity_than_three_minutes_is_never_used():
    token = make_token(SECRET, 42, NOW)
    assert read_token(SECRET, token, NOW + timedelta(minutes=2, seconds=30), max_age=10)


@pytest.mark.parametrize("token", ["", "finnes-ikke", "eyJzIjo0Mn0.x.y", "a" * 400])
def test_garbage_is_refused_as_invalid(token):
    with pytest.raises(TokenInvalid):
        read_token(SECRET, token, NOW, MAX_AGE)


def test_a_token_signed_with_another_key_or_altered_is_invalid():
    token = make_token("another key", 42, NOW)
    with pytest.raises(TokenInvalid):
        read_token(SECRET, token, NOW, MAX_AGE)
    genuine = make_token(SECRET, 42, NOW)
    tampered = genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB")
    with pytest.raises(TokenInvalid):
        read_token(SECRET, tampered, NOW, MAX_AGE)


def test_a_token_from_the_future_is_invalid_not_merely_expired():
    token = make_token(SECRET, 42, NOW + timedelta(minutes=10))
    with pytest.raises(TokenInvalid):
        read_token(SECRET, token, NOW, MAX_AGE)

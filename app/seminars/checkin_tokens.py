"""Signed, short-lived QR check-in tokens (itsdangerous), without a database.

A token names one session and carries the minute it was made. The projector shows a new
one every minute; each stays valid for ``max_age`` seconds (at least three minutes), long
enough for a phone to scan it, log in and confirm. Tokens made within the same minute are
identical, so every projector and the API show the same code, and the minute identifies
the code when it is used twice (a replay).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

SALT = "kurs.seminars.checkin"
#: A code is shown for one minute.
ROTATION_SECONDS = 60
#: The shortest validity design.md allows.
MIN_MAX_AGE = 180
#: How long a code is accepted: a scan, a login and a tap fit comfortably in five minutes,
#: while a photo of the screen sent to someone elsewhere stops working soon after.
MAX_AGE = 300


class TokenInvalid(Exception):
    """Forged, garbled or signed with another key."""


class TokenExpired(Exception):
    """Genuine, but older than its validity."""


@dataclass(frozen=True)
class CheckinToken:
    session_id: int
    #: The Unix time of the minute the token was made; identifies the code.
    window: int


def window_of(now: datetime) -> int:
    return int(now.timestamp()) // ROTATION_SECONDS * ROTATION_SECONDS


def _serializer(secret: str, timestamp: int) -> URLSafeTimedSerializer:
    class _Signer(TimestampSigner):
        # The clock is the caller's ``now`` (so tests control time), rounded down to the
        # minute when signing so that a minute's tokens are the same string.
        def get_timestamp(self) -> int:
            return timestamp

    return URLSafeTimedSerializer(secret, salt=SALT, signer=_Signer)


def make_token(secret: str, session_id: int, now: datetime) -> str:
    return _serializer(secret, window_of(now)).dumps({"s": session_id})


def next_rotation(now: datetime) -> datetime:
    return datetime.fromtimestamp(window_of(now) + ROTATION_SECONDS, UTC)


def expires_at(now: datetime) -> datetime:
    """When the code shown at ``now`` stops being accepted."""
    return datetime.fromtimestamp(window_of(now) + MAX_AGE, UTC)


def read_token(secret: str, token: str, now: datetime, max_age: int) -> CheckinToken:
    """The session and minute of a token; raises ``TokenInvalid`` or ``TokenExpired``."""
    if not token or len(token) > 300:
        raise TokenInvalid
    serializer = _serializer(secret, int(now.timestamp()))
    try:
        payload, signed_at = serializer.loads(token, max_age=max(max_age, MIN_MAX_AGE),
                                              return_timestamp=True)
    except SignatureExpired as error:
        # itsdangerous also says "expired" for a token signed in the future; that is a
        # clock problem or a forgery, never a genuine code.
        if error.date_signed is not None and error.date_signed > now:
            raise TokenInvalid from error
        raise TokenExpired from error
    except BadSignature as error:
        raise TokenInvalid from error
    session_id = payload.get("s") if isinstance(payload, dict) else None
    if not isinstance(session_id, int) or isinstance(session_id, bool):
        raise TokenInvalid
    return CheckinToken(session_id=session_id, window=int(signed_at.timestamp()))

"""State changes for people: logging in, passwords, language, API tokens."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, joinedload

from app.accounts import passwords
from app.accounts.models import ApiToken, LoginAttempt, TokenScope, User
from app.errors import DomainError, TooManyRequestsError
from app.security import audit

log = logging.getLogger(__name__)

TOKEN_PREFIX = "kurs_"  # noqa: S105  (a visible marker, not a secret)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(sa.select(User).where(User.email == normalise_email(email)))


# Login ---------------------------------------------------------------------------------


def _recent_failures(session: Session, column, value: str, since: datetime) -> int:
    return session.scalar(
        sa.select(sa.func.count())
        .select_from(LoginAttempt)
        .where(column == value, LoginAttempt.at >= since, LoginAttempt.success.is_(False))
    )


def authenticate(
    session: Session,
    *,
    email: str,
    password: str,
    address: str,
    now: datetime,
    max_per_account: int,
    max_per_address: int,
    window,
) -> User:
    """Check a login. Raises ``TooManyRequestsError`` while throttled, ``DomainError``
    with the same message for an unknown address and a wrong password."""
    email = normalise_email(email)
    since = now - window
    if (
        _recent_failures(session, LoginAttempt.email, email, since) >= max_per_account
        or _recent_failures(session, LoginAttempt.address, address, since) >= max_per_address
    ):
        log.warning("login throttled email=%s address=%s", email, address)
        raise TooManyRequestsError(
            "login_throttled",
            _l("For mange mislykkede innlogginger. Vent 15 minutter, og prøv igjen, "
               "eller be om å få tilbakestilt passordet."),
        )

    user = find_user_by_email(session, email)
    ok = passwords.verify_password(user.password_hash if user else None, password)
    session.add(LoginAttempt(email=email, address=address, at=now, success=ok))
    if not ok or user is None or not user.active:
        log.info("login failed email=%s address=%s", email, address)
        raise DomainError(
            "invalid_credentials", _l("Feil e-postadresse eller passord."), field="password"
        )
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = now
    audit(session, actor=user, action="accounts.login", obj=user, address=address)
    session.flush()
    return user


def validate_new_password(user: User, new_password: str) -> None:
    if len(new_password) < passwords.MIN_LENGTH:
        raise DomainError(
            "password_too_short",
            _l("Passordet må ha minst %(n)d tegn.", n=passwords.MIN_LENGTH),
            field="new_password",
        )
    if len(new_password) > passwords.MAX_LENGTH:
        raise DomainError(
            "password_too_long",
            _l("Passordet kan ha høyst %(n)d tegn.", n=passwords.MAX_LENGTH),
            field="new_password",
        )
    lowered = new_password.lower()
    if lowered in {user.email.lower(), user.email.split("@")[0].lower()}:
        raise DomainError(
            "password_like_email",
            _l("Passordet kan ikke være e-postadressen din."),
            field="new_password",
        )


def set_password(session: Session, *, user: User, new_password: str, actor: User | None,
                 now: datetime) -> None:
    """Set a new password and end every other session of the person."""
    validate_new_password(user, new_password)
    user.password_hash = passwords.hash_password(new_password)
    user.session_version += 1
    audit(session, actor=actor, action="accounts.password_set", obj=user)
    session.flush()


def change_password(session: Session, *, user: User, current_password: str,
                    new_password: str, now: datetime) -> None:
    if not passwords.verify_password(user.password_hash, current_password):
        raise DomainError(
            "wrong_password", _l("Det nåværende passordet er feil."), field="current_password"
        )
    set_password(session, user=user, new_password=new_password, actor=user, now=now)


def set_locale(session: Session, *, user: User, locale: str) -> None:
    if locale not in {"nb", "en"}:
        raise DomainError("unknown_locale", _l("Ukjent språk."), field="lang")
    user.locale = locale
    session.flush()


def deactivate(session: Session, *, user: User, actor: User | None, now: datetime) -> None:
    """A leaver: kept for statistics, but cannot log in, and every session ends."""
    if not user.active:
        return
    user.active = False
    user.deactivated_at = now
    user.session_version += 1
    audit(session, actor=actor, action="accounts.deactivated", obj=user)
    session.flush()


# API tokens ----------------------------------------------------------------------------


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_token(session: Session, *, user: User, name: str, actor: User | None,
                 now: datetime, expires_at: datetime | None = None,
                 scope: TokenScope | str = TokenScope.READ_WRITE) -> tuple[ApiToken, str]:
    """Create a token; returns it with the plain text, which is shown once and never stored."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError(
            "token_name_invalid", _l("Gi tokenet et navn på 1–100 tegn."), field="name"
        )
    if scope not in {s.value for s in TokenScope}:
        raise DomainError("token_scope_invalid", _l("Ukjent tilgang for tokenet."),
                          field="scope")
    if not user.active:
        raise DomainError("token_user_inactive",
                          _l("Kontoen er deaktivert og kan ikke få nye token."), field="name")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        token_hash=hash_token(raw),
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        created_at=now,
        expires_at=expires_at,
        scope=TokenScope(scope),
        created_by_id=getattr(actor, "id", None),
    )
    session.add(token)
    session.flush()
    audit(session, actor=actor, action="accounts.token_created", obj=token, name=name,
          user_id=user.id, scope=str(token.scope))
    log.info("token created id=%s user=%s actor=%s", token.id, user.id,
             getattr(actor, "id", None))
    return token, raw


@cache
def _token_statement() -> sa.Select:
    # One statement for the token, its person and the roles every permission check reads
    # (built once: composing the joined load costs more than running it).
    return (
        sa.select(ApiToken)
        .where(ApiToken.token_hash == sa.bindparam("token_hash"))
        .options(joinedload(ApiToken.user).joinedload(User.roles))
    )


def token_for_raw(session: Session, raw: str, *, now: datetime) -> ApiToken | None:
    """The live token for a bearer string: not revoked, not expired, and its account
    active (a leaver's tokens stop working the moment they are deactivated)."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = session.scalars(_token_statement(),
                            {"token_hash": hash_token(raw)}).unique().one_or_none()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    return token if token.user.active else None


def user_for_token(session: Session, raw: str, *, now: datetime) -> User | None:
    token = token_for_raw(session, raw, now=now)
    return token.user if token is not None else None


def revoke_token(session: Session, *, token: ApiToken, actor: User, now: datetime) -> None:
    if token.revoked_at is not None:
        return  # revoking twice (a double click) changes nothing
    token.revoked_at = now
    audit(session, actor=actor, action="accounts.token_revoked", obj=token,
          user_id=token.user_id)
    log.info("token revoked id=%s actor=%s", token.id, getattr(actor, "id", None))
    session.flush()

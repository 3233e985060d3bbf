"""Password reset by an e-mailed link: signed, expiring, and good for one use.

The link carries the user id and a fingerprint of the current password hash and session
version, signed with ``SECRET_KEY``. Setting a password changes both, so a used link (or
one older than a password change) no longer matches. Whoever asks gets the same answer
whether or not the address has an account; the e-mail goes only to the account's owner.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.accounts.services import find_user_by_email, set_password
from app.errors import DomainError
from app.outbox.models import OutboxEmail
from app.outbox.services import queue_email

log = logging.getLogger(__name__)

SALT = "kurs.password-reset"


def _fingerprint(user: User) -> str:
    material = f"{user.password_hash or ''}|{user.session_version}|{user.email}"
    return hashlib.sha256(material.encode()).hexdigest()[:20]


def make_token(user: User, *, secret: str) -> str:
    return URLSafeTimedSerializer(secret, salt=SALT).dumps({"u": user.id,
                                                            "f": _fingerprint(user)})


def user_for_token(session: Session, token: str, *, secret: str, max_age: int) -> User:
    """The account a reset link is for; ``DomainError`` when it is expired, used or forged."""
    invalid = DomainError("reset_link_invalid", _l(
        "Lenken er ugyldig eller allerede brukt. Be om en ny lenke."), status=400)
    try:
        data = URLSafeTimedSerializer(secret, salt=SALT).loads(token, max_age=max_age)
    except SignatureExpired:
        raise DomainError("reset_link_expired", _l(
            "Lenken er utløpt. Be om en ny lenke."), status=400) from None
    except BadSignature:
        raise invalid from None
    user = session.get(User, data.get("u")) if isinstance(data, dict) else None
    if (user is None or not user.active or user.is_service_account
            or data.get("f") != _fingerprint(user)):
        raise invalid
    return user


def request_reset(session: Session, *, email: str, link_for, secret: str, max_age: int,
                  max_per_hour: int, now: datetime, domain: str) -> None:
    """Queue a reset e-mail when the address has an account that may have a password.

    ``link_for(token)`` builds the absolute URL. Silent about unknown addresses and about
    accounts that already had ``max_per_hour`` links this hour (a flood of requests must
    not become a flood of mail to a colleague).
    """
    user = find_user_by_email(session, email)
    if user is None or not user.active or user.is_service_account:
        log.info("password reset asked for an address without an active account")
        return
    reason = f"password_reset:{user.id}"
    recent = session.scalar(
        sa.select(sa.func.count()).select_from(OutboxEmail)
        .where(OutboxEmail.reason == reason, OutboxEmail.created_at >= now - timedelta(hours=1))
    )
    if recent >= max_per_hour:
        log.warning("password reset throttled user=%s", user.id)
        return
    with force_locale(user.locale or "nb"):
        if user.oidc_subject and not user.password_hash:
            subject = _("Innlogging i kurs")
            body = _(
                "Hei %(name)s,\n\nNoen ba om å tilbakestille passordet for %(email)s. "
                "Kontoen din bruker kommunens innlogging og har ikke noe eget passord: "
                "velg «Logg inn med kommunens konto» på innloggingssiden.\n\nHar du ikke "
                "bedt om dette, kan du se bort fra meldingen.\n",
                name=user.name, email=user.email)
        else:
            subject = _("Tilbakestill passordet ditt i kurs")
            body = _(
                "Hei %(name)s,\n\nNoen, forhåpentligvis du, ba om å tilbakestille passordet "
                "for %(email)s. Åpne lenken innen %(minutes)d minutter for å velge et nytt "
                "passord:\n\n%(link)s\n\nLenken kan brukes én gang. Har du ikke bedt om "
                "dette, kan du se bort fra meldingen; passordet ditt er ikke endret.\n",
                name=user.name, email=user.email, minutes=max_age // 60,
                link=link_for(make_token(user, secret=secret)))
    queue_email(session, recipient=user.email, subject=subject, body_text=body, now=now,
                domain=domain, user_id=user.id, reason=reason)
    log.info("password reset queued user=%s", user.id)


def reset_password(session: Session, *, token: str, new_password: str, secret: str,
                   max_age: int, now: datetime) -> User:
    user = user_for_token(session, token, secret=secret, max_age=max_age)
    set_password(session, user=user, new_password=new_password, actor=user, now=now)
    return user

"""Single sign-on: who the identity provider's claims belong to, and their roles.

Authlib (``app.accounts.oidc``) has already checked the ID token's signature, issuer,
audience, expiry and nonce before these functions see the claims. People are matched on
the provider's stable subject: for Entra ID the tenant and object ids (``tid`` + ``oid``),
for any other provider issuer + ``sub``. An e-mail address alone never logs anyone in:
an existing local account is linked only when the provider vouches for the address (or for
the employee number the HR import gave it), and the link is written to the audit trail.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.accounts.models import Organisation, Role, RoleAssignment, RoleSource, User
from app.accounts.services import normalise_email
from app.errors import DomainError, ForbiddenError
from app.security import audit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SsoSettings:
    organisation_slug: str | None = None
    #: The claim that lists the person's app roles (Entra ID: "roles").
    role_claim: str = "roles"
    #: claim value -> our role, e.g. {"Kurs.Admin": "admin"}; empty: roles come from admins.
    role_map: dict[str, str] = field(default_factory=dict)
    #: A claim with the HR employee number (an Entra optional claim such as "employeeid").
    employee_number_claim: str | None = None
    create_users: bool = True


def parse_role_map(text: str | None) -> dict[str, str]:
    """``"Kurs.Admin=admin, Kurs.HR=hr"`` -> ``{"Kurs.Admin": "admin", "Kurs.HR": "hr"}``."""
    mapping = {}
    valid = {r.value for r in Role}
    for part in (text or "").split(","):
        claim, _, role = part.partition("=")
        if claim.strip() and role.strip() in valid:
            mapping[claim.strip()] = role.strip()
        elif part.strip():
            raise ValueError(f"OIDC_ROLE_MAP: cannot read {part.strip()!r}")
    return mapping


def subject_of(claims: dict) -> str:
    """The stable key of a person at the provider.

    Entra's ``sub`` differs per application, ``oid`` does not; ``tid`` keeps two tenants'
    objects apart. Other providers promise that ``iss`` + ``sub`` never changes hands.
    """
    if claims.get("tid") and claims.get("oid"):
        key = f"entra:{claims['tid']}:{claims['oid']}"
    else:
        key = f"{claims['iss']}|{claims['sub']}"
    if len(key) > 255:
        key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return key


def verified_email(claims: dict) -> str | None:
    """The e-mail address when the provider says it has verified it.

    Entra ID sends no ``email_verified``; it marks addresses in domains the tenant has
    proved it owns with ``xms_edov``. Without either, an address could be one any tenant
    typed in, so it is used for nothing but display.
    """
    email = normalise_email(claims.get("email") or "")
    if not email:
        return None
    if claims.get("email_verified") is True or claims.get("xms_edov") in (True, "true", "1"):
        return email
    return None


def roles_from_claims(claims: dict, settings: SsoSettings) -> set[str]:
    values = claims.get(settings.role_claim) or []
    if isinstance(values, str):
        values = [values]
    return {settings.role_map[v] for v in values if v in settings.role_map}


def _organisation(session: Session, settings: SsoSettings) -> Organisation:
    query = sa.select(Organisation)
    if settings.organisation_slug:
        query = query.where(Organisation.slug == settings.organisation_slug)
    else:
        query = query.where(Organisation.kind == "municipality")
    found = session.scalars(query).all()
    if len(found) != 1:
        raise RuntimeError("set OIDC_ORGANISATION to the slug of the organisation whose "
                           "tenant signs people in")
    return found[0]


def login_with_claims(session: Session, *, claims: dict, settings: SsoSettings,
                      address: str, now: datetime) -> User:
    """Find, link or create the person the validated claims describe."""
    subject = subject_of(claims)
    user = session.scalar(sa.select(User).where(User.oidc_subject == subject))
    organisation = _organisation(session, settings)
    if user is None:
        user = _link_existing(session, claims, settings, organisation, subject, address)
    if user is None:
        user = _create(session, claims, settings, organisation, subject, address)
    if not user.active or user.is_service_account:
        log.info("sso login refused: inactive user=%s", user.id)
        raise ForbiddenError("account_inactive", _l(
            "Kontoen din er deaktivert. Kontakt HR eller brukerstøtte hvis det er feil."))
    if settings.role_map:
        _sync_roles(session, user, roles_from_claims(claims, settings), organisation)
    user.last_login_at = now
    audit(session, actor=user, action="accounts.login_sso", obj=user, address=address)
    session.flush()
    return user


def _link_existing(session: Session, claims: dict, settings: SsoSettings,
                   organisation: Organisation, subject: str, address: str) -> User | None:
    candidate, how = None, None
    number = claims.get(settings.employee_number_claim) if settings.employee_number_claim \
        else None
    if number:
        candidate = session.scalar(sa.select(User).where(
            User.organisation_id == organisation.id, User.employee_number == str(number)))
        how = "employee_number"
    email = verified_email(claims)
    if candidate is None and email:
        candidate = session.scalar(sa.select(User).where(User.email == email))
        how = "verified_email"
    if candidate is None:
        return None
    if candidate.oidc_subject is not None or candidate.is_service_account:
        # Already someone else's at the provider, or an integration: never take it over.
        log.warning("sso link refused user=%s subject=%s", candidate.id, subject)
        raise ConflictingAccount()
    candidate.oidc_subject = subject
    audit(session, actor=candidate, action="accounts.sso_linked", obj=candidate,
          address=address, matched_on=how)
    log.info("sso linked user=%s on %s", candidate.id, how)
    return candidate


def _create(session: Session, claims: dict, settings: SsoSettings,
            organisation: Organisation, subject: str, address: str) -> User:
    email = normalise_email(claims.get("email") or claims.get("preferred_username") or "")
    if not settings.create_users or "@" not in email:
        raise ForbiddenError("sso_no_account", _l(
            "Du har ingen konto her ennå. Kontakt brukerstøtte for å få tilgang."))
    if session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        # The address belongs to an account the provider has not vouched for.
        raise ConflictingAccount()
    user = User(organisation_id=organisation.id, email=email,
                name=(claims.get("name") or email)[:200], oidc_subject=subject)
    session.add(user)
    session.flush()
    audit(session, actor=user, action="accounts.sso_created", obj=user, address=address)
    log.info("sso created user=%s", user.id)
    return user


def _sync_roles(session: Session, user: User, wanted: set[str],
                organisation: Organisation) -> None:
    """Organisation-wide roles that came from the claim follow the claim; roles an admin
    granted by hand are left alone."""
    held = {(str(ra.role), ra.unit_id): ra for ra in user.roles
            if ra.organisation_id == organisation.id}
    for ra in list(user.roles):
        if (ra.source == RoleSource.SSO and ra.organisation_id == organisation.id
                and str(ra.role) not in wanted):
            user.roles.remove(ra)
            audit(session, actor=user, action="accounts.role_revoked", obj=user,
                  role=str(ra.role), source="sso")
    for role in sorted(wanted):
        if (role, None) not in held:
            user.roles.append(RoleAssignment(role=role, organisation_id=organisation.id,
                                             source=RoleSource.SSO))
            audit(session, actor=user, action="accounts.role_granted", obj=user, role=role,
                  source="sso")


class ConflictingAccount(DomainError):
    status = 409

    def __init__(self):
        super().__init__("sso_conflict", _l(
            "Vi fant en konto med e-postadressen din, men kunne ikke koble den trygt til "
            "innloggingen. Kontakt brukerstøtte, så kobler vi den for deg."))

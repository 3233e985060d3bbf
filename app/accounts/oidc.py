"""The Authlib client of the one OIDC provider, built from the ``OIDC_*`` settings.

The client, and Authlib with it, is loaded on first use and rebuilt when the settings
change, so an app without ``OIDC_METADATA_URL`` never contacts anyone and shows no single
sign-on button. The metadata URL must be tenant-specific for Entra ID
(``https://login.microsoftonline.com/<tenant id>/v2.0/.well-known/openid-configuration``):
the ``common`` endpoint publishes an issuer with a literal ``{tenantid}`` in it, and the
issuer check of every ID token would fail.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app

from app.accounts.sso import SsoSettings, parse_role_map

EXTENSION = "kurs_oidc"


def is_configured(app: Flask | None = None) -> bool:
    config = (app or current_app).config
    return bool(config.get("OIDC_METADATA_URL") and config.get("OIDC_CLIENT_ID"))


def client(app: Flask | None = None):
    app = app or current_app
    config = app.config
    key = (config["OIDC_METADATA_URL"], config["OIDC_CLIENT_ID"],
           config.get("OIDC_CLIENT_SECRET"), config.get("OIDC_SCOPE"))
    cached = app.extensions.get(EXTENSION)
    if cached is not None and cached[0] == key:
        return cached[1]
    # Authlib (with requests and its JOSE stack, about 30 MB a worker) is loaded with the
    # first client, so a worker that never signs anyone in through the provider never holds it.
    from authlib.integrations.flask_client import OAuth

    oauth = OAuth(app)
    remote = oauth.register(
        "kurs_oidc",
        server_metadata_url=key[0],
        client_id=key[1],
        client_secret=key[2],
        client_kwargs={"scope": key[3] or "openid email profile",
                       # PKCE on top of the client secret (Entra ID and ID-porten expect it).
                       "code_challenge_method": "S256"},
    )
    app.extensions[EXTENSION] = (key, remote)
    return remote


def settings(app: Flask | None = None) -> SsoSettings:
    config = (app or current_app).config
    return SsoSettings(
        organisation_slug=config.get("OIDC_ORGANISATION") or None,
        role_claim=config.get("OIDC_ROLE_CLAIM") or "roles",
        role_map=parse_role_map(config.get("OIDC_ROLE_MAP")),
        employee_number_claim=config.get("OIDC_EMPLOYEE_NUMBER_CLAIM") or None,
        create_users=bool(config.get("OIDC_CREATE_USERS", True)),
    )


def provider_origin(app: Flask | None = None) -> str:
    """The provider's scheme and host, for the login page's CSP ``form-action``: browsers
    apply it to the redirect that follows the single sign-on button's POST too."""
    parts = urlsplit((app or current_app).config["OIDC_METADATA_URL"])
    return f"{parts.scheme}://{parts.netloc}"

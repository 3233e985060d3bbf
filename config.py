"""Settings, read from the environment.

``KURS_ENV=production`` switches on production behaviour: Secure cookies, HSTS and a
required ``SECRET_KEY``. Anything else is development. Every variable is documented in
the README's "Settings" section.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the app refuses to start rather than run unsafely."""


class Config:
    KURS_ENV = os.environ.get("KURS_ENV", "development")
    PRODUCTION = KURS_ENV == "production"

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///kurs.db")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    #: Session settings every PostgreSQL connection starts with (libpq's ``options``; empty
    #: for the server's own). JIT compilation cost the report landing's statement 3.5 s
    #: for nothing at 14,000 employees, and a parallel plan hands one request's statement
    #: to processes that other requests are waiting for (docs/performance.md).
    KURS_POSTGRES_OPTIONS = os.environ.get(
        "KURS_POSTGRES_OPTIONS", "-c jit=off -c max_parallel_workers_per_gather=0")
    KURS_STORAGE_DIR = os.environ.get("KURS_STORAGE_DIR", str(BASE_DIR / "storage"))
    #: Each worker keeps the people of recent requests in memory while the directory's
    #: generation is unchanged (app.accounts.identity); "0" loads them on every request.
    KURS_KEEP_IDENTITIES = os.environ.get("KURS_KEEP_IDENTITIES", "1") != "0"
    KURS_BASE_URL = os.environ.get("KURS_BASE_URL", "http://127.0.0.1:5000")
    #: Shown in the footer and in e-mails as the place to ask for help.
    KURS_SUPPORT_EMAIL = os.environ.get("KURS_SUPPORT_EMAIL", "kurs@trondheim.kommune.no")

    # Uploads (course packages, toolbox templates, HR files) are capped here; each upload
    # form checks its own, smaller limit and type as well.
    MAX_CONTENT_LENGTH = _int("KURS_MAX_UPLOAD_MB", 50) * 1024 * 1024

    SESSION_COOKIE_NAME = "kurs_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = PRODUCTION
    PERMANENT_SESSION_LIFETIME = timedelta(hours=_int("KURS_SESSION_HOURS", 10))
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = PRODUCTION
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PREFERRED_URL_SCHEME = "https" if PRODUCTION else "http"
    #: Number of proxies in front of the app whose X-Forwarded-* headers are trusted.
    KURS_PROXY_COUNT = _int("KURS_PROXY_COUNT", 0)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    BABEL_DEFAULT_LOCALE = "nb"
    BABEL_DEFAULT_TIMEZONE = "Europe/Oslo"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")
    LANGUAGES = ("nb", "en")

    # Argon2id parameters (RFC 9106's second recommended option, 64 MiB).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4

    # Login throttling, counted in the database so that it holds across workers and hosts.
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 10
    LOGIN_MAX_FAILURES_PER_ADDRESS = _int("KURS_LOGIN_MAX_FAILURES_PER_ADDRESS", 300)
    LOGIN_FAILURE_WINDOW = timedelta(minutes=15)

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "kurs@localhost")
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 30)
    OUTBOX_MAX_ATTEMPTS = _int("OUTBOX_MAX_ATTEMPTS", 8)
    OUTBOX_LEASE_SECONDS = _int("OUTBOX_LEASE_SECONDS", 300)

    OIDC_METADATA_URL = os.environ.get("OIDC_METADATA_URL")
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID")
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET")
    OIDC_SCOPE = os.environ.get("OIDC_SCOPE", "openid email profile")
    #: Slug of the organisation whose tenant signs people in (default: the only municipality).
    OIDC_ORGANISATION = os.environ.get("OIDC_ORGANISATION")
    #: e.g. "Kurs.Admin=admin,Kurs.HR=hr"; empty: roles are granted by admins only.
    OIDC_ROLE_MAP = os.environ.get("OIDC_ROLE_MAP", "")
    OIDC_ROLE_CLAIM = os.environ.get("OIDC_ROLE_CLAIM", "roles")
    #: A claim carrying the HR employee number (e.g. Entra's optional claim "employeeid").
    OIDC_EMPLOYEE_NUMBER_CLAIM = os.environ.get("OIDC_EMPLOYEE_NUMBER_CLAIM")
    OIDC_CREATE_USERS = _bool("OIDC_CREATE_USERS", True)

    PASSWORD_RESET_MAX_AGE = _int("KURS_PASSWORD_RESET_MINUTES", 60) * 60
    #: Reset e-mails per account per hour; more requests are answered but send nothing.
    PASSWORD_RESET_MAX_PER_HOUR = 3
    HR_IMPORT_MAX_BYTES = _int("KURS_HR_IMPORT_MAX_MB", 20) * 1024 * 1024

    # Retention: how long each kind of personal data is kept. `flask privacy purge` (run it
    # daily) deletes or anonymises what is older; the privacy notice shows these figures.
    #: Login attempts (the throttle needs 15 minutes; the rest is for tracing abuse).
    RETENTION_LOGIN_ATTEMPTS_DAYS = _int("KURS_RETENTION_LOGIN_ATTEMPTS_DAYS", 90)
    #: Sent and finally failed e-mail in the outbox (pending mail is never deleted).
    RETENTION_OUTBOX_DAYS = _int("KURS_RETENTION_OUTBOX_DAYS", 180)
    #: The access log of who viewed which report or person.
    RETENTION_ACCESS_LOG_DAYS = _int("KURS_RETENTION_ACCESS_LOG_DAYS", 730)
    #: The audit trail of state changes.
    RETENTION_AUDIT_DAYS = _int("KURS_RETENTION_AUDIT_DAYS", 1825)
    #: What a person answered in a quiz (the attempt's score and pass are kept).
    RETENTION_QUIZ_ANSWERS_DAYS = _int("KURS_RETENTION_QUIZ_ANSWERS_DAYS", 365)
    #: Finished jobs and their result files (exports, certificate archives).
    RETENTION_JOB_RESULTS_DAYS = _int("KURS_RETENTION_JOB_RESULTS_DAYS", 30)
    #: Leavers (deactivated people) are anonymised this many years after they left.
    RETENTION_LEAVER_YEARS = _int("KURS_RETENTION_LEAVER_YEARS", 2)

    API_TITLE = "kurs API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_SPEC_OPTIONS = {
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}
        },
        "security": [{"bearerAuth": []}],
    }

    @classmethod
    def validate(cls) -> None:
        """Stop start-up when production would otherwise run with an unsafe setting."""
        if cls.PRODUCTION and not cls.SECRET_KEY:
            raise ConfigError("SECRET_KEY must be set when KURS_ENV=production.")


class DevelopmentConfig(Config):
    # A stable development key so that a restart of `make run` keeps people logged in; it is
    # never used in production, where validate() insists on SECRET_KEY.
    SECRET_KEY = Config.SECRET_KEY or "development-only-key-not-for-production"  # noqa: S105


class TestConfig(Config):
    TESTING = True
    PRODUCTION = False
    KURS_ENV = "test"
    SECRET_KEY = secrets.token_hex(16)
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = True
    MAIL_SERVER = None
    KURS_BASE_URL = "http://localhost"
    # Cheap hashing keeps the suite fast; the algorithm is the same as in production.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"


def default_config() -> type[Config]:
    return Config if Config.PRODUCTION else DevelopmentConfig

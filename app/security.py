"""Who may do what, the security headers of every response, and the audit trail.

Every route names one permission with ``@permission("name")``. ``PERMISSIONS`` below is the
single table of roles per permission; a test walks ``app.url_map`` and fails on any route
that does not declare one. Object scope (which organisation, which unit subtree) is enforced
again in each query with the helpers of ``app.accounts.scope``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import Session

from app.common.models import AuditEvent
from app.errors import ForbiddenError
from app.orm import insert_row

log = logging.getLogger(__name__)

#: Anyone, logged in or not.
PUBLIC = "public"
#: Any logged-in person (everyone is a participant).
AUTHENTICATED = "authenticated"

#: permission name -> the roles that hold it. ``None`` means every logged-in person;
#: the object checks in the services and queries narrow it further.
PERMISSIONS: dict[str, frozenset[str] | None] = {
    PUBLIC: None,
    AUTHENTICATED: None,
    "admin.outbox": frozenset({"admin"}),
    "admin.jobs": frozenset({"admin"}),
    # People, roles, units, service accounts and their tokens, in the admin's organisations.
    "admin.users": frozenset({"admin"}),
    "admin.hr_import": frozenset({"admin"}),
    "admin.audit": frozenset({"admin"}),
    # The IT service: keeps the toolbox's templates and governs the project register.
    "toolbox.manage": frozenset({"organiser", "admin"}),
    "projects.govern": frozenset({"organiser", "admin"}),
    # Course packages: the partner catalogue, imports, updates and uploads …
    "sharing.catalogue": frozenset({"editor"}),
    # … writing and publishing an own package …
    "sharing.author": frozenset({"editor"}),
    # … and POST /api/v1/packages.
    "sharing.publish": frozenset({"editor"}),
    "quizzes.author": frozenset({"admin", "organiser", "editor"}),
    "certificates.manage": frozenset({"admin", "organiser"}),
    "completions.register": frozenset({"admin", "hr"}),
    # Seminars: organisers run attendance, check-in, sign-in sheets and see registration
    # answers (health data) of their own organisation's seminars; HR reads attendance.
    "seminars.organise": frozenset({"organiser"}),
    "seminars.report": frozenset({"organiser", "hr"}),
    # Aggregated evaluation results; app.evaluation.scope narrows each role to its own.
    "evaluation.results": frozenset({"admin", "hr", "organiser", "editor"}),
    "evaluation.questions": frozenset({"admin", "organiser"}),
    "catalogue.manage": frozenset({"organiser", "admin", "editor"}),
    "offering.manage": frozenset({"organiser", "admin"}),
    "enrolment.manage": frozenset({"organiser", "admin", "hr"}),
    # Competence reports (app/reports): HR and admins for their organisation or unit
    # subtree; a leader for the subtrees they lead (LEADER_PERMISSIONS).
    "reports.view": frozenset({"hr", "admin"}),
    # Which courses are mandatory for whom (app/catalogue/requirements): organisation-wide
    # HR and admins; the view narrows to their organisations.
    "requirements.manage": frozenset({"hr", "admin"}),
}

#: Permissions a person also holds by leading a unit (being its ``Unit.manager``); the
#: queries behind them narrow a leader to the subtrees they lead.
LEADER_PERMISSIONS: frozenset[str] = frozenset({"reports.view"})

#: Routes registered by libraries rather than by our blueprints.
FRAMEWORK_ROUTES: dict[str, str] = {
    "static": PUBLIC,
    "api-docs.openapi_json": PUBLIC,
}


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def current_actor():
    """The person acting in this request: the bearer token's user under /api/, else the
    cookie session's user. The API never honours the session cookie."""
    if is_api_request():
        return g.get("api_user")
    return current_user if current_user.is_authenticated else None


def allowed(user, name: str) -> bool:
    if name == PUBLIC:
        return True
    if user is None or not user.is_active:
        return False
    roles = PERMISSIONS[name]
    if roles is None or user.has_role(*roles):
        return True
    return name in LEADER_PERMISSIONS and bool(user.led_units)


def permission(name: str) -> Callable:
    """Declare and enforce the permission a view needs.

    Anonymous visitors are sent to the login page (HTML) or get 401 (API); a logged-in
    person without the role gets 403.
    """
    if name not in PERMISSIONS:
        raise KeyError(f"unknown permission {name!r}; add it to app.security.PERMISSIONS")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if name != PUBLIC:
                user = current_actor()
                if user is None:
                    if is_api_request():
                        abort(401)
                    return redirect(url_for("accounts.login", next=_safe_next()))
                if not allowed(user, name):
                    log.info("forbidden: user=%s permission=%s path=%s", user.id, name,
                             request.path)
                    abort(403)
                token = g.get("api_token") if is_api_request() else None
                if token is not None and not token.allows(request.method):
                    log.info("token scope: token=%s method=%s path=%s", token.id,
                             request.method, request.path)
                    raise ForbiddenError(
                        "token_read_only",
                        _l("Tokenet har bare lesetilgang og kan ikke endre noe."),
                    )
            return view(*args, **kwargs)

        wrapped.kurs_permission = name  # type: ignore[attr-defined]
        return wrapped

    return decorator


def _safe_next() -> str:
    path = request.full_path if request.query_string else request.path
    return path if is_safe_redirect(path) else "/"


def is_safe_redirect(target: str | None) -> bool:
    """Only paths on this site: "/x", never "//evil", "https://…" or "/\\evil"."""
    if not target or not target.startswith("/"):
        return False
    return not target.startswith(("//", "/\\")) and "\n" not in target and "\r" not in target


def route_permission(app: Flask, endpoint: str) -> str | None:
    if endpoint in FRAMEWORK_ROUTES:
        return FRAMEWORK_ROUTES[endpoint]
    view = app.view_functions.get(endpoint)
    return getattr(view, "kurs_permission", None)


# Audit ---------------------------------------------------------------------------------


def audit(
    session: Session,
    *,
    actor,
    action: str,
    obj: Any = None,
    address: str | None = None,
    **detail: Any,
) -> AuditEvent:
    """Record a state change: who, what, on which object, with which details.

    Called by services in the same transaction as the change it records, so the change and
    its trace are committed (or rolled back) together.
    """
    event = insert_row(
        session, AuditEvent,
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=str(getattr(obj, "id", "")) if obj is not None else None,
        address=address,
        detail=detail or None,
    )
    log.info("audit %s actor=%s object=%s:%s", action, event.actor_id, event.object_type,
             event.object_id)
    return event


# Input guard ---------------------------------------------------------------------------


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def register_input_guard(app: Flask) -> None:
    """Refuse text with NUL characters in any form field, URL argument or JSON body: no
    person types one, PostgreSQL cannot store one in a text column, and a 500 is no answer.
    (Uploaded files are bytes in ``request.files`` and are left alone.)"""
    from app.errors import error_response

    @app.before_request
    def refuse_nul_characters():
        if request.method in ("GET", "HEAD", "OPTIONS"):
            suspects = request.args.to_dict(flat=False)
        else:
            suspects = {**request.args.to_dict(flat=False), **request.form.to_dict(flat=False)}
            if request.is_json:
                suspects["<json>"] = request.get_json(silent=True)
        if _has_nul(suspects):
            log.info("refused NUL characters: path=%s", request.path)
            return error_response(400, "invalid_characters", str(_l(
                "Teksten inneholder ugyldige tegn (NUL). Fjern dem og prøv igjen.")))
        return None


# Security headers ----------------------------------------------------------------------

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # designsystemet embeds its icons as data: SVGs; QR codes are data: URIs too.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if current_app.config.get("PRODUCTION"):
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        if request.endpoint == "static":
            headers["Cache-Control"] = "public, max-age=3600"
        else:
            # Every page and file of this app may show personal data; none is stored by
            # browsers or shared caches.
            headers["Cache-Control"] = "no-store"
            headers.setdefault("Pragma", "no-cache")
        return response

"""Domain errors and the error responses: JSON under /api/, HTML pages elsewhere.

No response ever carries a traceback; unexpected errors are logged with an id that the
page shows, so a user can quote it to support.
"""

from __future__ import annotations

import logging
import secrets

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class ApiErrorSchema(Schema):
    """Every error under /api/: a machine code and a message in the caller's language."""

    code = fields.String(required=True, metadata={"description": "machine-readable code"})
    message = fields.String(required=True, metadata={"description": "in the caller's language"})
    errors = fields.Dict(metadata={"description": "field errors, for 422"})


class DomainError(Exception):
    """A rule of the domain said no. Services raise it; views map it to a form field or
    a flash message, the API to ``{"code", "message"}`` with ``status``."""

    status = 400

    def __init__(self, code: str, message: str, *, field: str | None = None,
                 status: int | None = None, **detail):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        if status is not None:
            self.status = status
        self.detail = detail


class NotFoundError(DomainError):
    status = 404


class ForbiddenError(DomainError):
    status = 403


class ConflictError(DomainError):
    status = 409


class TooManyRequestsError(DomainError):
    status = 429


#: status -> (machine code, title, explanation) for the generic error responses.
HTTP_ERRORS = {
    400: ("bad_request", _l("Ugyldig forespørsel"),
          _l("Forespørselen kunne ikke behandles. Kontroller det du sendte, og prøv igjen.")),
    401: ("unauthorized", _l("Innlogging kreves"),
          _l("Du må logge inn, eller oppgi et gyldig API-token, for å bruke dette.")),
    403: ("forbidden", _l("Ingen tilgang"),
          _l("Du har ikke tilgang til denne siden. Kontakt administratoren hvis du mener "
             "du skal ha det.")),
    404: ("not_found", _l("Fant ikke siden"),
          _l("Siden eller objektet finnes ikke, eller er flyttet.")),
    405: ("method_not_allowed", _l("Metoden er ikke tillatt"),
          _l("Denne adressen tar ikke imot den typen forespørsel.")),
    409: ("conflict", _l("Konflikt"),
          _l("Endringen kolliderer med en annen endring. Last inn siden på nytt.")),
    413: ("payload_too_large", _l("Filen er for stor"),
          _l("Det du lastet opp er større enn det som er tillatt.")),
    422: ("validation_error", _l("Ugyldige data"),
          _l("Noen av opplysningene er ugyldige.")),
    429: ("too_many_requests", _l("For mange forsøk"),
          _l("Du har gjort for mange forsøk på kort tid. Vent litt, og prøv igjen.")),
    500: ("internal_error", _l("Noe gikk galt"),
          _l("Det oppstod en feil hos oss. Ingenting av det du har lagret, er tapt. "
             "Prøv igjen om litt.")),
    503: ("unavailable", _l("Tjenesten er utilgjengelig"),
          _l("Tjenesten er midlertidig utilgjengelig. Prøv igjen om litt.")),
}


def _is_api() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str | None = None, message: str | None = None,
                   errors: dict | None = None, headers: dict | None = None):
    default_code, title, explanation = HTTP_ERRORS.get(status, HTTP_ERRORS[500])
    code = code or default_code
    message = str(message or explanation)
    if _is_api():
        body = {"code": code, "message": message}
        if errors:
            body["errors"] = errors
        response = jsonify(body)
    else:
        response = make_response(_render_error_page(status, title, message, code))
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _render_error_page(status: int, title, message: str, code: str) -> str:
    try:
        return render_template(
            "errors/error.html", status=status, title=title, message=message, code=code
        )
    except Exception:  # the page itself failed (e.g. the database is down): plain HTML
        log.exception("error page %s could not be rendered", status)
        from markupsafe import escape

        return (
            f'<!doctype html><html lang="nb"><meta charset="utf-8"><title>{escape(title)}'
            f"</title><h1>{escape(title)}</h1><p>{escape(message)}</p></html>"
        )


def register_errorhandlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        return error_response(error.status, error.code, error.message)

    @app.errorhandler(CSRFError)
    def handle_csrf_error(error: CSRFError):
        return error_response(
            400,
            "csrf_failed",
            _("Skjemaet var utløpt eller ugyldig. Last inn siden på nytt og send det igjen."),
        )

    @app.errorhandler(HTTPException)
    def handle_http_exception(error: HTTPException):
        status = error.code or 500
        headers = {}
        if status == 405 and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        if status == 401 and _is_api():
            headers["WWW-Authenticate"] = 'Bearer realm="kurs"'
        errors = None
        data = getattr(error, "data", None) or {}
        if status == 422 and "messages" in data:
            # webargs (through flask-smorest) puts field errors here.
            errors = data["messages"]
        message = data.get("message") if isinstance(data, dict) else None
        if status == 429:
            headers["Retry-After"] = str(data.get("retry_after", 60)) if data else "60"
        code = data.get("code") if isinstance(data, dict) else None
        return error_response(status, code, message, errors=errors, headers=headers)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        if isinstance(error, HTTPException):  # pragma: no cover - handled above
            return handle_http_exception(error)
        incident = secrets.token_hex(4)
        log.exception("unhandled error %s on %s %s", incident, request.method, request.path)
        _code, _title, explanation = HTTP_ERRORS[500]
        return error_response(500, message=f"{explanation} (ref. {incident})")

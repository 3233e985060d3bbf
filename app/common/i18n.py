"""Language selection and the formatting filters every template uses.

Bokmål is the default; English is available. A logged-in person's choice is stored on
their account, a visitor's in the session; otherwise the browser's preference decides.
"""

from __future__ import annotations

import functools

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    get_locale,
    get_timezone,
)
from flask_login import current_user

from app.common.translations import install_jinja_gettext, locale_code
from app.extensions import babel


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]  # CLI and jobs
    if request.path.startswith("/api/"):
        # An explicit Accept-Language wins; otherwise the token owner's own choice.
        asked = request.accept_languages.best_match(languages)
        if asked:
            return asked
        user = g.get("api_user")
        return user.locale if user is not None and user.locale in languages else "nb"
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or "nb"


@functools.lru_cache(maxsize=4096)
def _formatted(format_function, value, kind: type, fmt: str, locale: str, zone: str) -> str:
    """``format_function(value, fmt)`` in the current language and time zone, which the
    key names: pages show the same few dates on every request, and formatting one costs
    more than rendering the rest of its line."""
    return format_function(value, fmt)


def format_date_cached(value, fmt: str = "long") -> str:
    if not value:
        return ""
    return _formatted(format_date, value, type(value), fmt, locale_code(), str(get_timezone()))


def format_datetime_cached(value, fmt: str = "short") -> str:
    if not value:
        return ""
    return _formatted(format_datetime, value, type(value), fmt, locale_code(),
                      str(get_timezone()))


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    install_jinja_gettext(app)

    app.jinja_env.filters["date"] = format_date_cached
    app.jinja_env.filters["datetime"] = format_datetime_cached
    app.jinja_env.filters["number"] = lambda value: format_decimal(value)
    app.jinja_env.filters["percent"] = lambda value: format_percent(value)

    @app.context_processor
    def inject_locale():
        return {"current_locale": str(get_locale() or "nb")}

"""Rendered fragments that depend only on a few values (the language, the menu entries a
person may see, a row's displayed values), kept per application for the worker's life.

The key must hold everything the markup depends on: a fragment is the same for everyone
with the same key, so nothing personal may be rendered into it unless it is in the key.
Per-request secrets such as the CSRF token never are; they are filled in afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import current_app
from flask.globals import _cv_app
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

#: Fragments kept per application before the cache starts over (a few MB at most).
MAX_FRAGMENTS = 20000


def cached_fragment(key: Hashable, render: Callable[[], Markup]) -> Markup:
    """``render()`` (markup, already escaped) the first time ``key`` is asked for."""
    cache = current_app.extensions.setdefault("kurs_fragments", {})
    html = cache.get(key)
    if html is None:
        if len(cache) >= MAX_FRAGMENTS:
            cache.clear()
        html = render()
        if not isinstance(html, Markup):
            raise TypeError("a fragment must be Markup (escaped), not a plain string")
        cache[key] = html
    return html


#: Stands for the CSRF token in a kept fragment; ``fill_csrf`` puts this request's in.
CSRF_SLOT = "__kurs_csrf_slot__"


def csrf_token() -> str:
    """This request's CSRF token, made once (a page may hold many forms)."""
    namespace = _cv_app.get().g.__dict__
    token = namespace.get("kurs_csrf_token")
    if token is None:
        token = namespace["kurs_csrf_token"] = generate_csrf()
    return token


def csrf_field(token: str | None = None) -> Markup:
    """The hidden CSRF input of a form, as Flask-WTF's ``form.csrf_token`` renders it,
    without building the form. A fragment that is kept passes ``CSRF_SLOT`` as ``token``
    and goes through ``fill_csrf`` when it is used."""
    return Markup('<input id="csrf_token" name="csrf_token" type="hidden" value="%s">'
                  ) % (token or csrf_token())


def fill_csrf(html: Markup) -> Markup:
    """A kept fragment with this request's token in its slot (escaped by Markup)."""
    return html.replace(CSRF_SLOT, csrf_token()) if CSRF_SLOT in html else html


def layout_part(name: str, locale: str) -> Markup:
    """``_layout_<name>.html`` (the page head's links, the footer): the same for every
    person, so rendered once per language."""
    from flask import request

    def render() -> str:
        app = current_app._get_current_object()
        template = app.jinja_env.get_template(f"_layout_{name}.html")
        # An autoescaped template's output.
        return Markup(template.render(config=app.config))  # noqa: S704 (an autoescaped template)  # nosec B704

    return cached_fragment(("layout", name, locale, request.script_root), render)


def init_fragments(app) -> None:
    app.jinja_env.globals["layout_part"] = layout_part
    app.jinja_env.globals["csrf_field"] = csrf_field

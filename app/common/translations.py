"""Flask-Babel with translations looked up once per request, not once per string.

Flask-Babel 4 makes a new ``Domain`` for every request (``Babel.domain_instance`` is a
property), so its cache of loaded catalogues starts empty each time, and every ``_()``
walks five context-local proxies to find the locale and the catalogue again. A page of the
catalogue translates about sixty strings, and that walk cost more than its SQL. Here one
domain lives as long as the process (catalogues are read from disk once per locale), and
the current request's catalogue is remembered beside Flask-Babel's own locale: a changed
locale (``force_locale``, ``refresh``) is noticed because the locale object changes.
"""

from __future__ import annotations

from types import SimpleNamespace

from babel import support
from flask.globals import _cv_app
from flask_babel import Babel, Domain, get_locale


def _babel_namespace() -> SimpleNamespace | None:
    """Flask-Babel's per-request namespace (``g._flask_babel``), without the proxies."""
    ctx = _cv_app.get(None)
    if ctx is None:
        return None
    attributes = ctx.g.__dict__
    namespace = attributes.get("_flask_babel")
    if namespace is None:
        namespace = attributes["_flask_babel"] = SimpleNamespace()
    return namespace


class ProcessDomain(Domain):
    """The ``messages`` domain, shared by every request of the process."""

    def get_translations(self):
        namespace = _babel_namespace()
        if namespace is None:
            return support.NullTranslations()
        locale = getattr(namespace, "babel_locale", None) or get_locale()
        remembered = namespace.__dict__.get("kurs_translations")
        if remembered is not None and remembered[0] is locale:
            return remembered[1]
        translations = super().get_translations()
        namespace.kurs_translations = (locale, translations)
        return translations


class KursBabel(Babel):
    _domain = ProcessDomain()

    @property
    def domain_instance(self):
        return self._domain


def install_jinja_gettext(app) -> None:
    """Templates call the process domain directly (Flask-Babel's callables go through
    ``get_domain()`` and its proxies on every string)."""
    domain = KursBabel._domain
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: domain.get_translations().ugettext(s),
        ngettext=lambda s, p, n: domain.get_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: domain.get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: domain.get_translations().unpgettext(c, s, p, n),
    )


def locale_code() -> str:
    """The current locale as a string ("nb", "en"), cached beside the locale object."""
    namespace = _babel_namespace()
    if namespace is None:
        return "nb"
    locale = getattr(namespace, "babel_locale", None) or get_locale()
    remembered = namespace.__dict__.get("kurs_locale_code")
    if remembered is not None and remembered[0] is locale:
        return remembered[1]
    code = str(locale)
    namespace.kurs_locale_code = (locale, code)
    return code

"""The main menu: (endpoint, label, permission). A domain adds its line here.

The menu's markup depends only on which entries a person may see, the language and the
current page, so it is rendered once per such combination and kept for the life of the
worker (``app.common.fragments``); every page pays for one dictionary look-up instead of a
dozen URL builds and translations.
"""

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.common.fragments import cached_fragment
from app.security import AUTHENTICATED

NAV_ITEMS = [
    ("home.index", _l("Hjem"), AUTHENTICATED),
    ("outbox.index", _l("Utboks"), "admin.outbox"),
    ("jobs.admin_index", _l("Jobber"), "admin.jobs"),
    ("accounts_admin.people", _l("Personer"), "admin.users"),
    ("accounts_admin.hr_upload", _l("HR-import"), "admin.hr_import"),
    ("accounts_admin.audit_log", _l("Logg"), "admin.audit"),
    ("toolbox.index", _l("Verktøykasse"), AUTHENTICATED),
    ("toolbox.projects", _l("IT-prosjekter"), AUTHENTICATED),
    ("toolbox.governance_view", _l("Prosjektstyring"), "projects.govern"),
    ("sharing.catalogue", _l("Deling"), "sharing.catalogue"),
    ("quizzes.index", _l("Prøver"), "quizzes.author"),
    ("certificates.manage", _l("Kursbevis"), "certificates.manage"),
    ("certificates.completions", _l("Gjennomføringer"), "completions.register"),
    ("seminars.index", _l("Samlinger"), AUTHENTICATED),
    ("evaluation.mine", _l("Mine evalueringer"), AUTHENTICATED),
    ("evaluation.results", _l("Evalueringsresultater"), "evaluation.results"),
    ("reports.index", _l("Kompetanserapporter"), "reports.view"),
    ("catalogue.index", _l("Kurs"), AUTHENTICATED),
    ("course_admin.index", _l("Kursforvaltning"), "catalogue.manage"),
]

LABELS = {endpoint: label for endpoint, label, _perm in NAV_ITEMS}


def visible_items(user) -> tuple[str, ...]:
    from app.security import allowed

    return tuple(endpoint for endpoint, _label, perm in NAV_ITEMS if allowed(user, perm))


def _menu_html(visible: tuple[str, ...], current: str | None) -> Markup:
    lines = []
    for endpoint in visible:
        here = ' aria-current="page"' if endpoint == current else ""
        lines.append(f'<li><a href="{escape(url_for(endpoint))}"{here}>'
                     f"{escape(str(LABELS[endpoint]))}</a></li>")
    return Markup("\n        ").join(Markup(line) for line in lines)  # noqa: S704 (escaped above)  # nosec B704


def main_menu(locale: str) -> Markup:
    """The menu entries (``<li>``) for the person of this request, in ``locale``."""
    from app.security import current_actor

    visible = visible_items(current_actor())
    current = request.endpoint
    return cached_fragment(("menu", locale, request.script_root, current, visible),
                           lambda: _menu_html(visible, current))


def init_navigation(app) -> None:
    app.jinja_env.globals["main_menu"] = main_menu

    @app.context_processor
    def inject_navigation():
        def nav_items():
            from app.security import current_actor

            return [(endpoint, LABELS[endpoint]) for endpoint in
                    visible_items(current_actor())]

        return {"nav_items": nav_items}

"""The main menu: (endpoint, label, permission, group). A domain adds its line here.

Everyone's everyday pages come first, in one row. The tools of those who run courses
("Kursarbeid") and of administrators ("Administrasjon") follow in a second, labelled row,
always visible: nothing of the menu hides behind a button, on a phone the rows wrap.

The menu's markup depends only on which entries a person may see, the language and the
current page, so it is rendered once per such combination and kept for the life of the
worker (``app.common.fragments``); every page pays for one dictionary look-up instead of a
dozen URL builds and translations.
"""

from functools import cache

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from markupsafe import Markup, escape

from app.common.fragments import cached_fragment
from app.security import AUTHENTICATED

MAIN, WORK, ADMIN = "main", "work", "admin"

GROUP_LABELS = {WORK: _l("Kursarbeid"), ADMIN: _l("Administrasjon")}

NAV_ITEMS = [
    ("home.index", _l("Hjem"), AUTHENTICATED, MAIN),
    ("catalogue.index", _lp("plural", "Kurs"), AUTHENTICATED, MAIN),
    ("seminars.index", _l("Samlinger"), AUTHENTICATED, MAIN),
    ("toolbox.index", _l("Verktøykasse"), AUTHENTICATED, MAIN),
    ("toolbox.projects", _l("IT-prosjekter"), AUTHENTICATED, MAIN),
    ("evaluation.mine", _l("Mine evalueringer"), AUTHENTICATED, MAIN),
    ("course_admin.index", _l("Kursforvaltning"), "catalogue.manage", WORK),
    ("quizzes.index", _l("Prøver"), "quizzes.author", WORK),
    ("sharing.catalogue", _l("Deling"), "sharing.catalogue", WORK),
    ("certificates.manage", _lp("plural", "Kursbevis"), "certificates.manage", WORK),
    ("certificates.completions", _l("Gjennomføringer"), "completions.register", WORK),
    ("evaluation.results", _l("Evalueringsresultater"), "evaluation.results", WORK),
    ("reports.index", _l("Kompetanserapporter"), "reports.view", WORK),
    ("requirements.index", _l("Obligatoriske kurs"), "requirements.manage", WORK),
    ("toolbox.governance_view", _l("Prosjektstyring"), "projects.govern", WORK),
    ("accounts_admin.people", _l("Personer"), "admin.users", ADMIN),
    ("accounts_admin.hr_upload", _l("HR-import"), "admin.hr_import", ADMIN),
    ("accounts_admin.audit_log", _l("Logg"), "admin.audit", ADMIN),
    ("outbox.index", _l("Utboks"), "admin.outbox", ADMIN),
    ("jobs.admin_index", _l("Jobber"), "admin.jobs", ADMIN),
]

LABELS = {endpoint: label for endpoint, label, _perm, _group in NAV_ITEMS}
GROUPS = {endpoint: group for endpoint, _label, _perm, group in NAV_ITEMS}


def visible_items(user) -> tuple[str, ...]:
    """The menu entries this person may open: decided by their roles, whether they lead a
    unit and whether they are active (``app.security.allowed``), so it is worked out once
    per such combination in a worker, not twenty permission checks per page."""
    if user is None:
        return _visible_for(None)
    return _visible_for((user.is_active, frozenset(user.role_names()), bool(user.led_units)))


@cache
def _visible_for(standing: tuple | None) -> tuple[str, ...]:
    from app.security import allowed

    person = None if standing is None else _Standing(*standing)
    return tuple(endpoint for endpoint, _label, perm, _group in NAV_ITEMS
                 if allowed(person, perm))


class _Standing:
    """What ``allowed`` reads of a person, and nothing else."""

    def __init__(self, is_active: bool, roles: frozenset, leads: bool) -> None:
        self.is_active, self._roles, self.led_units = is_active, roles, leads

    def has_role(self, *roles) -> bool:
        return bool(self._roles & {str(r) for r in roles})


def _links(endpoints, current: str | None) -> Markup:
    lines = []
    for endpoint in endpoints:
        here = ' aria-current="page"' if endpoint == current else ""
        lines.append(f'<li><a href="{escape(url_for(endpoint))}"{here}>'
                     f"{escape(str(LABELS[endpoint]))}</a></li>")
    return Markup("".join(lines))  # noqa: S704 (escaped above)  # nosec B704


def _menu_html(visible: tuple[str, ...], current: str | None) -> Markup:
    main = _links([e for e in visible if GROUPS[e] == MAIN], current)
    html = [f'<ul class="site-nav__main">{main}</ul>']
    groups = []
    for group in (WORK, ADMIN):
        endpoints = [e for e in visible if GROUPS[e] == group]
        if endpoints:
            label = escape(str(GROUP_LABELS[group]))
            groups.append(f'<div class="site-nav__group"><span class="site-nav__label" '
                          f'id="nav-{group}">{label}</span><ul aria-labelledby="nav-{group}">'
                          f"{_links(endpoints, current)}</ul></div>")
    if groups:
        html.append(f'<div class="site-nav__tools">{"".join(groups)}</div>')
    return Markup("".join(html))  # noqa: S704 (every part escaped above)  # nosec B704


def main_menu(locale: str) -> Markup:
    """The menu's lists for the person of this request, in ``locale``."""
    from app.security import current_actor

    visible = visible_items(current_actor())
    current = request.endpoint
    return cached_fragment(("menu", locale, request.script_root, current, visible),
                           lambda: _menu_html(visible, current))


def init_navigation(app) -> None:
    app.jinja_env.globals["main_menu"] = main_menu

"""The main menu: (endpoint, label, permission). A domain adds its line here."""

from flask_babel import lazy_gettext as _l

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


def init_navigation(app) -> None:
    from app.security import allowed, current_actor

    @app.context_processor
    def inject_navigation():
        def nav_items():
            user = current_actor()
            return [(endpoint, label) for endpoint, label, perm in NAV_ITEMS
                    if allowed(user, perm)]

        return {"nav_items": nav_items}

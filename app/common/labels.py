"""Human labels for the enum values that pages and exports show."""

from flask_babel import lazy_gettext as _l

LEADER_LEVEL_LABELS = {
    "toppleder": _l("Toppleder"),
    "mellomleder": _l("Mellomleder"),
    "forstelinjeleder": _l("Førstelinjeleder"),
    "none": _l("Ikke leder"),
}

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "organiser": _l("Arrangør"),
    "hr": _l("HR"),
    "editor": _l("Redaktør"),
}

ORGANISATION_KIND_LABELS = {
    "municipality": _l("Kommune"),
    "county": _l("Fylkeskommune"),
    "state_administrator": _l("Statsforvalter"),
    "other": _l("Annen"),
}


TOKEN_SCOPE_LABELS = {
    "read": _l("Bare lese"),
    "read_write": _l("Lese og skrive"),
}


def leader_level_label(value) -> str:
    """"Mellomleder" for ``mellomleder``; a value without a label as it is."""
    return str(LEADER_LEVEL_LABELS.get(str(value), value))


def init_labels(app) -> None:
    @app.context_processor
    def inject_labels():
        return {
            "leader_level_label": leader_level_label,
            "role_label": lambda v: ROLE_LABELS.get(str(v), str(v)),
            "organisation_kind_label": lambda v: ORGANISATION_KIND_LABELS.get(str(v), str(v)),
            "token_scope_label": lambda v: TOKEN_SCOPE_LABELS.get(str(v), str(v)),
        }

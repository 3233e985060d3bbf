"""Human labels of the catalogue's enum values (audiences, course kinds, languages)."""

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l

AUDIENCE_LABELS = {
    "toppleder": _l("Toppledere"),
    "mellomleder": _l("Mellomledere"),
    "forstelinjeleder": _l("Førstelinjeledere"),
    "project_leader": _l("IT-prosjektledere"),
    "everyone": _l("Alle ansatte"),
}

KIND_LABELS = {
    # Not "Kurs": that word is also the menu item (and is "Courses" in English).
    "course": _l("Vanlig kurs"),
    "seminar": _l("Samling"),
}

COURSE_STATUS_LABELS = {
    "draft": _l("Utkast"),
    "published": _l("Publisert"),
    "archived": _l("Arkivert"),
}

LANGUAGE_LABELS = {
    "nb": _l("Bokmål"),
    "nn": _l("Nynorsk"),
    "en": _l("Engelsk"),
}


def label(table: dict, value) -> str:
    """The label of ``value`` in the request's language. The table is translated once per
    request (a catalogue page asks for the same few labels dozens of times)."""
    if not has_request_context():
        return str(table.get(str(value), value))
    cache = g.setdefault("_kurs_labels", {})
    translated = cache.get(id(table))
    if translated is None:
        translated = cache[id(table)] = {k: str(v) for k, v in table.items()}
    return translated.get(str(value), str(value))

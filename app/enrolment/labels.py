"""Human labels of enrolment states and offering formats."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "requested": _l("Venter på godkjenning"),
    "enrolled": _l("Påmeldt"),
    "waitlisted": _l("På venteliste"),
    "declined": _l("Ikke godkjent"),
    "cancelled": _l("Avmeldt"),
    "no_show": _l("Ikke møtt"),
}

#: designsystemet colours of the status tags.
STATUS_COLOURS = {
    "requested": "warning",
    "enrolled": "success",
    "waitlisted": "info",
    "declined": "danger",
    "cancelled": "neutral",
    "no_show": "danger",
}

FORMAT_LABELS = {
    "in_person": _l("Fysisk"),
    "online": _l("Digitalt"),
    "hybrid": _l("Hybrid"),
    "self_paced": _l("I eget tempo"),
}

OFFERING_STATUS_LABELS = {
    "draft": _l("Utkast"),
    "published": _l("Publisert"),
    "cancelled": _l("Avlyst"),
}

"""Human labels for the toolbox's and the register's values (pages, exports, messages)."""

from flask_babel import lazy_gettext as _l

CATEGORY_LABELS = {
    "mandate": _l("Mandat"),
    "project_plan": _l("Prosjektplan"),
    "benefits_plan": _l("Gevinstrealiseringsplan"),
    "cost_benefit": _l("Kost/nytte-analyse"),
    "risk_analysis": _l("Risikoanalyse"),
    "acquisition": _l("Anskaffelse"),
    "status_report": _l("Statusrapport"),
    "closing_report": _l("Sluttrapport"),
}

PHASE_LABELS = {
    "idea": _l("Idé"),
    "planning": _l("Planlegging"),
    "acquisition": _l("Anskaffelse"),
    "introduction": _l("Innføring"),
    "operation": _l("Drift"),
    "closed": _l("Avsluttet"),
}

NETWORK_LABELS = {
    "tk_nett": _l("TK-nett (administrativt nett)"),
    "elevnett": _l("Elevnett (skolenett)"),
    "none": _l("Ingen av kommunens nett"),
}

#: Short forms for tables.
NETWORK_SHORT = {"tk_nett": "TK-nett", "elevnett": _l("Elevnett"), "none": "–"}

#: The network's name inside a sentence.
NETWORK_IN_TEXT = {"tk_nett": "TK-nett", "elevnett": _l("elevnett"),
                   "none": _l("ingen av kommunens nett")}

DOCUMENT_STATUS_LABELS = {
    "planned": _l("Planlagt"),
    "draft": _l("Utkast"),
    "approved": _l("Godkjent"),
}

COLOUR_LABELS = {"red": _l("Rød"), "amber": _l("Gul"), "green": _l("Grønn")}

FINDING_LABELS = {
    "representative_missing": _l("Mangler IT-representant"),
    "document_missing": _l("Mangler dokument"),
    "leader_not_trained": _l("Prosjektleder har ikke deltatt på prosjektledersamling"),
}


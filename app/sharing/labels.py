"""Human labels for the values of packages: scopes, licences, audiences, kinds, languages,
and the fields a diff names."""

from flask_babel import lazy_gettext as _l

SCOPE_LABELS = {
    "own": _l("Bare egen organisasjon"),
    "partners": _l("Partnerne"),
    "public": _l("Åpent for alle"),
}
SCOPE_HINTS = {
    "own": _l("Pakken vises bare for redaktører i deres egen organisasjon."),
    "partners": _l("Alle organisasjonene i samarbeidet kan se og importere pakken."),
    "public": _l("Partnerne kan importere pakken, og alle kan laste den ned fra den åpne "
                 "katalogen."),
}
LICENCE_LABELS = {
    "NLOD-2.0": _l("Norsk lisens for offentlige data (NLOD 2.0)"),
    "CC0-1.0": _l("CC0 1.0 – fritt, uten vilkår"),
    "CC-BY-4.0": _l("CC BY 4.0 – navngivelse"),
    "CC-BY-SA-4.0": _l("CC BY-SA 4.0 – navngivelse, del på samme vilkår"),
    "CC-BY-NC-4.0": _l("CC BY-NC 4.0 – navngivelse, ikke-kommersiell"),
    "CC-BY-NC-SA-4.0": _l("CC BY-NC-SA 4.0 – navngivelse, ikke-kommersiell, del på samme "
                          "vilkår"),
    "CC-BY-ND-4.0": _l("CC BY-ND 4.0 – navngivelse, ingen bearbeidelser"),
    "CC-BY-NC-ND-4.0": _l("CC BY-NC-ND 4.0 – navngivelse, ikke-kommersiell, ingen "
                          "bearbeidelser"),
}
AUDIENCE_LABELS = {
    "toppleder": _l("Toppledere"),
    "mellomleder": _l("Mellomledere"),
    "forstelinjeleder": _l("Førstelinjeledere"),
    "project_leader": _l("IT-prosjektledere"),
    "everyone": _l("Alle ansatte"),
}
KIND_LABELS = {"course": _l("Kurs"), "seminar": _l("Samling")}
LANGUAGE_LABELS = {"nb": _l("Bokmål"), "nn": _l("Nynorsk"), "en": _l("Engelsk")}
BUMP_LABELS = {
    "patch": _l("Retting (for eksempel skrivefeil): 1.0.0 → 1.0.1"),
    "minor": _l("Nytt eller endret innhold: 1.0.0 → 1.1.0"),
    "major": _l("Større omarbeiding: 1.0.0 → 2.0.0"),
}
FIELD_LABELS = {
    "title": _l("Tittel"),
    "summary": _l("Sammendrag"),
    "description": _l("Beskrivelse"),
    "kind": _l("Type"),
    "language": _l("Språk"),
    "licence": _l("Lisens"),
    "audience": _l("Målgruppe"),
    "mandatory_for": _l("Foreslått obligatorisk for"),
    "validity_months": _l("Gyldighet (måneder)"),
    "completion": _l("Krav for å fullføre"),
    "pass_mark": _l("Grense for bestått (%)"),
    "intro": _l("Innledning"),
    "attempts_allowed": _l("Antall forsøk"),
    "time_limit_minutes": _l("Tidsgrense (minutter)"),
    "shuffle_questions": _l("Spørsmål i tilfeldig rekkefølge"),
    "shuffle_choices": _l("Svaralternativer i tilfeldig rekkefølge"),
    "draw_count": _l("Antall spørsmål som trekkes"),
    "show_answers": _l("Vis riktige svar etterpå"),
    "paging": _l("Sideinndeling"),
    "program": _l("Program"),
}
AREA_LABELS = {
    "course": _l("Kurset"),
    "module": _l("Modul"),
    "attachment": _l("Vedlegg"),
    "quiz": _l("Kunnskapsprøve"),
    "program": _l("Program"),
}
CHANGE_LABELS = {
    "added": _l("lagt til"),
    "removed": _l("fjernet"),
    "changed": _l("endret"),
    "moved": _l("flyttet"),
}


def sharing_labels() -> dict:
    return {
        "scope_label": lambda v: SCOPE_LABELS.get(str(v), str(v)),
        "licence_label": lambda v: LICENCE_LABELS.get(str(v), str(v)),
        "audience_label": lambda v: AUDIENCE_LABELS.get(str(v), str(v)),
        "kind_label": lambda v: KIND_LABELS.get(str(v), str(v)),
        "language_label": lambda v: LANGUAGE_LABELS.get(str(v), str(v)),
        "field_label": lambda v: FIELD_LABELS.get(str(v), str(v)),
        "area_label": lambda v: AREA_LABELS.get(str(v), str(v)),
        "change_label": lambda v: CHANGE_LABELS.get(str(v), str(v)),
    }

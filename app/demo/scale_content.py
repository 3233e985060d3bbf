"""Course titles and unit words for the synthetic municipality of ``flask demo scale``."""

from __future__ import annotations

_LEADERS = ["toppleder", "mellomleder", "forstelinjeleder"]

_TOPICS = [
    ("Digital dømmekraft for ledere", _LEADERS),
    ("Personvern i praksis", ["everyone"]),
    ("Informasjonssikkerhet i hverdagen", ["everyone"]),
    ("Gevinstrealisering", _LEADERS + ["project_leader"]),
    ("Kost/nytte-vurderinger", ["project_leader"]),
    ("Risikoanalyse i IT-prosjekter", ["project_leader"]),
    ("Anskaffelse av IT-løsninger", _LEADERS),
    ("Endringsledelse ved nye systemer", _LEADERS),
    ("Saksbehandling og arkiv", ["everyone"]),
    ("Microsoft 365 for ledere", _LEADERS),
    ("Teams-møter som fungerer", ["everyone"]),
    ("Data i beslutninger", ["toppleder", "mellomleder"]),
    ("Universell utforming av digitale tjenester", ["everyone"]),
    ("Tjenestedesign", ["mellomleder", "project_leader"]),
    ("Prosjektveiviseren", ["project_leader"]),
    ("Smidig utvikling i offentlig sektor", ["project_leader"]),
    ("Kunstig intelligens – muligheter og fallgruver", _LEADERS),
    ("Budsjett og økonomistyring", ["mellomleder", "forstelinjeleder"]),
    ("Arbeidsmiljø og digitalt arbeid", _LEADERS),
    ("Kommunikasjon i kriser", ["toppleder", "mellomleder"]),
    ("Brukerstøtte og IT-tjenesten", ["everyone"]),
    ("Velferdsteknologi", ["mellomleder", "forstelinjeleder"]),
    ("Digital samhandling med innbyggerne", ["everyone"]),
    ("Lederrollen i en digital kommune", _LEADERS),
]

#: (title, summary, audiences, kind)
COURSE_TOPICS = [
    (f"{title} – {level}", f"{title} på {level}nivå: teori, eksempler fra kommunen og "
     "oppgaver du gjør i egen enhet.", audiences, "course")
    for title, audiences in _TOPICS
    for level in ("grunn", "fordypnings")
]

UNIT_WORDS = {
    "sector": ["Oppvekst", "Helse og velferd", "Kultur og næring", "Byutvikling",
               "Organisasjon", "Finans", "Miljø", "Samfunnssikkerhet"],
    "unit": ["Skole", "Barnehage", "Hjemmetjenesten", "Helsehuset", "Biblioteket",
             "Kontoret", "Tjenesten", "Senteret"],
    "department": ["Avdeling", "Team", "Seksjon", "Gruppe"],
}

MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
          "september", "oktober", "november", "desember"]

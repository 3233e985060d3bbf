"""The organisations, unit trees and named demo people of ``flask demo load``."""

from __future__ import annotations

DEMO_PASSWORD = "kurs-demo-2026"  # noqa: S105  (printed by `make run`; never in production)

ORGANISATIONS = [
    # slug, name, kind, organisation number
    ("trondheim", "Trondheim kommune", "municipality", "942110464"),
    ("trondelag-fylkeskommune", "Trøndelag fylkeskommune", "county", "817920632"),
    ("statsforvalteren-trondelag", "Statsforvalteren i Trøndelag", "state_administrator",
     "974764687"),
]

#: organisation slug -> [(code, name, [(code, name, [(code, name), …]), …]), …]
#: Three levels: sector (led by a toppleder), unit (mellomleder), department
#: (førstelinjeleder).
UNIT_TREES: dict[str, list] = {
    "trondheim": [
        ("OPP", "Oppvekst og utdanning", [
            ("OPP-BYA", "Byåsen skole", [
                ("OPP-BYA-1", "1.–4. trinn"),
                ("OPP-BYA-2", "5.–7. trinn"),
            ]),
            ("OPP-LIL", "Lilleby skole", [
                ("OPP-LIL-1", "Barnetrinnet"),
                ("OPP-LIL-2", "SFO"),
            ]),
            ("OPP-BHG", "Barnehagene i Midtbyen", [
                ("OPP-BHG-1", "Kalvskinnet barnehage"),
                ("OPP-BHG-2", "Bakklandet barnehage"),
            ]),
        ]),
        ("HOV", "Helse og velferd", [
            ("HOV-HJL", "Hjemmetjenesten Lerkendal", [
                ("HOV-HJL-1", "Team Nardo"),
                ("HOV-HJL-2", "Team Moholt"),
            ]),
            ("HOV-HHO", "Helsehuset Øya", [
                ("HOV-HHO-1", "Korttidsavdelingen"),
                ("HOV-HHO-2", "Rehabiliteringsavdelingen"),
            ]),
            ("HOV-NAV", "NAV Heimdal", [
                ("HOV-NAV-1", "Oppfølging"),
                ("HOV-NAV-2", "Sosiale tjenester"),
            ]),
        ]),
        ("KUN", "Kultur og næring", [
            ("KUN-BIB", "Trondheim folkebibliotek", [
                ("KUN-BIB-1", "Hovedbiblioteket"),
                ("KUN-BIB-2", "Filialene"),
            ]),
            ("KUN-IDR", "Idrett og friluftsliv", [
                ("KUN-IDR-1", "Anlegg"),
                ("KUN-IDR-2", "Tilskudd og frivillighet"),
            ]),
        ]),
        ("BYU", "Byutvikling", [
            ("BYU-PLN", "Byplankontoret", [
                ("BYU-PLN-1", "Arealplan"),
                ("BYU-PLN-2", "Byggesak"),
            ]),
            ("BYU-KOM", "Kommunalteknikk", [
                ("BYU-KOM-1", "Vann og avløp"),
                ("BYU-KOM-2", "Veg"),
            ]),
        ]),
        ("ORG", "Organisasjon og digitalisering", [
            ("ORG-IT", "IT-tjenesten", [
                ("ORG-IT-1", "Brukerstøtte"),
                ("ORG-IT-2", "Infrastruktur"),
                ("ORG-IT-3", "Prosjekt og arkitektur"),
            ]),
            ("ORG-HR", "HR og personal", [
                ("ORG-HR-1", "HR-rådgivning"),
                ("ORG-HR-2", "Lønn"),
            ]),
        ]),
        ("FIN", "Finans", [
            ("FIN-INN", "Innkjøp", [
                ("FIN-INN-1", "Anskaffelser"),
                ("FIN-INN-2", "Kontraktsoppfølging"),
            ]),
        ]),
    ],
    "trondelag-fylkeskommune": [
        ("TFK-ORG", "Organisasjon og økonomi", [
            ("TFK-DIG", "Digitalisering", [
                ("TFK-DIG-1", "Digital utvikling"),
            ]),
        ]),
        ("TFK-UTD", "Utdanning", [
            ("TFK-VGS", "Thora Storm videregående skole", [
                ("TFK-VGS-1", "Studiespesialisering"),
            ]),
        ]),
    ],
    "statsforvalteren-trondelag": [
        ("SF-KSA", "Kommunal- og samordningsavdelingen", [
            ("SF-KSA-DIG", "Digitalisering og samordning", [
                ("SF-KSA-DIG-1", "Kommuneveiledning"),
            ]),
        ]),
    ],
}

#: The logins a newcomer uses; every one has DEMO_PASSWORD.
#: (email, name, organisation, unit code, title, leader level, leads unit code, roles)
DEMO_LOGINS = [
    ("leder@trondheim.example", "Ingrid Hansen Berg", "trondheim", "HOV-HJL",
     "Virksomhetsleder", "mellomleder", "HOV-HJL", []),
    ("arrangor@trondheim.example", "Ola Strand", "trondheim", "ORG-IT-3",
     "Seminarkoordinator", "none", None, ["organiser"]),
    ("hr@trondheim.example", "Sigrid Aune", "trondheim", "ORG-HR-1",
     "HR-rådgiver", "none", None, ["hr"]),
    ("admin@trondheim.example", "Per Lien", "trondheim", "ORG-IT-2",
     "Systemforvalter", "none", None, ["admin"]),
    ("redaktor@trondelag.example", "Marte Gjervan", "trondelag-fylkeskommune", "TFK-DIG-1",
     "Rådgiver, digital kompetanse", "none", None, ["editor"]),
    ("redaktor@trondheim.example", "Eli Brattli", "trondheim", "ORG-HR-1",
     "Rådgiver, kompetanseutvikling", "none", None, ["editor"]),
]

FIRST_NAMES = [
    "Anne", "Kari", "Marit", "Ingrid", "Liv", "Eli", "Berit", "Astrid", "Hilde", "Nina",
    "Silje", "Ida", "Ingeborg", "Maja", "Nora", "Sara", "Thea", "Emma", "Hanne", "Tone",
    "Jan", "Per", "Bjørn", "Ole", "Lars", "Kjell", "Knut", "Arne", "Svein", "Hans",
    "Geir", "Terje", "Morten", "Jon", "Trond", "Espen", "Magnus", "Sindre", "Jonas", "Emil",
    "Aisha", "Mohammed", "Ahmed", "Fatima", "Piotr", "Agnieszka", "Njål", "Áile", "Mette",
    "Sunniva",
]
LAST_NAMES = [
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
    "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Lund",
    "Sørensen", "Moen", "Aune", "Strand", "Lie", "Rønning", "Solberg", "Gjervan", "Fossum",
    "Brattli", "Sæther", "Stene", "Løkken", "Ali", "Nowak", "Kowalski", "Hætta",
]

SECTOR_TITLE = "Kommunaldirektør"
UNIT_TITLE = "Virksomhetsleder"
DEPARTMENT_TITLE = "Avdelingsleder"
STAFF_TITLES = [
    "Rådgiver", "Seniorrådgiver", "Konsulent", "Saksbehandler", "Sykepleier",
    "Helsefagarbeider", "Lærer", "Lektor", "Barnehagelærer", "Fagarbeider",
    "Bibliotekar", "Ingeniør", "Arkitekt", "Systemkonsulent",
]
#: Employees per department in the municipality (partners get a handful).
STAFF_PER_DEPARTMENT = 6

"""The demo seminar's programme as offering sessions (the courses themselves, their modules
and quizzes come from the kurs/ packages)."""

from __future__ import annotations

#: (day 0 or 1, start "HH:MM", end "HH:MM", title, speaker, mandatory)
SEMINAR_PROGRAMME = [
    (0, "09:00", "09:30", "Velkommen, og hvorfor felles metode", "Ola Strand, IT-tjenesten",
     True),
    (0, "09:30", "11:30", "Prosjektplanlegging med Prosjektveiviseren",
     "Kari Rønning, prosjektkontoret", True),
    (0, "12:15", "14:30", "Gevinstrealisering: fra mål til målt gevinst",
     "Hanne Moen, økonomi", True),
    (0, "14:45", "15:30", "Erfaringsdeling i grupper", None, False),
    (1, "09:00", "11:30", "Kost/nytte: samfunnsøkonomisk analyse i praksis",
     "Trond Lie, Finans", True),
    (1, "12:15", "14:30", "Risikoanalyse og informasjonssikkerhet",
     "Espen Solberg, IT-sikkerhet", True),
    (1, "14:45", "15:30", "Den virtuelle verktøykassen, og veien videre",
     "Ola Strand, IT-tjenesten", True),
]

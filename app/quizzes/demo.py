"""Demo quiz for "IT i hverdagen": one question of every type, checked against the
public-sector references the course teaches (Digdir, DFØ, NSM)."""

from __future__ import annotations

import logging
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.catalogue.models import Course
from app.quizzes.models import Choice, Question, Quiz

log = logging.getLogger(__name__)

COURSE_SLUG = "it-i-hverdagen"

#: (kind, prompt, points, explanation, extra): extra holds choices [(text, correct)], or
#: correct_true, numeric (answer, tolerance) or accepted answers.
QUESTIONS = [
    ("single", "Hvilken veileder fra Digdir beskriver fasene i et digitaliseringsprosjekt, "
     "fra konsept til avslutning, med beslutningspunkter mellom dem?", 1,
     "Prosjektveiviseren (prosjektveiviseren.digdir.no) deler prosjektet i faser med "
     "beslutningspunkter der eieren bestemmer om det skal videre.",
     {"choices": [("Prosjektveiviseren", True), ("Veileder i samfunnsøkonomiske analyser", False),
                  ("NSMs grunnprinsipper for IKT-sikkerhet", False)]}),
    ("multiple", "Hva hører hjemme i en gevinstrealiseringsplan?", 3,
     "DFØs veileder i gevinstrealisering: planen sier hvilke gevinster som skal hentes ut, "
     "hvem som har ansvaret for hver av dem, og når og hvordan de skal måles.",
     {"partial": True,
      "choices": [("Hvilke gevinster som skal hentes ut", True),
                  ("Hvem som er ansvarlig for hver gevinst", True),
                  ("Når og hvordan gevinstene skal måles", True),
                  ("Leverandørens timepriser", False)]}),
    ("true_false", "Gevinstrealisering er prosjektlederens ansvar alene, og arbeidet "
     "avsluttes når prosjektet leverer.", 1,
     "Usant. Linjeledelsen eier gevinstene og har ansvaret for å hente dem ut, også lenge "
     "etter at prosjektet er avsluttet (DFØ).", {"correct_true": False}),
    ("true_false", "NSMs grunnprinsipper for IKT-sikkerhet er ordnet i fire kategorier: "
     "identifisere og kartlegge, beskytte og opprettholde, oppdage, og håndtere og "
     "gjenopprette.", 1,
     "Sant. Se nsm.no, Grunnprinsipper for IKT-sikkerhet.", {"correct_true": True}),
    ("numeric", "En ny løsning koster 400 000 kroner å innføre og sparer 100 000 kroner i "
     "året. Hvor mange år tar det før den har tjent inn innføringskostnaden (uten "
     "diskontering)?", 1,
     "400 000 / 100 000 = 4 år. En full kost/nytte-vurdering tar også med diskontering, "
     "risiko og ikke-prissatte virkninger.", {"numeric": (4, 0)}),
    ("short_text", "Hva kalles analysen der man vurderer sannsynlighet for og konsekvens av "
     "uønskede hendelser?", 1,
     "En risikoanalyse, i kommunene ofte kalt ROS-analyse (risiko- og sårbarhetsanalyse).",
     {"accepted": ["risikoanalyse", "ROS-analyse", "risiko- og sårbarhetsanalyse",
                   "ROS"]}),
    ("ordering", "Sett disse stegene i en samfunnsøkonomisk analyse i riktig rekkefølge.", 2,
     "DFØs veileder: beskriv problemet og målene, finn tiltakene, tallfest og verdsett "
     "virkningene, og gi til slutt en samlet vurdering og anbefaling.",
     {"partial": True,
      "choices": [("Beskrive problemet og målene", True),
                  ("Identifisere aktuelle tiltak", True),
                  ("Tallfeste og verdsette virkningene", True),
                  ("Gi en samlet vurdering og anbefaling", True)]}),
    ("single", "Hvem har det overordnede ansvaret for informasjonssikkerheten i en "
     "kommunal virksomhet?", 1,
     "Ledelsen. Informasjonssikkerhet er en del av virksomhetens internkontroll; "
     "IT-tjenesten og leverandørene gjør jobben, men ansvaret ligger hos ledelsen.",
     {"choices": [("Virksomhetens ledelse", True), ("IT-tjenesten alene", False),
                  ("Leverandøren av systemet", False)]}),
]


def build_quiz(session: Session, course: Course) -> Quiz:
    quiz = Quiz(course_id=course.id, title="Prøve i IT i hverdagen", pass_percent=75,
                attempts_allowed=3, shuffle_choices=True, show_answers=True, paging="one",
                intro="Åtte spørsmål om det kurset tar opp. Du trenger 75 % riktig for å "
                      "bestå, og har tre forsøk.")
    session.add(quiz)
    session.flush()
    for position, (kind, prompt, points, explanation, extra) in enumerate(QUESTIONS, 1):
        question = Question(
            quiz_id=quiz.id, position=position, kind=kind, prompt=prompt, points=points,
            explanation=explanation, partial_credit=extra.get("partial", False),
            correct_true=extra.get("correct_true"),
            numeric_answer=extra["numeric"][0] if "numeric" in extra else None,
            tolerance=extra["numeric"][1] if "numeric" in extra else None,
            accepted_answers=extra.get("accepted"),
        )
        session.add(question)
        session.flush()
        for i, (text, correct) in enumerate(extra.get("choices", []), 1):
            session.add(Choice(question_id=question.id, position=i, text=text,
                               correct=correct and kind != "ordering"))
    session.flush()
    return quiz


def load(session: Session, today: date) -> None:
    course = session.scalar(sa.select(Course).where(Course.slug == COURSE_SLUG))
    if course is None:
        log.info("demo quiz skipped: no course %r (the catalogue demo creates it)",
                 COURSE_SLUG)
        return
    if session.scalar(sa.select(Quiz.id).where(Quiz.course_id == course.id)) is None:
        build_quiz(session, course)
        log.info("demo quiz created for %s", COURSE_SLUG)

"""Demo evaluations of "IT i hverdagen": one finished offering with enough answers to show
results (and follow-ups), one recent offering with four answers, below the threshold, where
the demo leader (leder@trondheim.example) still has the evaluation to answer.

Needs the course ``it-i-hverdagen`` (created by the enrolment demo); without it, nothing is
loaded. The two offerings are the demo's own past runs of that course; loading twice
changes nothing.
"""

from __future__ import annotations

import logging
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import LeaderLevel, User
from app.catalogue.models import Course
from app.enrolment.models import CourseSession, Enrolment, EnrolmentStatus, Offering
from app.evaluation import rules
from app.evaluation.models import (
    Evaluation,
    EvaluationAnswer,
    EvaluationKind,
    EvaluationQuestion,
    EvaluationRequest,
)
from app.seminars.models import Attendance

log = logging.getLogger(__name__)

OSLO = ZoneInfo("Europe/Oslo")
COURSE_SLUG = "it-i-hverdagen"
ORGANISER = "arrangor@trondheim.example"
LEADER = "leder@trondheim.example"
OWN_QUESTION = "Var tempoet i kurset passe for deg?"

#: title, days before today it ended, people, first answers, follow-up answers
OFFERINGS = [
    ("Vårkurs, Rådhuset (evaluert)", 120, 12, 9, 6),
    ("Høstkurs, Byåsen (evaluering pågår)", 5, 8, 4, 0),
]

COMMENTS = [
    "Gevinstrealisering ble konkret for første gang. Jeg har tatt det med til ledermøtet.",
    "Gode eksempler fra hjemmetjenesten, men for lite tid til oppgaven om anskaffelser.",
    "Nyttig å møte IT-tjenesten. Gjerne mer om informasjonssikkerhet for ledere.",
    "Tempoet var høyt før lunsj. Ettermiddagen med egne case var best.",
    "Bra, men jeg savnet mer om hvordan vi bruker data i beslutninger.",
    None,
    "Endelig et kurs som tar utgangspunkt i hverdagen til en førstelinjeleder.",
    "Risikoanalysen var vanskelig å følge uten forkunnskaper.",
    "Fint å høre hvordan andre enheter har innført nye fagsystemer.",
    None,
]
FOLLOW_UPS = [
    ("yes", "Vi har laget en enkel gevinstplan for det nye turnusverktøyet."),
    ("partly", "Har startet samtalen med IT-tjenesten om innkjøp, men har ikke kommet langt."),
    ("yes", None),
    ("no", "Det har ikke vært tid etter omorganiseringen."),
]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=OSLO).astimezone(ZoneInfo("UTC"))


def load(session: Session, today: date) -> None:
    course = session.scalar(sa.select(Course).where(Course.slug == COURSE_SLUG))
    if course is None:
        log.info("evaluation demo skipped: no course %r in the demo", COURSE_SLUG)
        return
    people = {
        u.email: u
        for u in session.scalars(sa.select(User).where(User.email.in_([ORGANISER, LEADER])))
    }
    organiser, leader = people.get(ORGANISER), people.get(LEADER)
    question = _own_question(session, course, organiser)
    rng = random.Random(2026)  # noqa: S311  (the same demo answers on every load)
    for title, days_ago, size, first_n, follow_n in OFFERINGS:
        exists = session.scalar(
            sa.select(Offering.id).where(Offering.course_id == course.id, Offering.title == title)
        )
        if exists:
            continue
        pending = leader if days_ago < 30 else None
        _offering(
            session,
            course,
            title,
            today - timedelta(days=days_ago),
            size,
            first_n,
            follow_n,
            organiser=organiser,
            pending=pending,
            question=question,
            rng=rng,
            today=today,
        )
    session.flush()


def _own_question(session: Session, course: Course, organiser: User | None):
    existing = session.scalar(
        sa.select(EvaluationQuestion).where(EvaluationQuestion.course_id == course.id)
    )
    if existing is not None:
        return existing if existing.active else None
    question = EvaluationQuestion(
        course_id=course.id,
        position=1,
        text=OWN_QUESTION,
        created_by_id=organiser.id if organiser else None,
    )
    session.add(question)
    session.flush()
    return question


def _participants(session: Session, course: Course, size: int, exclude: set[int]):
    """Leaders of the course's organisation who are not in another demo offering."""
    return list(
        session.scalars(
            sa.select(User)
            .where(
                User.organisation_id == course.organisation_id,
                User.leader_level != LeaderLevel.NONE,
                User.password_hash.is_(None),
                User.id.not_in(exclude) if exclude else sa.true(),
            )
            .order_by(User.id.desc())
            .limit(size)
        )
    )


def _offering(
    session,
    course,
    title,
    day,
    size,
    first_n,
    follow_n,
    *,
    organiser,
    pending,
    question,
    rng,
    today,
):
    ends = _at(day, 15)
    offering = Offering(
        course_id=course.id,
        organisation_id=course.organisation_id,
        title=title,
        status="published",
        location="Trondheim",
        capacity=size + 4,
        taken=size,
        starts_at=_at(day, 9),
        ends_at=ends,
        created_by_id=organiser.id if organiser else None,
        contact_name=organiser.name if organiser else None,
        contact_email=organiser.email if organiser else None,
    )
    session.add(offering)
    session.flush()
    day_session = CourseSession(
        offering_id=offering.id,
        title="Kursdag",
        starts_at=_at(day, 9),
        ends_at=ends,
        room="Bystyresalen",
    )
    session.add(day_session)
    session.flush()
    # Not the people of the other past run; the catalogue's upcoming runs may share some.
    taken = set(
        session.scalars(
            sa.select(Enrolment.user_id).join(Offering)
            .where(Offering.course_id == course.id, Offering.ends_at < _at(today, 0))
        )
    )
    people = _participants(session, course, size - (1 if pending else 0), taken)
    answering = people[:first_n]
    if pending is not None:
        # The demo leader took this run of the course (and may be signed up for another).
        people.append(pending)
    offering.taken = len(people)
    now = _at(today, 8)
    for person in people:
        enrolment = Enrolment(
            offering_id=offering.id,
            user_id=person.id,
            status=EnrolmentStatus.ENROLLED,
            requested_at=ends - timedelta(days=30),
        )
        session.add(enrolment)
        session.flush()
        session.add(
            Attendance(
                session_id=day_session.id,
                user_id=person.id,
                status="present",
                recorded_by_id=organiser.id if organiser else None,
                recorded_at=ends,
            )
        )
        first = _request(session, enrolment, EvaluationKind.FIRST, ends)
        if person in answering:
            _answer_first(session, enrolment, first, question, answering.index(person), rng)
        follow_opens = rules.follow_up_opens(ends)
        if follow_opens <= now:
            follow = _request(session, enrolment, EvaluationKind.FOLLOW_UP, follow_opens)
            if person in answering[:follow_n]:
                _answer_follow_up(session, enrolment, follow, answering.index(person), rng)


def _request(session, enrolment, kind, opens):
    request = EvaluationRequest(
        enrolment_id=enrolment.id,
        kind=kind,
        opens_at=opens,
        closes_at=rules.closes(opens),
        sent_at=opens,
        created_at=opens,
    )
    session.add(request)
    session.flush()
    return request


def _answer_first(session, enrolment, request, question, index, rng):
    at = request.opens_at + timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 8))
    evaluation = Evaluation(
        enrolment_id=enrolment.id,
        offering_id=enrolment.offering_id,
        kind=EvaluationKind.FIRST,
        submitted_at=at,
        relevance=rng.choice([3, 4, 4, 5, 5]),
        usefulness=rng.choice([3, 4, 4, 4, 5]),
        teaching=rng.choice([2, 3, 4, 4, 5]),
        recommend=rng.choice([6, 7, 8, 9, 9, 10, 10]),
        comment=COMMENTS[index % len(COMMENTS)],
    )
    if question is not None:
        evaluation.answers = [
            EvaluationAnswer(question_id=question.id, score=rng.choice([2, 3, 3, 4]))
        ]
    session.add(evaluation)
    request.answered_at = at


def _answer_follow_up(session, enrolment, request, index, rng):
    # A fixed mix of yes, partly and no, so that the demo shows every answer.
    answer, text = FOLLOW_UPS[index % len(FOLLOW_UPS)]
    at = request.opens_at + timedelta(days=rng.randint(0, 5))
    session.add(
        Evaluation(
            enrolment_id=enrolment.id,
            offering_id=enrolment.offering_id,
            kind=EvaluationKind.FOLLOW_UP,
            submitted_at=at,
            follow_up=answer,
            comment=text,
        )
    )
    request.answered_at = at

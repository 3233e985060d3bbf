"""Demo data of the seminars: the project-leader gathering with its programme, about forty
enrolled project leaders and leaders, the first day's attendance, two external participants,
registration answers and a few people in the participant network.

Idempotent: run again, it adds what is missing and changes nothing else. The gathering is
found through the course with slug ``prosjektledersamling``; when the catalogue's demo has
not created that course and an offering of it, a minimal one is made here.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import LeaderLevel, Organisation, User
from app.catalogue.models import Audience, Course, CourseAudience, CourseKind, CourseStatus
from app.enrolment.models import (
    CourseSession,
    Enrolment,
    EnrolmentStatus,
    Offering,
    OfferingStatus,
)
from app.seminars.models import (
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    NetworkEntry,
    Participant,
    RegistrationAnswer,
    RegistrationQuestions,
)

SLUG = "prosjektledersamling"
#: This demo's own gathering: its first day was the last working day before today, its
#: second lies a week ahead (the enrolment demo adds a later one, all of it ahead).
TITLE = "Høst, Trondheim rådhus"
OSLO = ZoneInfo("Europe/Oslo")
ORGANISER = "arrangor@trondheim.example"
LEADER = "leder@trondheim.example"
PARTICIPANTS = 40

#: (day, start, end, title, room, speaker, topics, mandatory)
PROGRAMME = [
    (0, (9, 0), (9, 30), "Velkommen: felles metodikk for IT-prosjekter", "Bystyresalen",
     "Ola Strand, IT-tjenesten", "Hvorfor vi har en felles metodikk, og hva dagene gir deg.",
     True),
    (0, (9, 30), (11, 0), "Prosjektplanlegging med Prosjektveiviseren", "Bystyresalen",
     "Kari Lund, Prosjektkontoret",
     "Faser og beslutningspunkter\nProsjektmandat og prosjektplan\nMaler i verktøykassen",
     True),
    (0, (11, 15), (12, 30), "Gevinstrealisering", "Bystyresalen", "Jon Moe, Økonomi",
     "Gevinstkart og gevinstrealiseringsplan (DFØ)\nHvem eier gevinstene?", True),
    (0, (13, 15), (14, 45), "Kost/nytte: samfunnsøkonomisk analyse", "Møterom Nidelva",
     "Jon Moe, Økonomi", "DFØs veileder i samfunnsøkonomiske analyser i praksis", True),
    (0, (15, 0), (15, 30), "Nettverk og erfaringsdeling", "Foajeen", None,
     "Bli kjent med de andre prosjektlederne.", False),
    (1, (9, 0), (10, 30), "Risikoanalyse og informasjonssikkerhet", "Bystyresalen",
     "Siri Aas, IT-sikkerhet",
     "NSMs grunnprinsipper for IKT-sikkerhet\nROS-analyse og DPIA (Datatilsynet)", True),
    (1, (10, 45), (12, 0), "Anskaffelser og IT-tjenestens rolle", "Bystyresalen",
     "Per Lien, IT-tjenesten", "TK-nett og elevnett: når IT-tjenesten skal være med", True),
    (1, (12, 45), (14, 0), "Avslutning av prosjekt og overlevering til drift", "Møterom Nidelva",
     "Kari Lund, Prosjektkontoret", "Sluttrapport, gevinstoppfølging og forvaltning", True),
]

EXTERNALS = [
    ("Áile Hætta", "Statsforvalteren i Trøndelag", "aile.haetta@statsforvalteren.example"),
    ("Tor Einar Nilsen", "Trøndelag fylkeskommune", "tor.einar.nilsen@trondelag.example"),
]


def _at(day: date, hour_minute: tuple[int, int]) -> datetime:
    return datetime.combine(day, time(*hour_minute), tzinfo=OSLO).astimezone(UTC)


def _course(session: Session, org: Organisation) -> Course:
    course = session.scalar(sa.select(Course).where(Course.slug == SLUG))
    if course is None:
        course = Course(
            organisation_id=org.id, slug=SLUG, kind=CourseKind.SEMINAR,
            status=CourseStatus.PUBLISHED, title="Prosjektledersamling",
            summary="Dagssamlinger for IT-prosjektledere og prosjekteiere: kommunens felles "
                    "metodikk for planlegging, gevinstrealisering, kost/nytte og risiko.",
            completion_requires_attendance=True, licence="NLOD-2.0",
        )
        course.audiences.append(CourseAudience(audience=Audience.PROJECT_LEADER))
        session.add(course)
        session.flush()
    return course


def _days(today: date) -> list[date]:
    """The last working day before today, and the first working day a week later."""
    first = today - timedelta(days=1)
    while first.weekday() >= 5:
        first -= timedelta(days=1)
    second = today + timedelta(days=6)
    while second.weekday() >= 5:
        second += timedelta(days=1)
    return [first, second]


def _offering(session: Session, course: Course, org: Organisation, today: date) -> Offering:
    offering = session.scalar(
        sa.select(Offering).where(Offering.course_id == course.id, Offering.title == TITLE)
        .order_by(Offering.id).limit(1)
    )
    if offering is not None:
        return offering
    days = _days(today)
    offering = Offering(
        course_id=course.id, organisation_id=org.id, title=TITLE,
        status=OfferingStatus.PUBLISHED, location="Trondheim rådhus", capacity=60,
        starts_at=_at(days[0], (9, 0)), ends_at=_at(days[1], (14, 0)),
        enrol_opens_at=_at(today - timedelta(days=60), (8, 0)),
        enrol_closes_at=_at(days[0] - timedelta(days=7), (23, 59)),
        cancel_deadline_at=_at(days[0] - timedelta(days=3), (23, 59)),
        contact_name="Ola Strand", contact_email=ORGANISER,
    )
    for day, start, end, title, room, speaker, topics, mandatory in PROGRAMME:
        offering.sessions.append(CourseSession(
            title=title, starts_at=_at(days[day], start), ends_at=_at(days[day], end),
            room=room, speaker=speaker, description=topics, mandatory=mandatory,
        ))
    session.add(offering)
    session.flush()
    return offering


def _enrol(session: Session, offering: Offering, org: Organisation) -> list[int]:
    """About forty project leaders and leaders, the demo leader among them."""
    enrolled = set(session.scalars(
        sa.select(Enrolment.user_id).where(Enrolment.offering_id == offering.id)
    ))
    candidates = session.scalars(
        sa.select(User).where(User.organisation_id == org.id, User.active.is_(True),
                              sa.or_(User.is_project_leader.is_(True),
                                     User.leader_level != LeaderLevel.NONE,
                                     User.email == LEADER))
        .order_by((User.email == LEADER).desc(), User.is_project_leader.desc(), User.id)
    ).all()
    seats = None if offering.capacity is None else offering.capacity - offering.taken
    requested_at = (offering.starts_at or datetime.now(UTC)) - timedelta(days=20)
    for user in candidates:
        if len(enrolled) >= PARTICIPANTS or seats == 0:
            break
        if user.id in enrolled:
            continue
        session.add(Enrolment(offering_id=offering.id, user_id=user.id,
                              status=EnrolmentStatus.ENROLLED, requested_at=requested_at,
                              updated_at=requested_at))
        offering.taken += 1
        seats = None if seats is None else seats - 1
        enrolled.add(user.id)
    session.flush()
    return sorted(enrolled)


def _first_day_attendance(session: Session, offering: Offering, user_ids: list[int],
                          externals: list[Participant], organiser: User | None,
                          today: date) -> None:
    sessions = sorted(offering.sessions, key=lambda s: s.starts_at)
    if not sessions:
        return
    first_day = sessions[0].starts_at.astimezone(OSLO).date()
    if first_day > today:
        return  # the first day lies ahead: nobody can have attended it yet
    day_one = [s for s in sessions if s.starts_at.astimezone(OSLO).date() == first_day]
    marked = {tuple(row) for row in session.execute(
        sa.select(Attendance.session_id, Attendance.user_id, Attendance.participant_id)
        .where(Attendance.session_id.in_([s.id for s in day_one]))
    )}
    leader = session.scalar(sa.select(User.id).where(User.email == LEADER))
    recorder = organiser.id if organiser else None
    rng = random.Random(5)  # noqa: S311  (deterministic demo data, not a secret)
    for user_id in user_ids:
        # Draw for everyone, marked or not, so that a second load walks the same sequence.
        draw = rng.random()
        # Most came; some were late to the first session, a few sent word or did not show.
        base = (AttendanceStatus.PRESENT if draw < 0.86 or user_id == leader
                else AttendanceStatus.EXCUSED if draw < 0.93 else AttendanceStatus.ABSENT)
        for index, s in enumerate(day_one):
            late = rng.random() < 0.1
            qr = base == AttendanceStatus.PRESENT and rng.random() < 0.5
            minutes = rng.randint(-20, 10)
            if (s.id, user_id, None) in marked:
                continue
            status = (AttendanceStatus.LATE if base == AttendanceStatus.PRESENT
                      and index == 0 and late else base)
            session.add(Attendance(
                session_id=s.id, user_id=user_id, status=status,
                method=AttendanceMethod.QR if qr else AttendanceMethod.MANUAL,
                recorded_by_id=user_id if qr else recorder,
                recorded_at=s.starts_at + timedelta(minutes=minutes),
            ))
    for participant in externals:
        for s in day_one:
            if (s.id, None, participant.id) not in marked:
                session.add(Attendance(session_id=s.id, participant_id=participant.id,
                                       status=AttendanceStatus.PRESENT,
                                       recorded_by_id=recorder, recorded_at=s.starts_at))
    session.flush()


def _externals(session: Session, offering: Offering, organiser: User | None) -> list[Participant]:
    have = {p.name: p for p in session.scalars(
        sa.select(Participant).where(Participant.offering_id == offering.id))}
    for name, organisation, email in EXTERNALS:
        if name not in have:
            have[name] = Participant(offering_id=offering.id, name=name,
                                     organisation_name=organisation, email=email,
                                     created_by_id=organiser.id if organiser else None)
            session.add(have[name])
    session.flush()
    return [have[name] for name, _org, _email in EXTERNALS]


def _questions_and_network(session: Session, offering: Offering, user_ids: list[int]) -> None:
    if session.get(RegistrationQuestions, offering.id) is None:
        session.add(RegistrationQuestions(
            offering_id=offering.id, ask_diet=True, ask_accessibility=True,
            free_text_label="Hvilket IT-prosjekt vil du snakke om i pausene?",
            retention_days=14,
        ))
    answers = [("Vegetar", None), ("Nøtteallergi", None), (None, "Teleslynge"),
               ("Glutenfri", "Plass nær døren (rullestol)")]
    have = set(session.scalars(sa.select(RegistrationAnswer.user_id)
                               .where(RegistrationAnswer.offering_id == offering.id)))
    for user_id, (diet, accessibility) in zip(user_ids[1:], answers, strict=False):
        if user_id not in have:
            session.add(RegistrationAnswer(offering_id=offering.id, user_id=user_id, diet=diet,
                                           accessibility=accessibility))
    projects = ["Nytt fagsystem i hjemmetjenesten", "Digital søknad om barnehageplass",
                "Sensorer i kommunale bygg", "Ny sak/arkiv-løsning"]
    in_network = set(session.scalars(sa.select(NetworkEntry.user_id)
                                     .where(NetworkEntry.offering_id == offering.id)))
    for user_id, project in zip(user_ids[::9], projects, strict=False):
        if user_id not in in_network:
            session.add(NetworkEntry(offering_id=offering.id, user_id=user_id, projects=project))
    session.flush()


def load(session: Session, today: date) -> None:
    org = session.scalar(sa.select(Organisation).where(Organisation.slug == "trondheim"))
    if org is None:
        return  # the people have not been loaded; load_demo always loads them first
    organiser = session.scalar(sa.select(User).where(User.email == ORGANISER))
    course = _course(session, org)
    offering = _offering(session, course, org, today)
    user_ids = _enrol(session, offering, org)
    externals = _externals(session, offering, organiser)
    _first_day_attendance(session, offering, user_ids, externals, organiser, today)
    _questions_and_network(session, offering, user_ids)

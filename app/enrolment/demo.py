"""Demo offerings, sessions and enrolments (``flask demo load``), dated from ``today``.

- IT i hverdagen at the town hall, where leder@trondheim.example has a seat;
- IT i hverdagen online, full, with a waitlist;
- IT i hverdagen at Heimdal, with one seat left;
- IT i hverdagen at Øya, which needs the leader's approval, with a request from one of
  leder@trondheim.example's department heads waiting for her;
- the two-day project-leader gathering, open to the partners.

Rows are written directly (no e-mail is queued for demo people); ``taken`` always equals
the number of seats held. Idempotent: an offering that exists is left alone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import LeaderLevel, Organisation, Unit, User
from app.catalogue.demo import ensure_demo_courses, ensure_requirements
from app.catalogue.demo_content import SEMINAR_PROGRAMME
from app.catalogue.models import Course, Module, ModuleRead
from app.enrolment.models import (
    CourseSession,
    Enrolment,
    EnrolmentStatus,
    Offering,
    OfferingFormat,
    OfferingStatus,
)

OSLO = ZoneInfo("Europe/Oslo")
LEADER_EMAIL = "leder@trondheim.example"
ORGANISER_EMAIL = "arrangor@trondheim.example"


def at(day: date, clock: str) -> datetime:
    hours, minutes = (int(x) for x in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=OSLO)


def _offering(session: Session, course: Course, org: Organisation, organiser: User | None, *,
              title: str, day: date, sessions: list[tuple[int, str, str, str, str | None, bool]],
              **kw) -> Offering | None:
    """A published offering with its sessions; None when it exists already."""
    exists = session.scalar(sa.select(Offering.id).where(Offering.course_id == course.id,
                                                         Offering.title == title))
    if exists is not None:
        return None
    online_url = kw.pop("_online_url", None)
    starts = at(day + timedelta(days=sessions[0][0]), sessions[0][1])
    offering = Offering(
        course_id=course.id, organisation_id=org.id, title=title,
        status=OfferingStatus.PUBLISHED, taken=0,
        enrol_opens_at=at(day - timedelta(days=60), "08:00"),
        enrol_closes_at=at(day - timedelta(days=2), "23:59"),
        cancel_deadline_at=at(day - timedelta(days=3), "23:59"),
        contact_name=organiser.name if organiser else None,
        contact_email=organiser.email if organiser else None,
        created_by_id=organiser.id if organiser else None,
        starts_at=starts, **kw,
    )
    for offset, start, end, session_title, speaker, mandatory in sessions:
        session_day = day + timedelta(days=offset)
        offering.sessions.append(CourseSession(
            title=session_title, starts_at=at(session_day, start), ends_at=at(session_day, end),
            room=kw.get("location") if kw.get("format") != OfferingFormat.ONLINE else None,
            online_url=online_url, speaker=speaker, mandatory=mandatory,
        ))
    offering.ends_at = max(s.ends_at for s in offering.sessions)
    session.add(offering)
    session.flush()
    return offering


def weekday(day: date, wanted: int | None = None) -> date:
    """The first working day on or after ``day`` (or the first ``wanted`` weekday, 0 =
    Monday), so that demo sessions never fall on a weekend whatever today is."""
    if wanted is not None:
        return day + timedelta(days=(wanted - day.weekday()) % 7)
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def _enrol(session: Session, offering: Offering, people: list[User], status: EnrolmentStatus,
           since: datetime) -> None:
    for i, person in enumerate(people):
        session.add(Enrolment(offering_id=offering.id, user_id=person.id, status=status,
                              requested_at=since + timedelta(hours=i),
                              updated_at=since + timedelta(hours=i)))
        if status == EnrolmentStatus.ENROLLED:
            offering.taken += 1
    session.flush()


def _half_day(title: str) -> list:
    return [(0, "09:00", "12:30", title, "Ola Strand, IT-tjenesten", True)]


def load(session: Session, today: date) -> None:
    courses = ensure_demo_courses(session)
    leader_course, seminar = courses["it-i-hverdagen"], courses["prosjektledersamling"]
    ensure_requirements(session, leader_course)
    org = session.scalar(sa.select(Organisation).where(Organisation.slug == "trondheim"))
    users = {u.email: u for u in session.scalars(
        sa.select(User).where(User.email.in_([LEADER_EMAIL, ORGANISER_EMAIL])))}
    leder, organiser = users.get(LEADER_EMAIL), users.get(ORGANISER_EMAIL)
    leaders = list(session.scalars(
        sa.select(User).where(User.organisation_id == org.id,
                              User.leader_level != LeaderLevel.NONE,
                              User.email != LEADER_EMAIL, User.password_hash.is_(None))
        .order_by(User.id)))
    since = at(today - timedelta(days=20), "10:00")
    in_person = {"format": OfferingFormat.IN_PERSON}

    town_hall = _offering(session, leader_course, org, organiser, title="Rådhuset",
                          day=weekday(today + timedelta(days=14)),
                          sessions=_half_day("Samling: IT i hverdagen"), capacity=20,
                          location="Rådhuset, Munkegata 1, bystyresalen", **in_person)
    if town_hall is not None:
        _enrol(session, town_hall, ([leder] if leder else []) + leaders[0:11],
               EnrolmentStatus.ENROLLED, since)

    online = _offering(session, leader_course, org, organiser, title="Digitalt",
                       day=weekday(today + timedelta(days=35)),
                       sessions=[(0, "13:00", "16:00", "Samling på Teams: IT i hverdagen",
                                  "Ola Strand, IT-tjenesten", True)],
                       capacity=8, format=OfferingFormat.ONLINE,
                       _online_url="https://teams.example.org/l/it-i-hverdagen-digitalt")
    if online is not None:
        _enrol(session, online, leaders[11:19], EnrolmentStatus.ENROLLED, since)
        _enrol(session, online, leaders[19:22], EnrolmentStatus.WAITLISTED,
               since + timedelta(days=5))

    heimdal = _offering(session, leader_course, org, organiser, title="Heimdal",
                        day=weekday(today + timedelta(days=28)),
                        sessions=_half_day("Samling: IT i hverdagen"), capacity=10,
                        location="Heimdal rådhus, møterom Nidelva", **in_person)
    if heimdal is not None:
        _enrol(session, heimdal, leaders[22:31], EnrolmentStatus.ENROLLED, since)

    oya = _offering(session, leader_course, org, organiser, title="Øya, med godkjenning",
                    day=weekday(today + timedelta(days=56)),
                    sessions=_half_day("Samling: IT i hverdagen"), capacity=15,
                    location="Helsehuset Øya, møterom 2", requires_approval=True, **in_person)
    if oya is not None:
        requester = _department_head_under(session, leder)
        _enrol(session, oya, [p for p in leaders[31:36] if p is not requester][:4],
               EnrolmentStatus.ENROLLED, since)
        if requester is not None:
            _enrol(session, oya, [requester], EnrolmentStatus.REQUESTED,
                   at(today - timedelta(days=2), "14:12"))

    gathering = _offering(
        session, seminar, org, organiser, title="Høstsamlingen",
        day=weekday(today + timedelta(days=42), 1), sessions=list(SEMINAR_PROGRAMME),
        capacity=40,
        location="Scandic Nidelven, Havnegata 1–3", open_to_partners=True, **in_person)
    if gathering is not None:
        project_leaders = list(session.scalars(
            sa.select(User).where(User.is_project_leader.is_(True),
                                  User.password_hash.is_(None)).order_by(User.id).limit(16)))
        _enrol(session, gathering, project_leaders, EnrolmentStatus.ENROLLED, since)

    if leder is not None:
        _read_first_modules(session, leder, leader_course, count=2, today=today)


def _department_head_under(session: Session, leader: User | None) -> User | None:
    """A first-line leader in the subtree of a unit ``leader`` leads (not leader)."""
    if leader is None:
        return None
    led = sa.orm.aliased(Unit)
    return session.scalar(
        sa.select(User).join(Unit, Unit.id == User.unit_id)
        .where(sa.exists().where(led.manager_id == leader.id, Unit.path.like(led.path + "%")),
               User.leader_level == LeaderLevel.FIRST_LINE, User.id != leader.id)
        .order_by(User.id).limit(1)
    )


def _read_first_modules(session: Session, user: User, course: Course, *, count: int,
                        today: date) -> None:
    modules = session.scalars(sa.select(Module).where(Module.course_id == course.id)
                              .order_by(Module.position).limit(count)).all()
    read = set(session.scalars(sa.select(ModuleRead.module_id)
                               .where(ModuleRead.user_id == user.id)))
    for i, module in enumerate(modules):
        if module.id not in read:
            session.add(ModuleRead(user_id=user.id, module_id=module.id,
                                   read_at=at(today - timedelta(days=7 - i), "20:15")))
    session.flush()

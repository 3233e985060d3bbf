"""Read queries: who is on a seminar's list, the attendance grid, and the organiser scope.

"On the list" (the roster) of an offering means: enrolled (or marked no-show) in it, a
confirmed walk-in, or anyone who already has an attendance mark at one of its sessions.
External participants (no account) are on the list of the offering they were added to.
Every query here has a fixed number of statements, whatever the number of people.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, contains_eager

from app.accounts.models import Organisation, Unit, User
from app.accounts.scope import organisation_ids
from app.catalogue.models import Course, CourseKind, CourseStatus
from app.catalogue.queries import viewer
from app.enrolment.models import (
    CourseSession,
    Enrolment,
    EnrolmentStatus,
    Offering,
    OfferingStatus,
)
from app.seminars.models import (
    Attendance,
    AttendanceStatus,
    Participant,
    RegistrationAnswer,
    RegistrationQuestions,
    WalkIn,
    WalkInStatus,
)

#: Enrolment statuses that put a person on the attendance list.
ON_LIST = (EnrolmentStatus.ENROLLED, EnrolmentStatus.NO_SHOW)


def organiser_org_ids(user: User | None) -> set[int]:
    """Organisations whose offerings this person organises."""
    return organisation_ids(user, "organiser")


def organises(user: User | None, offering: Offering) -> bool:
    return offering.organisation_id in organiser_org_ids(user)


@functools.cache
def _organised_session_statement() -> sa.Select:
    # Built once (every attendance write starts here); the course's audiences, which a
    # Course loads by default, are of no use to a session's pages and writes.
    return (
        sa.select(CourseSession)
        .join(CourseSession.offering)
        .join(Offering.course)
        .options(contains_eager(CourseSession.offering).contains_eager(Offering.course)
                 .lazyload(Course.audiences))
        .where(CourseSession.id == sa.bindparam("session_id"),
               Offering.organisation_id.in_(sa.bindparam("org_ids", expanding=True)))
    )


def organised_session(session: Session, user: User | None, session_id: int) -> CourseSession | None:
    """A session of an offering the person organises, with its offering and course loaded;
    None when it does not exist or lies outside their reach (the view answers 404)."""
    return session.scalar(_organised_session_statement(),
                          {"session_id": session_id, "org_ids": sorted(organiser_org_ids(user))})


def organised_offering(session: Session, user: User | None, offering_id: int) -> Offering | None:
    return session.scalar(
        sa.select(Offering)
        .join(Offering.course)
        .options(contains_eager(Offering.course))
        .where(Offering.id == offering_id,
               Offering.organisation_id.in_(organiser_org_ids(user)))
    )


def visible_seminars_condition(user: User | None, *, organised=None):
    """Seminar offerings a person may see: the published ones of their own organisation,
    those open to the partners and those they have a place on; and all of those they
    organise (``organised``: their organiser organisations, when not read from ``user``)."""
    if user is None:
        return sa.false()
    placed = (sa.select(Enrolment.id)
              .where(Enrolment.offering_id == Offering.id, Enrolment.user_id == user.id)
              .exists())
    return sa.and_(
        Course.kind == CourseKind.SEMINAR,
        sa.or_(
            sa.and_(Offering.status == OfferingStatus.PUBLISHED,
                    Course.status == CourseStatus.PUBLISHED,
                    sa.or_(Offering.organisation_id == user.organisation_id,
                           Offering.open_to_partners.is_(True), placed)),
            Offering.organisation_id.in_(
                organiser_org_ids(user) if organised is None else organised),
        ),
    )


@functools.cache
def _visible_seminar_statement() -> sa.Select:
    # Built once, with the person as bind parameters: building it cost more than running it.
    # The course's audiences, which a Course loads by default, are shown on no seminar page.
    person = viewer(("none", False, False))
    return (
        sa.select(Offering).join(Offering.course)
        .options(contains_eager(Offering.course).lazyload(Course.audiences))
        .where(Offering.id == sa.bindparam("offering_id"),
               visible_seminars_condition(
                   person, organised=sa.bindparam("organised", expanding=True)))
    )


def _visible_params(user: User, offering_id: int) -> dict:
    return {"offering_id": offering_id, "viewer_id": user.id,
            "viewer_org": user.organisation_id, "organised": sorted(organiser_org_ids(user))}


def visible_seminar(session: Session, user: User, offering_id: int) -> Offering | None:
    """The seminar with its course, if the person may see it (one statement)."""
    return session.scalar(_visible_seminar_statement(), _visible_params(user, offering_id))


@dataclass
class ProgrammeHead:
    """What the programme page shows beside the sessions: the seminar with its course, the
    person's own place on it, the organiser's registration questions and the person's
    answers to them."""

    offering: Offering
    enrolment: Enrolment | None
    questions: RegistrationQuestions | None
    answer: RegistrationAnswer | None


@functools.cache
def _programme_head_statement() -> sa.Select:
    # An alias, so that the visibility condition's own EXISTS over the person's enrolment
    # is not correlated with this join.
    own = aliased(Enrolment)
    person_id = sa.bindparam("viewer_id")
    return (
        _visible_seminar_statement()
        .add_columns(own, RegistrationQuestions, RegistrationAnswer)
        .outerjoin(own, sa.and_(own.offering_id == Offering.id, own.user_id == person_id))
        .outerjoin(RegistrationQuestions, RegistrationQuestions.offering_id == Offering.id)
        .outerjoin(RegistrationAnswer, sa.and_(RegistrationAnswer.offering_id == Offering.id,
                                               RegistrationAnswer.user_id == person_id))
    )


def programme_head(session: Session, user: User, offering_id: int) -> ProgrammeHead | None:
    """The seminar (if the person may see it) with their enrolment, the registration
    questions and their answers: one statement where four would each cost a round."""
    row = session.execute(_programme_head_statement(),
                          _visible_params(user, offering_id)).one_or_none()
    return None if row is None else ProgrammeHead(*row)


#: A seminar's sessions in programme order.
PROGRAMME_SESSIONS = (
    sa.select(CourseSession).where(CourseSession.offering_id == sa.bindparam("offering_id"))
    .order_by(CourseSession.starts_at, CourseSession.id)
)


def roster_user_ids(offering_id: int):
    """A SELECT of the user ids on an offering's list (see the module docstring)."""
    enrolled = sa.select(Enrolment.user_id).where(
        Enrolment.offering_id == offering_id, Enrolment.status.in_(ON_LIST)
    )
    walk_ins = sa.select(WalkIn.user_id).where(
        WalkIn.offering_id == offering_id, WalkIn.status == WalkInStatus.CONFIRMED
    )
    marked = (
        sa.select(Attendance.user_id)
        .join(CourseSession, Attendance.session_id == CourseSession.id)
        .where(CourseSession.offering_id == offering_id, Attendance.user_id.is_not(None))
    )
    return sa.union(enrolled, walk_ins, marked)


def is_on_roster(session: Session, offering_id: int, user_id: int) -> bool:
    return bool(session.scalar(
        sa.select(sa.literal(True)).where(
            sa.literal(user_id).in_(roster_user_ids(offering_id).scalar_subquery())
        )
    ))


_NORWEGIAN_LAST = str.maketrans({"æ": "{", "ø": "|", "å": "}"})


@functools.lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """Sort key for names in Norwegian order: æ, ø, å after z; other accents ignored
    (Áile sorts with Aile)."""
    folded = name.casefold().translate(_NORWEGIAN_LAST)
    decomposed = unicodedata.normalize("NFD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=8192)
def search_key(name: str) -> str:
    """What the grid's search compares: lower case without accents (ø and æ kept)."""
    decomposed = unicodedata.normalize("NFD", name.casefold())
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


@dataclass
class GridRow:
    """One person on a session's list, with their mark there (if any)."""

    kind: str  # "user" or "participant"
    id: int
    name: str
    #: The unit (people with an account) or the organisation (external participants).
    detail: str
    organisation: str
    email: str | None
    status: AttendanceStatus | None
    version: int
    walk_in: bool = False
    recorded_at: datetime | None = None
    #: The name as the grid's search compares it.
    search: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@functools.cache
def _grid_statements() -> tuple[sa.Select, sa.Select]:
    """The grid's two statements, built once with the offering and session as bind
    parameters: building them cost more than running them."""
    offering_id, session_id = sa.bindparam("offering_id"), sa.bindparam("session_id")
    confirmed_walk_in = (
        sa.select(WalkIn.id)
        .where(WalkIn.offering_id == offering_id, WalkIn.user_id == User.id,
               WalkIn.status == WalkInStatus.CONFIRMED)
        .exists()
    )
    enrolled = (
        sa.select(Enrolment.id)
        .where(Enrolment.offering_id == offering_id, Enrolment.user_id == User.id,
               Enrolment.status.in_(ON_LIST))
        .exists()
    )
    users = (
        sa.select(User.id, User.name, User.email, Unit.name, Organisation.name,
                  Attendance.status, Attendance.version, Attendance.recorded_at,
                  sa.and_(confirmed_walk_in, ~enrolled))
        .join(Organisation, User.organisation_id == Organisation.id)
        .outerjoin(Unit, User.unit_id == Unit.id)
        .outerjoin(Attendance, sa.and_(Attendance.user_id == User.id,
                                       Attendance.session_id == session_id))
        .where(User.id.in_(roster_user_ids(offering_id).scalar_subquery()))
    )
    participants = (
        sa.select(Participant.id, Participant.name, Participant.organisation_name,
                  Participant.email, Attendance.status, Attendance.version,
                  Attendance.recorded_at)
        .outerjoin(Attendance, sa.and_(Attendance.participant_id == Participant.id,
                                       Attendance.session_id == session_id))
        .where(Participant.offering_id == offering_id)
    )
    return users, participants


def grid_rows(session: Session, course_session: CourseSession) -> list[GridRow]:
    """Everyone on the list of the session's offering, sorted by name: two statements."""
    params = {"offering_id": course_session.offering_id, "session_id": course_session.id}
    users_statement, participants_statement = _grid_statements()
    users = session.execute(users_statement, params)
    rows = [
        GridRow("user", uid, name, unit or org, org, email, status, version or 0,
                bool(walk_in), recorded_at)
        for uid, name, email, unit, org, status, version, recorded_at, walk_in in users
    ]
    participants = session.execute(participants_statement, params)
    rows += [
        GridRow("participant", pid, name, org or "", org or "", email, status, version or 0,
                True, recorded_at)
        for pid, name, org, email, status, version, recorded_at in participants
    ]
    for row in rows:
        row.search = search_key(row.name)
    rows.sort(key=lambda r: (name_key(r.name), r.kind, r.id))
    return rows


_PENDING_WALK_INS = (
    sa.select(WalkIn, User.name, Unit.name, Organisation.name)
    .join(User, WalkIn.user_id == User.id)
    .join(Organisation, User.organisation_id == Organisation.id)
    .outerjoin(Unit, User.unit_id == Unit.id)
    .where(WalkIn.offering_id == sa.bindparam("offering_id"),
           WalkIn.status == WalkInStatus.REQUESTED)
    .order_by(WalkIn.requested_at, WalkIn.id)
)


def pending_walk_ins(session: Session, offering_id: int) -> list[tuple[WalkIn, str, str]]:
    """Walk-in requests waiting for the organiser: (request, name, unit or organisation)."""
    return [
        (walk_in, name, unit or org)
        for walk_in, name, unit, org in session.execute(_PENDING_WALK_INS,
                                                         {"offering_id": offering_id})
    ]


def find_people(session: Session, text: str, *, limit: int = 20) -> list[tuple[User, str]]:
    """Active people whose name or e-mail contains ``text`` (for adding a walk-in). Text
    longer than an e-mail address can be (254) is in no name or address, and SQLite
    refuses a LIKE pattern of over 50,000 bytes."""
    text = text.strip()
    if not 2 <= len(text) <= 254:
        return []
    pattern = "%" + text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
    return [
        (user, unit or org)
        for user, unit, org in session.execute(
            sa.select(User, Unit.name, Organisation.name)
            .join(Organisation, User.organisation_id == Organisation.id)
            .outerjoin(Unit, User.unit_id == Unit.id)
            .where(User.active.is_(True), User.is_service_account.is_(False),
                   sa.or_(User.name.ilike(pattern, escape="\\"),
                          User.email.ilike(pattern, escape="\\")))
            .order_by(User.name, User.id)
            .limit(limit)
        )
    ]

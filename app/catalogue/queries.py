"""Read queries of the catalogue and the course page, each a fixed number of statements
whatever the number of courses, offerings or people.

Who sees what: a published course is listed for the people of the organisation that owns
it, and for everyone who may enrol in one of its published offerings (offerings of their
own organisation, and offerings open to the partners).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import Organisation, Unit, User
from app.catalogue.models import (
    Course,
    CourseAudience,
    CourseStatus,
    Module,
    ModuleRead,
    Requirement,
    RequirementGroup,
)
from app.catalogue.rules import audiences_of
from app.enrolment.models import CourseSession, Enrolment, Offering, OfferingStatus
from app.enrolment.seats import waitlist_position_column

PAGE_SIZE = 10
#: "Now" in cached statements; every execution binds it.
NOW = sa.bindparam("now", type_=Offering.ends_at.type)
#: Offerings shown per course in the catalogue; the course page shows them all.
OFFERINGS_PER_COURSE = 2


def visible_offering(user: User):
    return sa.and_(
        Offering.status == OfferingStatus.PUBLISHED,
        sa.or_(Offering.organisation_id == user.organisation_id,
               Offering.open_to_partners.is_(True)),
    )


def upcoming(now: datetime):
    """Not over yet (self-paced offerings without an end stay listed)."""
    return sa.or_(Offering.ends_at.is_(None), Offering.ends_at >= now)


def visible_course(user: User):
    return sa.and_(
        Course.status == CourseStatus.PUBLISHED,
        sa.or_(
            Course.organisation_id == user.organisation_id,
            sa.exists().where(Offering.course_id == Course.id, visible_offering(user)),
        ),
    )


#: Built once: an alias's column proxies are costly to make on every request.
_BOUND_UNIT = sa.orm.aliased(Unit, name="bound_unit")
_OWN_UNIT = sa.orm.aliased(Unit, name="own_unit")


def requirement_binds(requirement=Requirement, *, organisation_id, leader_level, project_leader,
                      unit_path, unit_where=None):
    """The one rule of what makes a requirement bind a person: their organisation's active
    requirement for their leader level, for the IT project leader role, or for a unit
    subtree that holds their unit.

    For one known person the arguments are Python values, and clauses that cannot hold are
    left out (``leader_level`` None, ``project_leader`` False, ``unit_path`` None); for a
    whole population they are the columns of the person and their unit (``project_leader``
    a boolean column), so that reports join people to requirements in one statement.
    ``unit_where`` narrows the unit the path comes from (the person's own unit).
    """
    clauses = []
    if leader_level is not None:
        clauses.append(sa.and_(requirement.group_kind == RequirementGroup.LEADER_LEVEL,
                               requirement.leader_level == leader_level))
    if project_leader is True:
        clauses.append(requirement.group_kind == RequirementGroup.PROJECT_LEADER)
    elif project_leader is not False and project_leader is not None:
        clauses.append(sa.and_(requirement.group_kind == RequirementGroup.PROJECT_LEADER,
                               project_leader.is_(True)))
    if unit_path is not None:
        bound = _BOUND_UNIT
        inside = [bound.id == requirement.unit_id, unit_path.like(bound.path + "%")]
        if unit_where is not None:
            inside.append(unit_where)
        clauses.append(sa.and_(requirement.group_kind == RequirementGroup.UNIT,
                               sa.exists().where(*inside)))
    return sa.and_(requirement.active.is_(True),
                   requirement.organisation_id == organisation_id,
                   sa.or_(*clauses) if clauses else sa.false())


def requirement_applies(user: User, requirement=Requirement):
    """A condition on ``requirement`` that holds when it binds ``user``: their leader level,
    the IT project leader role, or a unit subtree that holds their unit."""
    has_level = user.leader_level and user.leader_level != "none"
    return requirement_binds(
        requirement,
        organisation_id=user.organisation_id,
        leader_level=str(user.leader_level) if has_level else None,
        project_leader=bool(user.is_project_leader),
        unit_path=_OWN_UNIT.path if user.unit_id is not None else None,
        unit_where=_OWN_UNIT.id == user.unit_id if user.unit_id is not None else None,
    )


def mandatory_months_column(user: User, course_id=Course.id):
    """The shortest ``due_months`` of the requirements binding ``user`` to the course;
    NULL when none does. (-1 stands for a requirement without a due time.)"""
    return (
        sa.select(sa.func.min(sa.func.coalesce(Requirement.due_months, -1)))
        .where(Requirement.course_id == course_id, requirement_applies(user))
        .scalar_subquery()
    )


def for_me_column(user: User, course_id=Course.id):
    mine = audiences_of(leader_level=str(user.leader_level),
                        is_project_leader=user.is_project_leader)
    return sa.exists().where(CourseAudience.course_id == course_id,
                             CourseAudience.audience.in_(sorted(mine)))


@dataclass(frozen=True)
class Viewer:
    """A person as a cached statement sees them. Leader level, project-leader role and
    whether they have a unit change the statement's shape (and are part of the cache key);
    the identifiers are bind parameters, so one statement object serves everyone alike.
    Building these statements costs more than running them."""

    leader_level: str
    is_project_leader: bool
    unit_id: object
    organisation_id: object
    id: object


def viewer_shape(user: User) -> tuple[str, bool, bool]:
    return (str(user.leader_level), bool(user.is_project_leader), user.unit_id is not None)


def viewer(shape: tuple[str, bool, bool]) -> Viewer:
    level, project_leader, has_unit = shape
    return Viewer(level, project_leader, sa.bindparam("viewer_unit") if has_unit else None,
                  sa.bindparam("viewer_org"), sa.bindparam("viewer_id"))


def viewer_params(user: User, now: datetime) -> dict:
    return {"viewer_unit": user.unit_id, "viewer_org": user.organisation_id,
            "viewer_id": user.id, "now": now}


@dataclass
class Filters:
    q: str = ""
    audience: str = ""
    format: str = ""
    organiser: int | None = None
    language: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @property
    def offering_filters(self) -> bool:
        return bool(self.format or self.organiser or self.date_from or self.date_to)


def _oslo_midnight(day: date) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time.min, tzinfo=ZoneInfo("Europe/Oslo"))


def offering_shape(filters: Filters) -> tuple[bool, bool, bool, bool]:
    return (bool(filters.format), bool(filters.organiser), bool(filters.date_from),
            bool(filters.date_to))


def offering_filter(shape: tuple[bool, bool, bool, bool]):
    """The offering filters in use, as bind parameters (see ``filter_params``)."""
    has_format, has_organiser, has_from, has_to = shape
    clauses = []
    if has_format:
        clauses.append(Offering.format == sa.bindparam("f_format"))
    if has_organiser:
        clauses.append(Offering.organisation_id == sa.bindparam("f_organiser"))
    if has_from:
        clauses.append(Offering.starts_at >= sa.bindparam("f_from"))
    if has_to:
        clauses.append(Offering.starts_at < sa.bindparam("f_to"))
    return sa.and_(*clauses) if clauses else sa.true()


def filter_params(filters: Filters) -> dict:
    return {
        "f_format": filters.format or None,
        "f_organiser": filters.organiser,
        "f_from": _oslo_midnight(filters.date_from) if filters.date_from else None,
        "f_to": (_oslo_midnight(filters.date_to + timedelta(days=1))
                 if filters.date_to else None),
        "f_q": _like(filters.q) if filters.q else None,
        "f_audience": filters.audience or None,
        "f_language": filters.language or None,
    }


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
    return f"%{escaped}%"


@dataclass
class CourseCard:
    """A course as the catalogue lists it (no description, no modules)."""

    id: int
    slug: str
    title: str
    summary: str
    kind: str
    language: str
    audiences: list[str] = field(default_factory=list)


@dataclass
class CatalogueRow:
    course: CourseCard
    mandatory: bool
    for_me: bool
    offerings: list = field(default_factory=list)
    #: Upcoming offerings beyond those listed.
    more: int = 0


@dataclass
class CataloguePage:
    rows: list[CatalogueRow]
    total: int
    page: int
    pages: int


@lru_cache(maxsize=512)
def _catalogue_statement(shape, has_q: bool, has_audience: bool, has_language: bool,
                         offerings: tuple[bool, bool, bool, bool], page: int):
    person = viewer(shape)
    mandatory = mandatory_months_column(person)
    for_me = for_me_column(person)
    where = [visible_course(person)]
    if has_q:
        pattern = sa.bindparam("f_q")
        where.append(sa.or_(sa.func.lower(Course.title).like(pattern, escape="\\"),
                            sa.func.lower(Course.summary).like(pattern, escape="\\")))
    if has_audience:
        where.append(sa.exists().where(CourseAudience.course_id == Course.id,
                                       CourseAudience.audience == sa.bindparam("f_audience")))
    if has_language:
        where.append(Course.language == sa.bindparam("f_language"))
    if any(offerings):
        where.append(sa.exists().where(Offering.course_id == Course.id,
                                       visible_offering(person), upcoming(NOW),
                                       offering_filter(offerings)))
    return (
        sa.select(Course.id, Course.slug, Course.title, Course.summary, Course.kind,
                  Course.language, mandatory.label("mandatory"), for_me.label("for_me"),
                  sa.func.count().over().label("total"))
        .where(*where)
        .order_by(mandatory.is_(None), sa.desc(for_me), Course.title, Course.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )


_AUDIENCES = (
    sa.select(CourseAudience.course_id, CourseAudience.audience)
    .where(CourseAudience.course_id.in_(sa.bindparam("course_ids", expanding=True)))
    .order_by(CourseAudience.audience)
)


def catalogue(session: Session, user: User, filters: Filters, *, page: int,
              now: datetime) -> CataloguePage:
    """The catalogue: three statements (courses with their total, their audiences, and
    their next offerings with the person's own status), loaded as plain rows: a page of
    ORM objects would cost more than the queries."""
    page = min(max(page, 1), 1000)
    params = {**viewer_params(user, now), **filter_params(filters)}
    rows = session.execute(
        _catalogue_statement(viewer_shape(user), bool(filters.q), bool(filters.audience),
                             bool(filters.language), offering_shape(filters), page),
        params,
    ).all()
    total = rows[0].total if rows else 0
    result = [CatalogueRow(course=CourseCard(r.id, r.slug, r.title, r.summary, str(r.kind),
                                             r.language),
                           mandatory=r.mandatory is not None, for_me=bool(r.for_me))
              for r in rows]
    by_id = {row.course.id: row for row in result}
    if by_id:
        for course_id, audience in session.execute(_AUDIENCES, {"course_ids": list(by_id)}):
            by_id[course_id].course.audiences.append(str(audience))
        for offering_row in next_offerings(session, user, list(by_id), now=now,
                                           filters=filters):
            row = by_id[offering_row.offering.course_id]
            row.offerings.append(offering_row)
            row.more = offering_row.of_course - len(row.offerings)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return CataloguePage(rows=result, total=total, page=page, pages=pages)


@dataclass
class OfferingSummary:
    """What lists show of an offering (a plain row, not an ORM object)."""

    id: int
    course_id: int
    organisation_id: int
    organisation_name: str
    title: str
    status: str
    format: str
    location: str | None
    capacity: int | None
    taken: int
    starts_at: datetime | None
    ends_at: datetime | None
    enrol_opens_at: datetime | None
    enrol_closes_at: datetime | None
    requires_approval: bool

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)


SUMMARY_COLUMNS = (
    Offering.id, Offering.course_id, Offering.organisation_id, Organisation.name,
    Offering.title, Offering.status, Offering.format, Offering.location, Offering.capacity,
    Offering.taken, Offering.starts_at, Offering.ends_at, Offering.enrol_opens_at,
    Offering.enrol_closes_at, Offering.requires_approval,
)


@dataclass
class OfferingRow:
    offering: OfferingSummary
    my_status: str | None
    my_enrolment_id: int | None
    my_position: int | None
    #: How many upcoming offerings the course has in all.
    of_course: int = 0
    sessions: list = field(default_factory=list)


@lru_cache(maxsize=256)
def _next_offerings_statement(shape, offerings: tuple[bool, bool, bool, bool],
                              limit: int | None):
    person = viewer(shape)
    rank = sa.func.row_number().over(partition_by=Offering.course_id,
                                     order_by=(Offering.starts_at, Offering.id)).label("rank")
    of_course = sa.func.count().over(partition_by=Offering.course_id).label("of_course")
    ranked = (
        sa.select(Offering.id.label("id"), rank, of_course)
        .where(Offering.course_id.in_(sa.bindparam("course_ids", expanding=True)),
               visible_offering(person), upcoming(NOW), offering_filter(offerings))
        .subquery()
    )
    query = (
        sa.select(*SUMMARY_COLUMNS, Enrolment.status, Enrolment.id, waitlist_position_column(),
                  ranked.c.of_course)
        .join(ranked, ranked.c.id == Offering.id)
        .join(Organisation, Organisation.id == Offering.organisation_id)
        .outerjoin(Enrolment, sa.and_(Enrolment.offering_id == Offering.id,
                                      Enrolment.user_id == person.id))
        .order_by(Offering.course_id, ranked.c.rank)
    )
    if limit is not None:
        query = query.where(ranked.c.rank <= limit)
    return query


def next_offerings(session: Session, user: User, course_ids: list[int], *, now: datetime,
                   filters: Filters | None = None,
                   limit: int | None = OFFERINGS_PER_COURSE) -> list[OfferingRow]:
    """The upcoming offerings of these courses that the person may see, with their own
    enrolment status and waitlist position: one statement."""
    filters = filters or Filters()
    statement = _next_offerings_statement(viewer_shape(user), offering_shape(filters), limit)
    params = {**viewer_params(user, now), **filter_params(filters), "course_ids": course_ids}
    width = len(SUMMARY_COLUMNS)
    return [
        OfferingRow(offering=OfferingSummary(*row[:width]),
                    my_status=str(row[width]) if row[width] else None,
                    my_enrolment_id=row[width + 1], my_position=row[width + 2],
                    of_course=row[width + 3])
        for row in session.execute(statement, params)
    ]


@lru_cache(maxsize=1)
def _organiser_statement():
    person = viewer(("none", False, False))
    return (
        sa.select(Organisation.id, Organisation.name)
        .where(sa.exists().where(Offering.organisation_id == Organisation.id,
                                 visible_offering(person), upcoming(NOW)))
        .order_by(Organisation.name)
    )


def organiser_options(session: Session, user: User, now: datetime) -> list[tuple[int, str]]:
    """Organisations running offerings the person may see (the organiser filter)."""
    return [tuple(r) for r in session.execute(
        _organiser_statement(), {"viewer_org": user.organisation_id, "now": now})]


@dataclass
class CoursePage:
    course: Course
    mandatory: bool
    modules: list[tuple[Module, bool]]
    offerings: list[OfferingRow]

    @property
    def read_count(self) -> int:
        return sum(1 for _module, read in self.modules if read)


@lru_cache(maxsize=64)
def _course_statement(shape, include_unpublished: bool):
    person = viewer(shape)
    condition = Course.slug == sa.bindparam("slug")
    if not include_unpublished:
        condition = sa.and_(condition, visible_course(person))
    return sa.select(Course, mandatory_months_column(person).label("mandatory")).where(condition)


_MODULES = (
    sa.select(Module, ModuleRead.id)
    .outerjoin(ModuleRead, sa.and_(ModuleRead.module_id == Module.id,
                                   ModuleRead.user_id == sa.bindparam("viewer_id")))
    .where(Module.course_id == sa.bindparam("course_id"))
    .order_by(Module.position)
    # The body is read on the module's own page.
    .options(sa.orm.defer(Module.body))
)


def course_page(session: Session, user: User, slug: str, *, now: datetime,
                include_unpublished: bool = False) -> CoursePage | None:
    """The course with its modules (and which the person has read) and its upcoming
    offerings with sessions: five statements."""
    row = session.execute(_course_statement(viewer_shape(user), include_unpublished),
                          {**viewer_params(user, now), "slug": slug}).first()
    if row is None:
        return None
    course = row.Course
    modules = [(module, read_id is not None) for module, read_id in session.execute(
        _MODULES, {"viewer_id": user.id, "course_id": course.id})]
    offerings = next_offerings(session, user, [course.id], now=now, limit=None)
    attach_sessions(session, offerings)
    return CoursePage(course=course, mandatory=row.mandatory is not None, modules=modules,
                      offerings=offerings)


_SESSIONS = (
    sa.select(CourseSession)
    .where(CourseSession.offering_id.in_(sa.bindparam("offering_ids", expanding=True)))
    .order_by(CourseSession.starts_at, CourseSession.id)
)


def attach_sessions(session: Session, rows: list[OfferingRow]) -> None:
    """Every listed offering's sessions, in one statement."""
    if not rows:
        return
    by_id = {row.offering.id: row for row in rows}
    for item in session.scalars(_SESSIONS, {"offering_ids": list(by_id)}):
        by_id[item.offering_id].sessions.append(item)

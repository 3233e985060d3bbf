"""The report queries: aggregates in SQL, tuples out (never an ORM object per row), a fixed
number of statements whatever the size of the organisation.

Every query joins people to the requirements that bind them with the catalogue's one rule
(``app.catalogue.queries.requirement_binds``) and limits them to the units in the reader's
reach (``app.reports.scope.reach_condition``) and the chosen filters. "Completed" means a
``Completion`` that has not expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from app.accounts.models import Unit, User
from app.catalogue.models import Course, CourseKind, Requirement, RequirementGroup
from app.catalogue.queries import requirement_binds
from app.certificates.models import Certificate, Completion
from app.enrolment.models import (
    CourseSession,
    Enrolment,
    EnrolmentStatus,
    Offering,
    OfferingStatus,
)
from app.reports.rules import EXPIRY_WINDOWS
from app.reports.scope import Filters, reach_condition
from app.seminars.models import Attendance, AttendanceStatus
from app.toolbox.models import ITProject

#: The unit a person belongs to (the reach and the unit filters apply to it).
PERSON_UNIT = aliased(Unit, name="person_unit")
_ROOT = aliased(Unit, name="root_unit")
#: The most rows a page lists; the files hold them all.
PAGE_ROWS = 500


# Conditions ----------------------------------------------------------------------------


def people_condition(user: User, filters: Filters, unit=PERSON_UNIT):
    """Active people (no service accounts) in units in reach, narrowed by the filters."""
    conditions = [User.active.is_(True), User.is_service_account.is_(False),
                  User.unit_id == unit.id, reach_condition(user, unit)]
    if filters.organisation_id is not None:
        conditions.append(unit.organisation_id == filters.organisation_id)
    if filters.unit_id is not None:
        root_path = sa.select(_ROOT.path).where(_ROOT.id == filters.unit_id).scalar_subquery()
        conditions.append(unit.path.like(root_path + "%"))
    if filters.level is not None:
        conditions.append(User.leader_level == filters.level)
    return sa.and_(*conditions)


def bindings(user: User, filters: Filters):
    """Every (user_id, unit_id, course_id, group_kind, due_months) where a requirement
    binds a person in reach: a subquery.

    The catalogue's one rule (``requirement_binds``) is applied in two halves that the
    database can run as joins: requirements on a unit subtree are matched against the
    units (a few thousand), then their people; requirements on a leader level or the IT
    project leader role against the people themselves. Matching every person against
    every requirement, subtree test included, costs a hundred times more at 14,000 people.
    """
    columns = (User.id.label("user_id"), User.unit_id.label("unit_id"),
               Requirement.course_id.label("course_id"),
               Requirement.group_kind.label("group_kind"),
               Requirement.due_months.label("due_months"))
    by_unit = (
        sa.select(*columns)
        .select_from(PERSON_UNIT)
        .join(Requirement, requirement_binds(
            Requirement, organisation_id=PERSON_UNIT.organisation_id, leader_level=None,
            project_leader=False, unit_path=PERSON_UNIT.path))
        .join(User, User.unit_id == PERSON_UNIT.id)
        .where(people_condition(user, filters), course_condition(filters))
    )
    by_person = (
        sa.select(*columns)
        .select_from(User)
        .join(PERSON_UNIT, PERSON_UNIT.id == User.unit_id)
        .join(Requirement, requirement_binds(
            Requirement, organisation_id=User.organisation_id, leader_level=User.leader_level,
            project_leader=User.is_project_leader, unit_path=None))
        .where(people_condition(user, filters), course_condition(filters))
    )
    return sa.union_all(by_unit, by_person).subquery("bound")


def course_condition(filters: Filters, course_id=Requirement.course_id):
    if filters.course is None:
        return sa.true()
    return course_id.in_(sa.select(Course.id).where(Course.slug == filters.course))


def valid_completion(user_id, course_id, *, now: datetime, filters: Filters | None = None):
    """The person holds an unexpired completion of the course (completed within the
    filter's dates, when it has any)."""
    conditions = [Completion.user_id == user_id, Completion.course_id == course_id,
                  sa.or_(Completion.expires_at.is_(None), Completion.expires_at > now)]
    if filters is not None and filters.since is not None:
        conditions.append(Completion.completed_at >= filters.since)
    if filters is not None and filters.until is not None:
        conditions.append(Completion.completed_at < filters.until)
    return sa.exists().where(*conditions)


def required_pairs(user: User, filters: Filters):
    """(user_id, unit_id, course_id) once per person and required course: a subquery."""
    bound = bindings(user, filters)
    return (
        sa.select(bound.c.user_id, bound.c.unit_id, bound.c.course_id)
        .distinct()
        .subquery("required")
    )


# Coverage ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageData:
    #: (id, parent_id, name, code, depth, path, people)
    units: list[tuple]
    #: (id, slug, title)
    courses: list[tuple]
    #: (unit_id, course_id, required, completed)
    counts: list[tuple]


def coverage(session: Session, user: User, filters: Filters, *, now: datetime) -> CoverageData:
    """Three statements: the units in reach with their people, the required courses, and
    the per-unit counts of required and completed (rolled up by ``rules.roll_up``)."""
    units = session.execute(units_statement(user, filters)).all()
    if not units:
        return CoverageData([], [], [])
    courses = session.execute(courses_statement(user, filters)).all()
    counts = session.execute(coverage_statement(user, filters, now=now)).all()
    return CoverageData([tuple(u) for u in units], [tuple(c) for c in courses],
                        [tuple(c) for c in counts])


def units_statement(user: User, filters: Filters):
    unit = Unit
    people = (
        sa.select(sa.func.count())
        .select_from(User)
        .where(User.unit_id == unit.id, User.active.is_(True),
               User.is_service_account.is_(False),
               *([User.leader_level == filters.level] if filters.level else []))
        .scalar_subquery()
    )
    conditions = [reach_condition(user, unit), unit.active.is_(True)]
    if filters.organisation_id is not None:
        conditions.append(unit.organisation_id == filters.organisation_id)
    if filters.unit_id is not None:
        root_path = sa.select(_ROOT.path).where(_ROOT.id == filters.unit_id).scalar_subquery()
        conditions.append(unit.path.like(root_path + "%"))
    return (
        sa.select(unit.id, unit.parent_id, unit.name, unit.code, unit.depth, unit.path,
                  people.label("people"))
        .where(*conditions)
        .order_by(unit.path)
    )


def courses_statement(user: User, filters: Filters):
    """Courses an active requirement of an organisation in reach makes mandatory."""
    orgs = sa.select(PERSON_UNIT.organisation_id).where(reach_condition(user, PERSON_UNIT))
    if filters.organisation_id is not None:
        orgs = orgs.where(PERSON_UNIT.organisation_id == filters.organisation_id)
    required = sa.select(Requirement.course_id).where(
        Requirement.active.is_(True), Requirement.organisation_id.in_(orgs),
        course_condition(filters))
    return (
        sa.select(Course.id, Course.slug, Course.title)
        .where(Course.id.in_(required))
        .order_by(Course.title, Course.id)
    )


def coverage_statement(user: User, filters: Filters, *, now: datetime):
    pairs = required_pairs(user, filters)
    done = valid_completion(pairs.c.user_id, pairs.c.course_id, now=now, filters=filters)
    return (
        sa.select(pairs.c.unit_id, pairs.c.course_id, sa.func.count().label("required"),
                  sa.func.sum(sa.case((done, 1), else_=0)).label("completed"))
        .group_by(pairs.c.unit_id, pairs.c.course_id)
    )


def bare_coverage_statement(user: User, filters: Filters, *, now: datetime):
    """The benchmark's baseline (design.md §9, Q2): the bare aggregate over the same rows,
    people × required courses joined to their completions, grouped by unit and course
    (no units, no course titles, no roll-up)."""
    pairs = required_pairs(user, filters)
    done = (sa.select(Completion.user_id, Completion.course_id)
            .where(sa.or_(Completion.expires_at.is_(None), Completion.expires_at > now))
            .distinct().subquery("done"))
    return (sa.select(pairs.c.unit_id, pairs.c.course_id, sa.func.count(),
                      sa.func.count(done.c.user_id))
            .outerjoin(done, sa.and_(done.c.user_id == pairs.c.user_id,
                                     done.c.course_id == pairs.c.course_id))
            .group_by(pairs.c.unit_id, pairs.c.course_id))


# People behind a number ----------------------------------------------------------------


def people_behind(session: Session, user: User, filters: Filters, *, course_id: int,
                  now: datetime, status: str | None = None, limit: int | None = PAGE_ROWS):
    """(user_id, name, email, leader_level, unit name, completed_at, expires_at) of the
    people a course is required of, with their latest valid completion (NULL: missing).
    ``status``: "completed", "missing" or None (both). One statement."""
    required = required_pairs(user, filters)
    latest = (
        sa.select(Completion.user_id, sa.func.max(Completion.completed_at).label("completed_at"),
                  sa.func.max(Completion.expires_at).label("expires_at"))
        .where(Completion.course_id == course_id,
               sa.or_(Completion.expires_at.is_(None), Completion.expires_at > now),
               *([Completion.completed_at >= filters.since] if filters.since else []),
               *([Completion.completed_at < filters.until] if filters.until else []))
        .group_by(Completion.user_id)
        .subquery("latest")
    )
    stmt = (
        sa.select(User.id, User.name, User.email, User.leader_level, PERSON_UNIT.name,
                  latest.c.completed_at, latest.c.expires_at)
        .select_from(User)
        .join(PERSON_UNIT, PERSON_UNIT.id == User.unit_id)
        .outerjoin(latest, latest.c.user_id == User.id)
        .where(people_condition(user, filters),
               User.id.in_(sa.select(required.c.user_id)
                           .where(required.c.course_id == course_id)))
        .order_by(PERSON_UNIT.path, User.name, User.id)
    )
    if status == "completed":
        stmt = stmt.where(latest.c.user_id.is_not(None))
    elif status == "missing":
        stmt = stmt.where(latest.c.user_id.is_(None))
    if limit is not None:
        stmt = stmt.limit(limit)
    return session.execute(stmt).all()


# Gaps ----------------------------------------------------------------------------------


#: A seat taken or asked for: the person need not be reminded of the course.
SIGNED_UP = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED, EnrolmentStatus.REQUESTED)


def missing_statement(user: User, filters: Filters, *, now: datetime):
    """(user_id, course_id, due_leader, due_other) for every person in reach and course
    required of them that they hold no valid completion of; the shortest due months of
    the leader-level requirements and of the others (-1: no due time)."""
    bound = bindings(user, filters)
    is_leader = bound.c.group_kind == RequirementGroup.LEADER_LEVEL
    months = sa.func.coalesce(bound.c.due_months, -1)
    return (
        sa.select(bound.c.user_id, bound.c.course_id,
                  sa.func.min(sa.case((is_leader, months))).label("due_leader"),
                  sa.func.min(sa.case((sa.not_(is_leader), months))).label("due_other"))
        .where(sa.not_(valid_completion(bound.c.user_id, bound.c.course_id, now=now)))
        .group_by(bound.c.user_id, bound.c.course_id)
    )


def gaps_statement(user: User, filters: Filters, *, now: datetime, limit: int | None = None,
                   person_id: int | None = None, course_id: int | None = None):
    """Who lacks which mandatory course: (id, name, email, unit_name, course_id, title,
    leader_since, unit_since, due_leader, due_other, last_expired, next_offering_id,
    signed_offering_id, signed_status), one row per person and course, by unit and name.
    ``signed_*``: the person's own coming offering of the course they are enrolled in,
    waitlisted for or awaiting approval for, so nobody is reminded of a course they have a
    seat in. The page is cut before the last expiry and the offerings are looked up, so a
    limit also limits that work."""
    missing = missing_statement(user, filters, now=now).subquery("missing")
    page = (
        sa.select(missing.c.user_id, missing.c.course_id, missing.c.due_leader,
                  missing.c.due_other, User.name, User.email, User.leader_since,
                  User.unit_since, User.organisation_id, PERSON_UNIT.name.label("unit_name"),
                  PERSON_UNIT.path.label("unit_path"))
        .select_from(missing)
        .join(User, User.id == missing.c.user_id)
        .join(PERSON_UNIT, PERSON_UNIT.id == User.unit_id)
        .order_by(PERSON_UNIT.path, User.name, User.id, missing.c.course_id)
    )
    if person_id is not None:
        page = page.where(missing.c.user_id == person_id)
    if course_id is not None:
        page = page.where(missing.c.course_id == course_id)
    if limit is not None:
        page = page.limit(limit)
    page = page.subquery("page")
    # The expiry of the person's latest completion (through the unique index on user,
    # course and number; max(expires_at) would walk the course's expiry index instead).
    last_expired = (
        sa.select(Completion.expires_at)
        .where(Completion.user_id == page.c.user_id, Completion.course_id == page.c.course_id)
        .order_by(Completion.number.desc())
        .limit(1)
        .scalar_subquery()
    )
    next_offering = (
        sa.select(Offering.id)
        .where(Offering.course_id == page.c.course_id,
               Offering.status == OfferingStatus.PUBLISHED,
               Offering.starts_at > now,
               sa.or_(Offering.capacity.is_(None), Offering.taken < Offering.capacity),
               sa.or_(Offering.enrol_closes_at.is_(None), Offering.enrol_closes_at > now),
               sa.or_(Offering.organisation_id == page.c.organisation_id,
                      Offering.open_to_partners.is_(True)))
        .order_by(Offering.starts_at, Offering.id)
        .limit(1)
        .scalar_subquery()
    )
    signed = (
        sa.select(Offering.id, Enrolment.status)
        .join(Enrolment, Enrolment.offering_id == Offering.id)
        .where(Enrolment.user_id == page.c.user_id, Offering.course_id == page.c.course_id,
               Enrolment.status.in_(SIGNED_UP), Offering.status == OfferingStatus.PUBLISHED,
               sa.or_(Offering.ends_at >= now,
                      sa.and_(Offering.ends_at.is_(None),
                              sa.or_(Offering.starts_at.is_(None), Offering.starts_at > now))))
        .order_by(Offering.starts_at, Offering.id)
        .limit(1)
    )
    return (
        sa.select(page.c.user_id.label("id"), page.c.name, page.c.email, page.c.unit_name,
                  Course.id.label("course_id"), Course.title, page.c.leader_since,
                  page.c.unit_since, page.c.due_leader, page.c.due_other,
                  last_expired.label("last_expired"), next_offering.label("next_offering_id"),
                  signed.with_only_columns(Offering.id).scalar_subquery()
                  .label("signed_offering_id"),
                  signed.with_only_columns(Enrolment.status).scalar_subquery()
                  .label("signed_status"))
        .select_from(page)
        .join(Course, Course.id == page.c.course_id)
        .order_by(page.c.unit_path, page.c.name, page.c.user_id, Course.title)
    )


def gaps(session: Session, user: User, filters: Filters, *, now: datetime,
         limit: int | None = PAGE_ROWS) -> tuple[list, dict[int, tuple]]:
    """Two statements: the gaps, and the offerings they point to (the next one with a free
    seat, the one the person signed up for): id -> (id, title, starts_at, free or None)."""
    rows = session.execute(gaps_statement(user, filters, now=now, limit=limit)).all()
    ids = sorted({i for r in rows for i in (r.next_offering_id, r.signed_offering_id)
                  if i is not None})
    offerings = {}
    if ids:
        free = sa.case((Offering.capacity.is_(None), None),
                       else_=Offering.capacity - Offering.taken)
        offerings = {
            row[0]: tuple(row) for row in session.execute(
                sa.select(Offering.id, Offering.title, Offering.starts_at, free)
                .where(Offering.id.in_(ids)))
        }
    return rows, offerings


# Expiry --------------------------------------------------------------------------------


def expiry_statement(user: User, filters: Filters, *, now: datetime):
    """Each person's latest completion per course that has expired or expires within the
    longest window: (user_id, name, email, unit_name, course title, completed_at,
    expires_at, certificate serial)."""
    newer = aliased(Completion, name="newer")
    horizon = now + timedelta(days=max(EXPIRY_WINDOWS))
    return (
        sa.select(User.id, User.name, User.email, PERSON_UNIT.name.label("unit_name"),
                  Course.title, Completion.completed_at, Completion.expires_at,
                  Certificate.serial)
        .select_from(Completion)
        .join(User, User.id == Completion.user_id)
        .join(PERSON_UNIT, PERSON_UNIT.id == User.unit_id)
        .join(Course, Course.id == Completion.course_id)
        .outerjoin(Certificate, sa.and_(Certificate.completion_id == Completion.id,
                                        Certificate.revoked_at.is_(None)))
        .where(people_condition(user, filters), course_condition(filters, Completion.course_id),
               Completion.expires_at.is_not(None), Completion.expires_at <= horizon,
               sa.not_(sa.exists().where(newer.user_id == Completion.user_id,
                                         newer.course_id == Completion.course_id,
                                         newer.completed_at > Completion.completed_at)))
        .order_by(Completion.expires_at, User.name, User.id)
    )


# Methodology ---------------------------------------------------------------------------


def methodology_statement(user: User, filters: Filters):
    """IT project leaders, and leaders and owners of registered IT projects, with the
    number of projects they lead or own and when they last attended a project-leader
    gathering (a seminar offering's session, present or late): (user_id, name, email,
    unit_name, is_project_leader, projects, last_attended)."""
    projects = (
        sa.select(sa.func.count())
        .where(sa.or_(ITProject.leader_id == User.id, ITProject.owner_id == User.id))
        .scalar_subquery()
    )
    attended = (
        sa.select(sa.func.max(CourseSession.starts_at))
        .select_from(Attendance)
        .join(CourseSession, CourseSession.id == Attendance.session_id)
        .join(Offering, Offering.id == CourseSession.offering_id)
        .join(Course, Course.id == Offering.course_id)
        .where(Attendance.user_id == User.id, Course.kind == CourseKind.SEMINAR,
               Attendance.status.in_((AttendanceStatus.PRESENT, AttendanceStatus.LATE)))
        .scalar_subquery()
    )
    involved = sa.or_(
        User.is_project_leader.is_(True),
        sa.exists().where(sa.or_(ITProject.leader_id == User.id, ITProject.owner_id == User.id)),
    )
    return (
        sa.select(User.id, User.name, User.email, PERSON_UNIT.name.label("unit_name"),
                  User.is_project_leader, projects.label("projects"),
                  attended.label("last_attended"))
        .select_from(User)
        .join(PERSON_UNIT, PERSON_UNIT.id == User.unit_id)
        .where(people_condition(user, filters), involved)
        .order_by(attended.is_not(None), PERSON_UNIT.path, User.name, User.id)
    )


# Trend ---------------------------------------------------------------------------------


def month_of(column, starts: list[tuple[str, datetime]]):
    """"YYYY-MM" of the Oslo month a UTC timestamp falls in, for the months whose first
    instants (Oslo midnight of the 1st, in UTC) are ``starts``, oldest first; NULL before
    the first. A CASE over the boundaries is exact across daylight saving time on every
    database, SQLite included, which has no time zones."""
    return sa.case(*((column >= start, month) for month, start in reversed(starts)),
                   else_=sa.null())


def trend_statement(user: User, filters: Filters, *, starts: list[tuple[str, datetime]]):
    """Completions per course and Oslo month since the first of ``starts`` by the people in
    reach: (course_id, title, month, count)."""
    # The month is computed in a subquery and grouped on outside: PostgreSQL would not see
    # the CASE in GROUP BY as the one in SELECT, each having its own bound parameters.
    dated = (
        sa.select(Completion.course_id,
                  month_of(Completion.completed_at, starts).label("month"))
        .join(User, User.id == Completion.user_id)
        .join(PERSON_UNIT, PERSON_UNIT.id == User.unit_id)
        .where(people_condition(user, filters), course_condition(filters, Completion.course_id),
               Completion.completed_at >= starts[0][1])
        .subquery("dated")
    )
    return (
        sa.select(dated.c.course_id, Course.title, dated.c.month, sa.func.count())
        .join(Course, Course.id == dated.c.course_id)
        .group_by(dated.c.course_id, Course.title, dated.c.month)
    )


# The landing page's key figures --------------------------------------------------------


def summary_statement(user: User, filters: Filters, *, now: datetime):
    """One row: (gaps, people with gaps, expired, expiring within 30 days, in 31–90 and in
    91–180 days, IT project people, of whom attended a gathering). Each of the three
    reports behind it is read once, its figures counted in the same pass (as scalar
    subqueries each count was a scan of its own: the gaps twice, the expiry four times)."""
    gaps_rows = missing_statement(user, filters, now=now).subquery()
    expiring = expiry_statement(user, filters, now=now).order_by(None).subquery()
    method = methodology_statement(user, filters).order_by(None).subquery()

    def number(column):
        return sa.func.coalesce(column, 0)

    def within(*conditions):
        return number(sa.func.sum(sa.case((sa.and_(*conditions), 1), else_=0)))

    bounds = [0, *EXPIRY_WINDOWS]
    gaps = sa.select(sa.func.count().label("gaps"),
                     sa.func.count(sa.distinct(gaps_rows.c.user_id)).label("people")
                     ).select_from(gaps_rows).subquery("gap_figures")
    expiry = sa.select(
        within(expiring.c.expires_at <= now).label("expired"),
        *[within(expiring.c.expires_at > now + timedelta(days=low),
                 expiring.c.expires_at <= now + timedelta(days=high)).label(f"within_{high}")
          for low, high in zip(bounds, bounds[1:], strict=False)],
    ).select_from(expiring).subquery("expiry_figures")
    methodology = sa.select(sa.func.count().label("people"),
                            sa.func.count(method.c.last_attended).label("attended")
                            ).select_from(method).subquery("methodology_figures")
    return sa.select(gaps.c.gaps, gaps.c.people, *expiry.c,
                     methodology.c.people, methodology.c.attended
                     ).select_from(gaps).join(expiry, sa.true()).join(methodology, sa.true())


# Every person and required course (the files' big table) -------------------------------


def status_statement(user: User, filters: Filters, *, now: datetime):
    """One row per person and required course, with their latest valid completion:
    (employee_number, name, email, unit name, leader_level, course title, completed_at,
    expires_at). For files: executed with ``yield_per``, tuples only."""
    pairs = required_pairs(user, filters)
    latest = (
        sa.select(Completion.user_id, Completion.course_id,
                  sa.func.max(Completion.completed_at).label("completed_at"),
                  sa.func.max(Completion.expires_at).label("expires_at"))
        .where(sa.or_(Completion.expires_at.is_(None), Completion.expires_at > now),
               *([Completion.completed_at >= filters.since] if filters.since else []),
               *([Completion.completed_at < filters.until] if filters.until else []))
        .group_by(Completion.user_id, Completion.course_id)
        .subquery("latest")
    )
    return (
        sa.select(User.employee_number, User.name, User.email, PERSON_UNIT.name,
                  User.leader_level, Course.title, latest.c.completed_at, latest.c.expires_at)
        .select_from(pairs)
        .join(User, User.id == pairs.c.user_id)
        .join(PERSON_UNIT, PERSON_UNIT.id == User.unit_id)
        .join(Course, Course.id == pairs.c.course_id)
        .outerjoin(latest, sa.and_(latest.c.user_id == pairs.c.user_id,
                                   latest.c.course_id == pairs.c.course_id))
        .order_by(PERSON_UNIT.path, User.name, User.id, Course.title)
    )

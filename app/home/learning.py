"""The person's own learning on the home page: enrolments, next sessions, progress per
course and what is recommended for them. Four statements whatever the data size.

Progress counts the modules read, the mandatory sessions attended (present or late) and
the course's quiz once passed; a completion in force shows the course as completed. A course
is recommended until the person holds a completion that is not yet due for renewal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.catalogue.models import Course, Module, ModuleRead, Requirement, RequirementGroup
from app.catalogue.queries import (
    NOW,
    for_me_column,
    requirement_applies,
    viewer,
    viewer_params,
    viewer_shape,
    visible_course,
)
from app.catalogue.rules import due_date
from app.certificates.models import Completion
from app.certificates.services import RENEWAL_WINDOW
from app.enrolment.models import CourseSession, Enrolment, EnrolmentStatus, Offering
from app.enrolment.seats import waitlist_position_column
from app.quizzes.models import Attempt, Quiz
from app.seminars.models import Attendance, AttendanceStatus

S = EnrolmentStatus
ACTIVE = (S.REQUESTED, S.ENROLLED, S.WAITLISTED)
#: Recently declined requests stay on the home page this long, so the answer is seen.
SHOW_DECLINED = timedelta(days=30)
RECOMMENDED = 6
#: The home page shows no audiences; do not let Course's eager loader fetch them.
NO_AUDIENCES = sa.orm.lazyload(Course.audiences)


@dataclass
class MyEnrolment:
    enrolment: Enrolment
    offering: Offering
    course: Course
    position: int | None


# The statements below are built once (their construction costs more than running them)
# and bound to the person and the time on every execution.
_ME = sa.bindparam("viewer_id")
_DECLINED_SINCE = sa.bindparam("declined_since", type_=Enrolment.updated_at.type)

_MY_ENROLMENTS = (
    sa.select(Enrolment, Offering, Course, waitlist_position_column())
    .join(Offering, Offering.id == Enrolment.offering_id)
    .join(Course, Course.id == Offering.course_id)
    .where(
        Enrolment.user_id == _ME,
        sa.or_(Offering.ends_at.is_(None), Offering.ends_at >= NOW),
        sa.or_(Enrolment.status.in_(ACTIVE),
               sa.and_(Enrolment.status == S.DECLINED, Enrolment.updated_at >= _DECLINED_SINCE)),
    )
    .order_by(Offering.starts_at.is_(None), Offering.starts_at, Enrolment.id)
    .options(NO_AUDIENCES)
)


def my_enrolments(session: Session, user: User, now: datetime) -> list[MyEnrolment]:
    rows = session.execute(_MY_ENROLMENTS, {"viewer_id": user.id, "now": now,
                                            "declined_since": now - SHOW_DECLINED}).all()
    return [MyEnrolment(e, o, c, p) for e, o, c, p in rows]


_NEXT_SESSIONS = (
    sa.select(CourseSession, Offering, Course)
    .join(Offering, Offering.id == CourseSession.offering_id)
    .join(Course, Course.id == Offering.course_id)
    .join(Enrolment, sa.and_(Enrolment.offering_id == Offering.id, Enrolment.user_id == _ME))
    .where(Enrolment.status == S.ENROLLED, CourseSession.ends_at >= NOW)
    .order_by(CourseSession.starts_at, CourseSession.id)
    .limit(5)
    .options(NO_AUDIENCES)
)


def next_sessions(session: Session, user: User, now: datetime):
    """(session, offering, course) of the next five sessions the person has a seat for."""
    return session.execute(_NEXT_SESSIONS, {"viewer_id": user.id, "now": now}).all()


@dataclass
class Progress:
    course: Course
    modules_read: int
    modules_total: int
    sessions_attended: int
    sessions_total: int
    has_quiz: bool = False
    quiz_passed: bool = False
    #: A completion in force: the course shows as done whatever the counts say (HR may
    #: have registered it, or the rule needed less than everything).
    completed: bool = False

    @property
    def done(self) -> int:
        return self.modules_read + self.sessions_attended + int(self.quiz_passed)

    @property
    def total(self) -> int:
        return self.modules_total + self.sessions_total + int(self.has_quiz)

    @property
    def percent(self) -> int:
        if self.completed:
            return 100
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class Recommendation:
    course: Course
    mandatory: bool
    due: date | None

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today


def _count(select_from, *where):
    return sa.select(sa.func.count()).select_from(select_from).where(*where).scalar_subquery()


def _min_due(user, groups):
    return (
        sa.select(sa.func.min(sa.func.coalesce(Requirement.due_months, -1)))
        .where(Requirement.course_id == Course.id, Requirement.group_kind.in_(groups),
               requirement_applies(user))
        .scalar_subquery()
    )


_RENEWAL_FROM = sa.bindparam("renewal_from", type_=Completion.expires_at.type)


def progress_and_recommendations(session: Session, user: User, now: datetime
                                 ) -> tuple[list[Progress], list[Recommendation]]:
    """One statement over the courses the person takes part in (progress) and the courses
    meant for or required of them that they are not yet signed up for and have not
    completed, or whose completion is due for renewal (recommended)."""
    params = {**viewer_params(user, now), "renewal_from": now + RENEWAL_WINDOW}
    rows = session.execute(_progress_statement(viewer_shape(user)), params).all()
    progress, recommended = [], []
    for row in rows:
        if row.takes_part:
            progress.append(Progress(row.Course, row.modules_read, row.modules_total,
                                     row.sessions_attended, row.sessions_total,
                                     has_quiz=bool(row.quiz_total),
                                     quiz_passed=bool(row.quiz_passed),
                                     completed=bool(row.completed)))
        if row.settled:
            continue
        if not row.signed_up and (row.for_me or row.due_leader is not None
                                  or row.due_other is not None):
            recommended.append(_recommendation(user, row))
    recommended.sort(key=lambda r: (not r.mandatory, r.due or date.max, r.course.title))
    return progress, recommended[:RECOMMENDED]


@lru_cache(maxsize=64)
def _progress_statement(shape):
    user = viewer(shape)
    seated = (S.ENROLLED, S.NO_SHOW)
    my_offering = sa.and_(Enrolment.offering_id == Offering.id, Enrolment.user_id == user.id)
    my_attempt = sa.and_(Attempt.quiz_id == Quiz.id, Quiz.course_id == Course.id,
                         Attempt.user_id == user.id)
    # The courses the person takes part in, found once for the statement (a handful of
    # rows) rather than by three correlated EXISTS on each course.
    my_courses = sa.union(
        sa.select(Offering.course_id).join(Enrolment, my_offering)
        .where(Enrolment.status.in_(seated)),
        sa.select(Module.course_id).join(ModuleRead, ModuleRead.module_id == Module.id)
        .where(ModuleRead.user_id == user.id),
        sa.select(Quiz.course_id).join(Attempt, Attempt.quiz_id == Quiz.id)
        .where(Attempt.user_id == user.id),
    ).cte("my_courses")
    takes_part = Course.id.in_(sa.select(my_courses.c.course_id))
    my_completion = sa.and_(Completion.user_id == user.id, Completion.course_id == Course.id)
    # In force now: shown as completed. In force beyond the renewal window: nothing to do.
    completed = sa.exists().where(my_completion, sa.or_(Completion.expires_at.is_(None),
                                                        Completion.expires_at > NOW))
    settled = sa.exists().where(my_completion, sa.or_(Completion.expires_at.is_(None),
                                                      Completion.expires_at > _RENEWAL_FROM))
    signed_up = sa.exists().where(Offering.course_id == Course.id, my_offering,
                                  Enrolment.status.in_(ACTIVE))
    due_leader = _min_due(user, [RequirementGroup.LEADER_LEVEL])
    due_other = _min_due(user, [RequirementGroup.UNIT, RequirementGroup.PROJECT_LEADER])
    for_me = for_me_column(user)
    # The sessions counted are those of the person's latest offering of the course: who
    # took a course last year and is enrolled again counts this year's sessions.
    # The subqueries below sit two levels inside the outer statement, so they name Course as
    # correlated explicitly (auto-correlation only reaches the enclosing level).
    latest_offering = (
        sa.select(Offering.id)
        .join(Enrolment, my_offering)
        .where(Offering.course_id == Course.id, Enrolment.status.in_(seated))
        .order_by(Offering.starts_at.desc().nulls_last(), Offering.id.desc())
        .limit(1)
        .correlate(Course)
        .scalar_subquery()
    )
    my_sessions = (
        sa.select(CourseSession.id)
        .where(CourseSession.offering_id == latest_offering, CourseSession.mandatory.is_(True))
        .correlate(Course)
    )
    # The progress columns matter only for the courses the person takes part in (a few of
    # the forty or so rows); CASE runs their subqueries only for those.
    def progress(column):
        return sa.case((takes_part, column), else_=None)

    return (
        sa.select(
            Course,
            takes_part.label("takes_part"),
            signed_up.label("signed_up"),
            for_me.label("for_me"),
            due_leader.label("due_leader"),
            due_other.label("due_other"),
            completed.label("completed"),
            settled.label("settled"),
            progress(_count(Quiz, Quiz.course_id == Course.id)).label("quiz_total"),
            progress(sa.exists().where(my_attempt, Attempt.passed.is_(True))
                     ).label("quiz_passed"),
            progress(_count(Module, Module.course_id == Course.id)).label("modules_total"),
            progress(_count(ModuleRead, ModuleRead.user_id == user.id,
                            ModuleRead.module_id.in_(sa.select(Module.id)
                                                     .where(Module.course_id == Course.id)
                                                     .correlate(Course))
                            )).label("modules_read"),
            progress(_count(CourseSession, CourseSession.id.in_(my_sessions))
                     ).label("sessions_total"),
            progress(_count(Attendance, Attendance.user_id == user.id,
                            Attendance.session_id.in_(my_sessions),
                            Attendance.status.in_((AttendanceStatus.PRESENT,
                                                   AttendanceStatus.LATE))
                            )).label("sessions_attended"),
        )
        .where(sa.or_(takes_part,
                      sa.and_(visible_course(user), sa.not_(signed_up), sa.not_(settled),
                              sa.or_(for_me, due_leader.is_not(None),
                                     due_other.is_not(None)))))
        .order_by(Course.title, Course.id)
        .options(NO_AUDIENCES)
    )


def _recommendation(user: User, row) -> Recommendation:
    mandatory = row.due_leader is not None or row.due_other is not None
    dates = []
    for group, months in ((RequirementGroup.LEADER_LEVEL, row.due_leader),
                          (RequirementGroup.UNIT, row.due_other)):
        if months is not None and months >= 0:
            due = due_date(group_kind=group, due_months=months, leader_since=user.leader_since,
                           unit_since=user.unit_since)
            if due is not None:
                dates.append(due)
    return Recommendation(course=row.Course, mandatory=mandatory,
                          due=min(dates) if dates else None)

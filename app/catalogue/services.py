"""Changes to courses and modules (organisers, admins and editors of the owning
organisation), and a participant marking a module as read."""

from __future__ import annotations

import logging
import re
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.accounts.scope import organisation_ids
from app.catalogue.models import Audience, Course, CourseAudience, CourseStatus, Module, ModuleRead
from app.errors import ConflictError, DomainError, NotFoundError
from app.security import audit

log = logging.getLogger(__name__)

MANAGER_ROLES = ("organiser", "admin", "editor")
COURSE_FIELDS = (
    "title", "slug", "kind", "summary", "description", "language", "validity_months",
    "completion_requires_attendance", "completion_attendance_percent",
    "completion_requires_quiz", "completion_requires_modules", "licence",
)
MODULE_FIELDS = ("title", "body", "estimated_minutes")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def manageable_organisations(actor: User) -> set[int]:
    return organisation_ids(actor, *MANAGER_ROLES)


def check_course_manager(actor: User, course: Course) -> None:
    if course.organisation_id not in manageable_organisations(actor):
        raise NotFoundError("course_not_found", _l("Fant ikke kurset."))


def _validate_course(session: Session, values: dict, course: Course | None) -> None:
    slug = values.get("slug")
    if slug is not None:
        if not SLUG_RE.match(slug) or len(slug) > 80:
            raise DomainError("slug_invalid",
                              _l("Bruk små bokstaver a–z, tall og bindestrek, for eksempel "
                                 "«it-i-hverdagen»."), field="slug")
        taken = session.scalar(sa.select(Course.id).where(Course.slug == slug))
        if taken is not None and (course is None or taken != course.id):
            raise ConflictError("slug_taken", _l("Adressen er allerede i bruk av et annet kurs."),
                                field="slug")
    percent = values.get("completion_attendance_percent")
    if percent is not None and not 0 < percent <= 100:
        raise DomainError("percent_range", _l("Oppmøtekravet må være mellom 1 og 100 %."),
                          field="completion_attendance_percent")
    months = values.get("validity_months")
    if months is not None and months <= 0:
        raise DomainError("validity_positive", _l("Gyldigheten må være minst én måned."),
                          field="validity_months")


def _set_audiences(course: Course, audiences) -> None:
    wanted = {Audience(a) for a in audiences}
    course.audiences = [a for a in course.audiences if a.audience in wanted]
    have = {a.audience for a in course.audiences}
    for value in sorted(wanted - have):
        course.audiences.append(CourseAudience(audience=value))


def create_course(session: Session, *, actor: User, organisation_id: int, values: dict,
                  audiences, now: datetime) -> Course:
    if organisation_id not in manageable_organisations(actor):
        raise NotFoundError("organisation_not_found", _l("Fant ikke organisasjonen."))
    values = {k: v for k, v in values.items() if k in COURSE_FIELDS}
    _validate_course(session, values, None)
    course = Course(organisation_id=organisation_id, status=CourseStatus.DRAFT,
                    created_at=now, updated_at=now, **values)
    _set_audiences(course, audiences)
    session.add(course)
    session.flush()
    audit(session, actor=actor, action="course.created", obj=course, slug=course.slug)
    return course


def update_course(session: Session, *, actor: User, course: Course, values: dict, audiences,
                  now: datetime) -> Course:
    check_course_manager(actor, course)
    values = {k: v for k, v in values.items() if k in COURSE_FIELDS}
    _validate_course(session, values, course)
    for key, value in values.items():
        setattr(course, key, value)
    _set_audiences(course, audiences)
    course.updated_at = now
    session.flush()
    audit(session, actor=actor, action="course.updated", obj=course, fields=sorted(values))
    return course


def set_course_status(session: Session, *, actor: User, course: Course, status: CourseStatus,
                      now: datetime) -> None:
    check_course_manager(actor, course)
    course.status = CourseStatus(status)
    course.updated_at = now
    session.flush()
    audit(session, actor=actor, action=f"course.{course.status}", obj=course)


# Modules ------------------------------------------------------------------------------


def add_module(session: Session, *, actor: User, course: Course, values: dict,
               now: datetime) -> Module:
    check_course_manager(actor, course)
    last = session.scalar(sa.select(sa.func.max(Module.position))
                          .where(Module.course_id == course.id)) or 0
    values = {k: v for k, v in values.items() if k in MODULE_FIELDS}
    module = Module(course=course, position=last + 1, **values)
    session.add(module)
    course.updated_at = now
    session.flush()
    audit(session, actor=actor, action="module.created", obj=module, course_id=course.id)
    return module


def update_module(session: Session, *, actor: User, module: Module, values: dict,
                  now: datetime) -> Module:
    check_course_manager(actor, module.course)
    for key, value in values.items():
        if key in MODULE_FIELDS:
            setattr(module, key, value)
    module.course.updated_at = now
    session.flush()
    audit(session, actor=actor, action="module.updated", obj=module)
    return module


def move_module(session: Session, *, actor: User, module: Module, direction: int,
                now: datetime) -> None:
    """Swap the module with its neighbour above (-1) or below (+1)."""
    check_course_manager(actor, module.course)
    neighbour = session.scalar(
        sa.select(Module).where(Module.course_id == module.course_id,
                                Module.position == module.position + direction)
    )
    if neighbour is None:
        return
    # (course_id, position) is unique: park one module outside the range while swapping.
    old = module.position
    module.position = -old
    session.flush()
    neighbour.position, module.position = old, old + direction
    session.flush()
    audit(session, actor=actor, action="module.moved", obj=module, position=module.position)


def delete_module(session: Session, *, actor: User, module: Module, now: datetime) -> None:
    course = module.course
    check_course_manager(actor, course)
    position = module.position
    audit(session, actor=actor, action="module.deleted", obj=module, course_id=course.id)
    session.delete(module)
    session.flush()
    # Close the gap one row at a time, upwards, so the unique positions never collide.
    for later in session.scalars(sa.select(Module).where(Module.course_id == course.id,
                                                         Module.position > position)
                                 .order_by(Module.position)):
        later.position -= 1
        session.flush()
    course.updated_at = now


def mark_read(session: Session, *, user: User, module: Module, now: datetime) -> bool:
    """Record that the person read the module; True when it is new. Reading twice, or in
    two tabs at once, leaves one row. Reading the last module completes a course whose
    rule asks for its modules read."""
    exists = session.scalar(sa.select(ModuleRead.id).where(ModuleRead.user_id == user.id,
                                                           ModuleRead.module_id == module.id))
    if exists is not None:
        return False
    try:
        with session.begin_nested():
            session.add(ModuleRead(user_id=user.id, module_id=module.id, read_at=now))
    except sa.exc.IntegrityError:
        return False
    log.info("module read user=%s module=%s", user.id, module.id)
    course = module.course
    if course.completion_requires_modules:
        # Imported here: certificates reads the catalogue's tables.
        from app.certificates.services import check_completion

        check_completion(session, user=user, course=course, now=now, source="modules")
    return True

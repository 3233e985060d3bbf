"""From a package to a course and back.

``apply_package`` writes a version's content into a course (creating the course the first
time) and leaves everything that hangs on the course alone: offerings, enrolments,
attendance, quiz attempts and certificates. Modules are matched by their file name, so a
module that stays keeps its id and everyone's reading progress; quiz questions by their id
in quiz.toml (see ``quiztables``), so attempts and their scores stay valid.

``course_package`` reads a course back into a package; with ``canonical_zip`` that is the
export. Export, import, export gives the same bytes.
"""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.accounts.models import Organisation
from app.catalogue.models import (
    Audience,
    Course,
    CourseAudience,
    CourseKind,
    CourseStatus,
    Module,
    Requirement,
    RequirementGroup,
)
from app.errors import ConflictError, NotFoundError
from app.sharing import package as fmt
from app.sharing.models import CourseAttachment, CourseContent, Package, PackageVersion
from app.sharing.problems import Collector
from app.sharing.programfile import parse_program, program_document
from app.sharing.quizfile import parse_quiz
from app.sharing.quiztables import apply_quiz, quiz_of_course
from app.sharing.storage import BlobStore
from app.sharing.tomlfile import dumps

log = logging.getLogger(__name__)

#: Months to complete a course that an import made mandatory; HR adjusts it afterwards.
DEFAULT_DUE_MONTHS = 12


def course_for(session: Session, *, organisation: Organisation, uid: str,
               slug: str) -> Course | None:
    """The organisation's course for a package: the one that follows it, or a course of
    the same slug made before the package existed (it is adopted)."""
    course = session.scalar(sa.select(Course).where(
        Course.organisation_id == organisation.id, Course.source_package_uid == uid))
    if course is None:
        course = session.scalar(sa.select(Course).where(
            Course.organisation_id == organisation.id, Course.slug == slug,
            Course.source_package_uid.is_(None)))
    return course


def free_slug(session: Session, slug: str, organisation: Organisation) -> str:
    """The package's slug, or (when another course has it) one with the organisation's."""
    taken = set(session.scalars(sa.select(Course.slug).where(Course.slug.like(f"{slug}%"))))
    for candidate in (slug, f"{slug}-{organisation.slug}"):
        if candidate not in taken and len(candidate) <= 80:
            return candidate
    number = 2
    while f"{slug}-{number}" in taken:
        number += 1
    return f"{slug}-{number}"


def _is_older(version: str, than: str | None) -> bool:
    return than is not None and fmt.version_key(version) < fmt.version_key(than)


def _apply_modules(session: Session, course: Course, modules: tuple[fmt.Module, ...]) -> None:
    existing = {m.source_name: m for m in course.modules}
    # (course, position) is unique: park the current rows out of the way first.
    for offset, module in enumerate(course.modules, start=1):
        module.position = -offset
    session.flush()
    wanted = {m.name for m in modules}
    for module in list(course.modules):
        if module.source_name not in wanted:
            course.modules.remove(module)
    session.flush()
    for position, item in enumerate(modules, start=1):
        row = existing.get(item.name)
        if row is None:
            row = Module(course=course, source_name=item.name, position=position,
                         title=item.title, body=item.body)
            session.add(row)
        row.position = position
        row.title = item.title
        row.body = item.body
        row.estimated_minutes = item.minutes
    session.flush()


def _apply_attachments(session: Session, course: Course,
                       attachments: tuple[fmt.Attachment, ...], store: BlobStore) -> None:
    rows = {a.name: a for a in session.scalars(
        sa.select(CourseAttachment).where(CourseAttachment.course_id == course.id))}
    wanted = {a.name for a in attachments}
    for name, row in rows.items():
        if name not in wanted:
            session.delete(row)
    session.flush()
    for position, item in enumerate(attachments, start=1):
        store.put(item.data, prefix="attachments")
        row = rows.get(item.name) or CourseAttachment(course_id=course.id, name=item.name)
        row.position = position
        row.title = item.title
        row.media_type = item.media_type
        row.size = item.size
        row.sha256 = item.sha256
        session.add(row)
    session.flush()


def _prefill_requirements(session: Session, course: Course, groups: tuple[str, ...]) -> None:
    for group in groups:
        project = group == "project_leader"
        session.add(Requirement(
            organisation_id=course.organisation_id, course=course,
            group_kind=RequirementGroup.PROJECT_LEADER if project
            else RequirementGroup.LEADER_LEVEL,
            leader_level=None if project else group, due_months=DEFAULT_DUE_MONTHS))


def _adopt_quiz_text(session: Session, course: Course, package: fmt.Package,
                     now: datetime) -> None:
    """A course imported before quizzes were written to the quiz tables kept its quiz as
    text only: importing its version again writes the tables (once)."""
    content = session.get(CourseContent, course.id)
    if content is None or content.quiz_toml is None:
        return
    apply_quiz(session, course=course, quiz=package.quiz, now=now)
    content.quiz_toml = None
    session.flush()


def apply_package(session: Session, *, course: Course | None, organisation: Organisation,
                  package: fmt.Package, store: BlobStore, now: datetime) -> tuple[Course, str]:
    """Write the package into the organisation's course; "created", "updated" or
    "unchanged". A version older than the course's is refused."""
    manifest = package.manifest
    if course is not None and course.source_version == manifest.version and \
            course.source_package_uid == manifest.uid:
        _adopt_quiz_text(session, course, package, now)
        return course, "unchanged"
    if course is not None and course.source_package_uid == manifest.uid and _is_older(
            manifest.version, course.source_version):
        raise ConflictError(
            "version_older",
            _l("Kurset %(course)s bruker allerede versjon %(current)s; versjon %(version)s er "
               "eldre og tas ikke imot.", course=course.title, current=course.source_version,
               version=manifest.version))
    created = course is None
    if created:
        course = Course(organisation_id=organisation.id, created_at=now,
                        slug=free_slug(session, manifest.slug, organisation),
                        status=CourseStatus.PUBLISHED)
        session.add(course)
    completion = manifest.completion
    course.kind = CourseKind(manifest.kind)
    course.title = manifest.title
    course.summary = manifest.summary
    course.description = manifest.description
    course.language = manifest.language
    course.licence = manifest.licence
    course.validity_months = manifest.validity_months
    course.completion_requires_attendance = completion.attendance
    course.completion_attendance_percent = completion.attendance_percent
    course.completion_requires_quiz = completion.quiz
    course.completion_requires_modules = completion.modules
    course.source_package_uid = manifest.uid
    course.source_version = manifest.version
    course.updated_at = now
    if course.status == CourseStatus.DRAFT:
        course.status = CourseStatus.PUBLISHED
    session.flush()

    wanted = {Audience(a) for a in manifest.audience}
    for row in list(course.audiences):
        if row.audience not in wanted:
            course.audiences.remove(row)
    for audience in wanted - {row.audience for row in course.audiences}:
        course.audiences.append(CourseAudience(audience=audience))
    _apply_modules(session, course, package.modules)
    content = session.get(CourseContent, course.id) or CourseContent(course_id=course.id)
    content.mandatory_for = list(manifest.mandatory_for)
    # The quiz lives in the quiz tables (the column is no longer written).
    content.quiz_toml = None
    content.program_toml = (dumps(program_document(package.program)).decode()
                            if package.program else None)
    session.add(content)
    _apply_attachments(session, course, package.attachments, store)
    apply_quiz(session, course=course, quiz=package.quiz, now=now)
    if created:
        _prefill_requirements(session, course, manifest.mandatory_for)
    session.flush()
    log.info("course %s %s from %s %s", course.slug, "created" if created else "updated",
             manifest.uid, manifest.version)
    return course, "created" if created else "updated"


def course_package(session: Session, course: Course, store: BlobStore, *,
                   version: PackageVersion | None = None, with_quiz: bool = True) -> fmt.Package:
    """The course as a package under the version it follows (never the draft), its quiz
    as the quiz tables hold it now."""
    row = session.scalar(sa.select(Package).where(Package.uid == course.source_package_uid))
    if version is None and row is not None:
        version = next((v for v in row.versions if v.version == course.source_version), None)
    if row is None or version is None:
        raise NotFoundError("course_not_packaged",
                            _l("Kurset %(course)s er ikke publisert som en pakke ennå.",
                               course=course.title))
    publisher = row.publisher
    content = session.get(CourseContent, course.id) or CourseContent(mandatory_for=[])
    collector = Collector()
    quiz = quiz_of_course(session, course, collector) if with_quiz else None
    if with_quiz and quiz is None and content.quiz_toml:
        quiz = parse_quiz(collector, content.quiz_toml.encode())
    program = (parse_program(collector, content.program_toml.encode())
               if content.program_toml else None)
    collector.check()
    attachments = tuple(
        fmt.Attachment(f"vedlegg/{a.name}", a.title, a.media_type, a.sha256,
                       store.read(store.attachment_key(a.sha256)))
        for a in session.scalars(sa.select(CourseAttachment)
                                 .where(CourseAttachment.course_id == course.id)
                                 .order_by(CourseAttachment.position)))
    modules = tuple(fmt.Module(f"moduler/{m.source_name}", m.title, m.estimated_minutes, m.body)
                    for m in course.modules)
    based_on = (fmt.BasedOn(row.forked_from_uid, row.forked_from_version,
                            row.forked_from_publisher)
                if row.forked_from_uid else None)
    manifest = fmt.Manifest(
        uid=row.uid, version=version.version, slug=row.slug, kind=str(course.kind),
        title=course.title, summary=course.summary, description=course.description,
        language=course.language, licence=course.licence or row.licence,
        published=version.published_on, change_note=version.change_note,
        publisher=fmt.Publisher(publisher.slug, publisher.name, str(publisher.kind),
                                publisher.org_number),
        audience=tuple(sorted(course.audience_values, key=fmt.AUDIENCES.index)),
        mandatory_for=tuple(content.mandatory_for or ()),
        validity_months=course.validity_months,
        based_on=based_on,
        completion=fmt.Completion(course.completion_requires_attendance,
                                  course.completion_attendance_percent,
                                  course.completion_requires_quiz,
                                  course.completion_requires_modules),
        modules=tuple(fmt.ModuleRef(m.file, m.title, m.minutes) for m in modules),
        attachments=tuple(fmt.AttachmentRef(a.file, a.title) for a in attachments),
    )
    return fmt.Package(manifest=manifest, modules=modules, quiz=quiz, program=program,
                       attachments=attachments)

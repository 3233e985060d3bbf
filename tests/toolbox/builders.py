"""Builders for the toolbox's tests: templates with files, projects, seminar attendance."""

from __future__ import annotations

import io
import itertools
import zipfile
from datetime import UTC, datetime, timedelta

from app.catalogue.models import Course, CourseKind
from app.enrolment.models import CourseSession, Offering
from app.orm import utcnow
from app.seminars.models import Attendance
from app.toolbox import storage
from app.toolbox.models import (
    Category,
    ITProject,
    MethodologyDocument,
    Network,
    Phase,
    ProjectRegisterSettings,
    ToolboxItem,
)
from app.toolbox.services import add_file

_seq = itertools.count(1)

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def office_file(folder: str = "word/") -> bytes:
    """The smallest zip an Office file check accepts (a docx when folder is word/)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return out.getvalue()


def checked(data: bytes = b"# Mal\n\nInnhold.\n", name: str = "mal.md"):
    return storage.check_upload(data, name, max_bytes=storage.DEFAULT_MAX_BYTES)


def make_item(session, org, storage_root, *, title=None, category=Category.PROJECT_PLAN,
              owner=None, data: bytes | None = None, name="mal.md") -> ToolboxItem:
    n = next(_seq)
    item = ToolboxItem(organisation_id=org.id, slug=f"mal-{n}", title=title or f"Mal {n}",
                       category=category, description="Beskrivelse.", learn_more="",
                       owner_id=getattr(owner, "id", None))
    session.add(item)
    session.flush()
    add_file(session, actor=owner, item=item,
             checked=checked(data or f"# Mal {n}\n".encode(), name),
             change_note="Første versjon.", storage_root=storage_root, now=utcnow())
    session.flush()
    return item


def make_project(session, *, unit, leader, phase=Phase.PLANNING, network=Network.NONE,
                 buys=None, representative=None, owner=None, name=None) -> ITProject:
    project = ITProject(
        organisation_id=unit.organisation_id, unit_id=unit.id,
        name=name or f"Prosjekt {next(_seq)}", purpose="Et formål.", phase=phase,
        leader_id=leader.id, owner_id=getattr(owner, "id", None),
        it_representative_id=getattr(representative, "id", None),
        buys_equipment_or_software=network != Network.NONE if buys is None else buys,
        network=network,
    )
    session.add(project)
    session.flush()
    return project


def attach(session, project, category, *, url="https://arkiv.example/dok",
           status="approved") -> MethodologyDocument:
    document = MethodologyDocument(project_id=project.id, category=category, status=status,
                                   url=url)
    session.add(document)
    session.flush()
    return document


def it_service(session, org, unit) -> ProjectRegisterSettings:
    settings = ProjectRegisterSettings(organisation_id=org.id, it_service_unit_id=unit.id)
    session.add(settings)
    session.flush()
    return settings


def seminar_session(session, org, *, kind=CourseKind.SEMINAR, title="Gevinstrealisering"):
    n = next(_seq)
    course = Course(organisation_id=org.id, slug=f"samling-{n}", title=f"Samling {n}",
                    kind=kind)
    session.add(course)
    session.flush()
    offering = Offering(course_id=course.id, organisation_id=org.id, title="Vår")
    session.add(offering)
    session.flush()
    start = datetime(2027, 3, 4, 9, tzinfo=UTC) + timedelta(days=n)
    course_session = CourseSession(offering_id=offering.id, title=title, starts_at=start,
                                   ends_at=start + timedelta(hours=2))
    session.add(course_session)
    session.flush()
    return course_session


def attended(session, user, course_session, status="present") -> Attendance:
    attendance = Attendance(session_id=course_session.id, user_id=user.id, status=status)
    session.add(attendance)
    session.flush()
    return attendance


def fetch(client, url: str):
    """GET ``url``, read the whole body and close the response (a file download keeps
    its file open until then)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response

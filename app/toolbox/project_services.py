"""State changes of the IT project register: registering and updating projects, the IT
service representative, methodology documents and the IT service's settings.

Every change is checked against the caller's rights in SQL (the same conditions the
pages use), written to the audit log, and flushed, never committed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.accounts.models import Unit, User
from app.accounts.scope import reaches_unit
from app.errors import ConflictError, DomainError, ForbiddenError
from app.security import audit
from app.toolbox import rules, storage
from app.toolbox.labels import NETWORK_IN_TEXT, PHASE_LABELS
from app.toolbox.models import (
    Category,
    DocumentStatus,
    ITProject,
    MethodologyDocument,
    Network,
    Phase,
    ProjectRegisterSettings,
    ToolboxItem,
)
from app.toolbox.queries import (
    GOVERNANCE_ROLES,
    editable_projects_condition,
    governed_projects_condition,
    project_team_condition,
    visible_organisations,
)

log = logging.getLogger(__name__)


@dataclass
class ProjectInput:
    """What a project leader fills in (the representative is the IT service's to set)."""

    name: str
    purpose: str
    unit_id: int | None
    phase: str
    leader_email: str
    owner_email: str | None
    contact_email: str | None
    contact_phone: str | None
    starts_on: date | None
    planned_end_on: date | None
    buys_equipment_or_software: bool
    network: str


def _error(code: str, message, field: str) -> DomainError:
    return DomainError(code, message, field=field, status=422)


def _person(session: Session, organisation_id: int, email: str | None, field: str,
            *, required: bool) -> User | None:
    email = (email or "").strip().lower()
    if not email:
        if required:
            raise _error("required", _l("Dette feltet må fylles ut."), field)
        return None
    person = session.scalar(sa.select(User).where(User.email == email,
                                                  User.organisation_id == organisation_id,
                                                  User.active.is_(True)))
    if person is None:
        raise _error("person_unknown", _l("Fant ingen aktiv person med denne e-postadressen "
                                          "i organisasjonen."), field)
    return person


def _checked(data: ProjectInput) -> ProjectInput:
    name = (data.name or "").strip()
    if not name:
        raise _error("required", _l("Dette feltet må fylles ut."), "name")
    if len(name) > 200:
        raise _error("too_long", _l("Teksten er for lang (høyst %(n)s tegn).", n=200), "name")
    try:
        phase, network = Phase(data.phase), Network(data.network)
    except ValueError:
        raise _error("invalid_choice", _l("Ugyldig valg."), "phase") from None
    if data.starts_on and data.planned_end_on and data.planned_end_on < data.starts_on:
        raise _error("end_before_start", _l("Planlagt slutt kan ikke være før oppstart."),
                     "planned_end_on")
    if network != Network.NONE and not data.buys_equipment_or_software:
        raise _error("network_without_purchase",
                     _l("Nettverk gjelder bare når prosjektet kjøper utstyr eller programvare. "
                        "Kryss av for kjøp, eller velg «Ingen»."), "network")
    return ProjectInput(**{**{f.name: getattr(data, f.name) for f in fields(data)},
                           "name": name, "purpose": (data.purpose or "").strip(),
                           "phase": phase, "network": network,
                           "contact_email": (data.contact_email or "").strip().lower() or None,
                           "contact_phone": (data.contact_phone or "").strip() or None})


def _unit(session: Session, actor: User, unit_id: int | None,
          organisation_id: int | None = None) -> Unit:
    unit = session.get(Unit, unit_id) if unit_id else None
    allowed = {organisation_id} if organisation_id else visible_organisations(actor)
    if unit is None or not unit.active or unit.organisation_id not in allowed:
        raise _error("unit_unknown", _l("Velg en enhet i organisasjonen."), "unit_id")
    return unit


def _representative_blocks(data_or_project, has_representative: bool) -> None:
    if rules.representative_blocks_phase(data_or_project.buys_equipment_or_software,
                                         data_or_project.network, data_or_project.phase,
                                         has_representative):
        raise _error(
            "representative_required",
            _l("Prosjektet kjøper utstyr eller programvare for %(network)s og må ha en "
               "representant fra IT-tjenesten før det kan gå over i fasen «%(phase)s». Be "
               "IT-tjenesten om en representant; til da kan prosjektet være i idé- eller "
               "planleggingsfasen.",
               network=NETWORK_IN_TEXT[str(data_or_project.network)],
               phase=PHASE_LABELS[str(data_or_project.phase)]),
            "phase")


def _may_edit_new(session: Session, actor: User, unit: Unit, leader: User,
                  owner: User | None) -> bool:
    if actor.id in {leader.id, getattr(owner, "id", None)}:
        return True
    if reaches_unit(actor, unit, *GOVERNANCE_ROLES):
        return True
    led = sa.orm.aliased(Unit)
    return bool(session.scalar(sa.select(sa.exists().where(
        led.manager_id == actor.id, sa.literal(unit.path).like(led.path + "%")))))


def _require(session: Session, project: ITProject, condition, error: DomainError) -> None:
    if not session.scalar(sa.select(sa.exists().where(ITProject.id == project.id, condition))):
        raise error


def _cannot_edit() -> ForbiddenError:
    return ForbiddenError("project_forbidden", _l(
        "Bare prosjektleder, prosjekteier, IT-tjenesten og lederne over enheten kan endre "
        "prosjektet."))


def register_project(session: Session, *, actor: User, data: ProjectInput,
                     now: datetime) -> ITProject:
    """Register a project. The registrant must be its leader or owner, lead the unit (or a
    unit above it), or be the IT service."""
    data = _checked(data)
    unit = _unit(session, actor, data.unit_id)
    leader = _person(session, unit.organisation_id, data.leader_email, "leader_email",
                     required=True)
    owner = _person(session, unit.organisation_id, data.owner_email, "owner_email",
                    required=False)
    if not _may_edit_new(session, actor, unit, leader, owner):
        raise ForbiddenError("project_forbidden", _l(
            "Du kan registrere prosjekter der du selv er prosjektleder eller prosjekteier, "
            "eller i enheter du leder."), field="leader_email")
    _representative_blocks(data, has_representative=False)
    project = ITProject(
        organisation_id=unit.organisation_id, unit_id=unit.id, name=data.name,
        purpose=data.purpose, phase=data.phase, leader_id=leader.id,
        owner_id=getattr(owner, "id", None), contact_email=data.contact_email,
        contact_phone=data.contact_phone, starts_on=data.starts_on,
        planned_end_on=data.planned_end_on,
        buys_equipment_or_software=data.buys_equipment_or_software, network=data.network,
        created_by_id=actor.id, created_at=now, updated_at=now,
    )
    session.add(project)
    session.flush()
    audit(session, actor=actor, action="projects.registered", obj=project, name=project.name,
          unit=unit.code, phase=str(project.phase), network=str(project.network))
    return project


def update_project(session: Session, *, actor: User, project: ITProject, data: ProjectInput,
                   expected_version: int | None, now: datetime) -> ITProject:
    _require(session, project, editable_projects_condition(actor), _cannot_edit())
    if expected_version is not None and expected_version != project.version:
        raise ConflictError("project_changed", _l(
            "Noen andre har endret prosjektet mens du redigerte. Last inn siden på nytt og "
            "gjør endringen igjen."))
    data = _checked(data)
    unit = _unit(session, actor, data.unit_id, project.organisation_id)
    leader = _person(session, project.organisation_id, data.leader_email, "leader_email",
                     required=True)
    owner = _person(session, project.organisation_id, data.owner_email, "owner_email",
                    required=False)
    _representative_blocks(data, has_representative=project.it_representative_id is not None)
    new = {
        "name": data.name, "purpose": data.purpose, "unit_id": unit.id, "phase": data.phase,
        "leader_id": leader.id, "owner_id": getattr(owner, "id", None),
        "contact_email": data.contact_email, "contact_phone": data.contact_phone,
        "starts_on": data.starts_on, "planned_end_on": data.planned_end_on,
        "buys_equipment_or_software": data.buys_equipment_or_software,
        "network": data.network,
    }
    changed = {key: str(value) for key, value in new.items()
               if getattr(project, key) != value}
    if changed:
        for key, value in new.items():
            setattr(project, key, value)
        project.version += 1
        project.updated_at = now
        session.flush()
        audit(session, actor=actor, action="projects.updated", obj=project, changed=changed)
    return project


def assign_representative(session: Session, *, actor: User, project: ITProject,
                          representative_id: int | None, now: datetime) -> ITProject:
    """The IT service names (or removes) its representative in the project."""
    _require(session, project, governed_projects_condition(actor), ForbiddenError(
        "project_forbidden", _l("Bare IT-tjenesten kan tildele IT-representant.")))
    representative = None
    if representative_id:
        representative = session.get(User, representative_id)
        if (representative is None or not representative.active
                or representative.organisation_id != project.organisation_id):
            raise _error("person_unknown", _l("Velg en person i organisasjonen."),
                         "it_representative_id")
        settings = session.get(ProjectRegisterSettings, project.organisation_id)
        it_unit = settings.it_service_unit if settings else None
        if it_unit is not None:
            home = session.get(Unit, representative.unit_id) if representative.unit_id else None
            if home is None or not home.path.startswith(it_unit.path):
                raise _error("not_it_service", _l("Representanten må arbeide i %(unit)s.",
                                                  unit=it_unit.name), "it_representative_id")
    elif rules.representative_blocks_phase(project.buys_equipment_or_software, project.network,
                                           project.phase, False):
        raise _error("representative_required", _l(
            "Prosjektet kjøper for et av kommunens nett og er forbi planleggingsfasen; det må "
            "ha en IT-representant. Velg en ny i stedet for å fjerne."), "it_representative_id")
    previous = project.it_representative_id
    project.it_representative_id = getattr(representative, "id", None)
    if previous != project.it_representative_id:
        project.version += 1
        project.updated_at = now
        session.flush()
        audit(session, actor=actor, action="projects.representative_assigned", obj=project,
              previous=previous, representative=project.it_representative_id)
    return project


# Methodology documents -----------------------------------------------------------------


def _url(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(value) > 500:
        raise _error("url_invalid", _l("Skriv en fullstendig lenke som begynner med https://."),
                     "url")
    return value


def _template(session: Session, project: ITProject, item_id: int | None) -> int | None:
    if not item_id:
        return None
    item = session.get(ToolboxItem, item_id)
    if item is None or item.organisation_id != project.organisation_id:
        raise _error("template_unknown", _l("Velg en mal fra verktøykassen."),
                     "toolbox_item_id")
    return item.id


def _attachment_rules(status: DocumentStatus, url: str | None, has_file: bool) -> None:
    if url and has_file:
        raise _error("link_and_file", _l("Legg ved enten en lenke eller en fil, ikke begge."),
                     "url")
    if status != DocumentStatus.PLANNED and not (url or has_file):
        raise _error("attachment_missing", _l(
            "Legg ved dokumentet som lenke eller fil, eller sett status til «Planlagt»."), "url")


def add_document(session: Session, *, actor: User, project: ITProject, category: str,
                 toolbox_item_id: int | None, status: str, url: str | None,
                 file: storage.CheckedFile | None, note: str, storage_root: str | Path,
                 now: datetime) -> MethodologyDocument:
    _require(session, project, project_team_condition(actor), _cannot_edit())
    status, url = DocumentStatus(status), _url(url)
    _attachment_rules(status, url, file is not None)
    document = MethodologyDocument(
        project_id=project.id, category=Category(category),
        toolbox_item_id=_template(session, project, toolbox_item_id), status=status, url=url,
        note=(note or "").strip(), updated_by_id=actor.id, updated_at=now,
    )
    if file is not None:
        _attach_file(document, file, storage_root)
    session.add(document)
    session.flush()
    audit(session, actor=actor, action="projects.document_added", obj=project,
          document=document.id, category=str(document.category), status=str(status))
    return document


def _attach_file(document: MethodologyDocument, file: storage.CheckedFile,
                 storage_root: str | Path) -> None:
    document.storage_key = storage.store(storage_root, "projects", file)
    document.file_name = file.original_name
    document.content_type = file.content_type
    document.size = file.size
    document.url = None


def update_document(session: Session, *, actor: User, document: MethodologyDocument,
                    toolbox_item_id: int | None, status: str, url: str | None,
                    file: storage.CheckedFile | None, note: str, storage_root: str | Path,
                    now: datetime) -> str | None:
    """Change a document. Returns the key of a replaced file, for the caller to remove
    after committing (the file must outlive a rolled-back transaction)."""
    project = document.project
    _require(session, project, project_team_condition(actor), _cannot_edit())
    status, url = DocumentStatus(status), _url(url)
    keeps_file = document.storage_key is not None and not url and file is None
    _attachment_rules(status, url, file is not None or keeps_file)
    obsolete = None
    if file is not None or url:
        obsolete = document.storage_key
        document.storage_key = document.file_name = document.content_type = None
        document.size = None
    document.url = url
    if file is not None:
        _attach_file(document, file, storage_root)
    document.toolbox_item_id = _template(session, project, toolbox_item_id)
    document.status = status
    document.note = (note or "").strip()
    document.updated_by_id = actor.id
    document.updated_at = now
    session.flush()
    audit(session, actor=actor, action="projects.document_updated", obj=project,
          document=document.id, status=str(status), file_replaced=obsolete is not None)
    return obsolete


def remove_document(session: Session, *, actor: User, document: MethodologyDocument,
                    now: datetime) -> str | None:
    project = document.project
    _require(session, project, project_team_condition(actor), _cannot_edit())
    key = document.storage_key
    audit(session, actor=actor, action="projects.document_removed", obj=project,
          document=document.id, category=str(document.category))
    session.delete(document)
    session.flush()
    return key


# The IT service's settings ---------------------------------------------------------------


def save_settings(session: Session, *, actor: User, organisation_id: int,
                  it_service_unit_id: int | None, required: dict[str, list[str]],
                  now: datetime) -> ProjectRegisterSettings:
    """Which unit is the IT service, and which documents each phase requires."""
    if not any(ra.unit_id is None and ra.organisation_id == organisation_id
               and str(ra.role) in GOVERNANCE_ROLES for ra in actor.roles):
        raise ForbiddenError("settings_forbidden", _l(
            "Bare IT-tjenesten med ansvar for hele organisasjonen kan endre reglene."))
    unit = None
    if it_service_unit_id:
        unit = session.get(Unit, it_service_unit_id)
        if unit is None or unit.organisation_id != organisation_id:
            raise _error("unit_unknown", _l("Velg en enhet i organisasjonen."),
                         "it_service_unit_id")
    settings = session.get(ProjectRegisterSettings, organisation_id)
    if settings is None:
        settings = ProjectRegisterSettings(organisation_id=organisation_id)
        session.add(settings)
    settings.it_service_unit_id = getattr(unit, "id", None)
    settings.required_documents = rules.normalise_required(required)
    settings.updated_by_id = actor.id
    settings.updated_at = now
    session.flush()
    audit(session, actor=actor, action="projects.settings_saved",
          organisation=organisation_id, it_service_unit=getattr(unit, "code", None),
          required=settings.required_documents)
    return settings

"""Demo data of the toolbox and the register: the starting templates from
``kurs/verktoykasse/``, the IT service's settings, and a handful of believable IT projects
of Trondheim kommune. Idempotent: a second load adds nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from app.accounts.models import Organisation, Unit, User
from app.catalogue.models import Course, CourseKind
from app.enrolment.models import CourseSession, Offering
from app.toolbox import library
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
from app.toolbox.services import slugify

ORGANISATION = "trondheim"
IT_SERVICE_UNIT = "ORG-IT"
#: Words in a seminar session's title -> the templates reviewed in it.
SESSION_TOPICS = {
    "gevinst": ["gevinstrealiseringsplan"],
    "kost": ["kost-nytte"],
    "nytte": ["kost-nytte"],
    "risiko": ["risikoanalyse"],
    "anskaff": ["anskaffelse"],
    "planlegg": ["prosjektplan", "prosjektmandat"],
    "styring": ["prosjektplan", "statusrapport"],
}

A, D, P = DocumentStatus.APPROVED, DocumentStatus.DRAFT, DocumentStatus.PLANNED

#: name, unit code, phase, network bought for (None: buys nothing; Network.NONE: buys,
#: but for no network), representative (an e-mail, "it"
#: for someone in the IT service, None), starts (days from today), planned end (days),
#: purpose, documents [(category, status)]
PROJECTS = [
    ("Nytt journalsystem i hjemmetjenesten", "HOV-HJL", Phase.ACQUISITION, Network.TK_NETT,
     "arrangor@trondheim.example", -200, 420,
     "Erstatte dagens journalsystem med en løsning der helsefagarbeidere og sykepleiere "
     "dokumenterer hos brukeren på nettbrett, med meldingsutveksling mot fastleger og "
     "St. Olavs hospital.",
     [(Category.MANDATE, A), (Category.PROJECT_PLAN, A), (Category.RISK_ANALYSIS, A),
      (Category.BENEFITS_PLAN, D), (Category.COST_BENEFIT, A), (Category.ACQUISITION, D)]),
    ("Ny læringsplattform for grunnskolen", "OPP", Phase.PLANNING, Network.ELEVNETT, None,
     -60, 540,
     "Én felles læringsplattform for alle grunnskolene, med pålogging via Feide, som "
     "elever og lærere bruker på nettbrett og PC-er på elevnett.",
     [(Category.MANDATE, A), (Category.PROJECT_PLAN, D), (Category.RISK_ANALYSIS, P)]),
    ("Digital søknad om kulturmidler", "KUN-IDR-2", Phase.INTRODUCTION, Network.NONE, None,
     -300, 60,
     "Skytjeneste der lag og foreninger søker om tilskudd med ID-porten, og saksbehandlerne "
     "behandler søknadene uten papir.",
     [(Category.PROJECT_PLAN, A), (Category.RISK_ANALYSIS, A), (Category.BENEFITS_PLAN, A),
      (Category.COST_BENEFIT, A)]),
    ("Sensorer for lekkasjeovervåking i vannledningsnettet", "BYU-KOM-1", Phase.IDEA,
     Network.TK_NETT, None, 30, 700,
     "Utrede trådløse sensorer som varsler lekkasjer tidlig, koblet til driftssentralen.",
     []),
    ("Selvbetjent utlån med RFID", "KUN-BIB", Phase.OPERATION, Network.TK_NETT, "it", -900,
     -120,
     "Automater for utlån og innlevering på alle bibliotekene, slik at de ansatte får mer "
     "tid til veiledning og arrangementer.",
     [(Category.BENEFITS_PLAN, A)]),
    ("Timebestilling på nett for Helsehuset Øya", "HOV-HHO", Phase.CLOSED, Network.TK_NETT,
     "it", -800, -60,
     "Innbyggerne bestiller og avbestiller time til korttids- og rehabiliteringsopphold "
     "på nett.",
     [(Category.BENEFITS_PLAN, A), (Category.CLOSING_REPORT, A),
      (Category.PROJECT_PLAN, A)]),
]


def storage_root() -> str:
    if has_app_context():
        return current_app.config["KURS_STORAGE_DIR"]
    # Called outside an app (a script or test calling load_demo directly): the setting's
    # own default, as the app would use it.
    from config import Config

    return Config.KURS_STORAGE_DIR


def _at(day: date) -> datetime:
    return datetime.combine(day, time(8, 0), tzinfo=UTC)


def load(session: Session, today: date) -> None:
    org = session.scalar(sa.select(Organisation).where(Organisation.slug == ORGANISATION))
    if org is None:
        return
    units = {u.code: u for u in session.scalars(sa.select(Unit)
                                                .where(Unit.organisation_id == org.id))}
    organiser = session.scalar(sa.select(User).where(User.email == "arrangor@trondheim.example"))
    library.import_templates(session, organisation=org, storage_root=storage_root(),
                             now=_at(today), owner=organiser)
    if session.get(ProjectRegisterSettings, org.id) is None and IT_SERVICE_UNIT in units:
        session.add(ProjectRegisterSettings(organisation_id=org.id,
                                            it_service_unit_id=units[IT_SERVICE_UNIT].id,
                                            updated_at=_at(today)))
    _link_sessions(session, org)
    _projects(session, org, units, today)
    session.flush()


def _people_in(session: Session, unit: Unit) -> list[User]:
    return list(session.scalars(
        sa.select(User).join(Unit, User.unit_id == Unit.id)
        .where(Unit.path.like(unit.path + "%"), User.active.is_(True))
        .order_by(User.is_project_leader.desc(), User.employee_number)
    ))


def _projects(session: Session, org: Organisation, units: dict[str, Unit], today: date):
    existing = set(session.scalars(sa.select(ITProject.name)
                                   .where(ITProject.organisation_id == org.id)))
    templates = {i.category: i for i in session.scalars(
        sa.select(ToolboxItem).where(ToolboxItem.organisation_id == org.id))}
    it_people = [p for p in _people_in(session, units[IT_SERVICE_UNIT])
                 if p.email != "admin@trondheim.example"] if IT_SERVICE_UNIT in units else []
    for n, (name, code, phase, network, rep, start, end, purpose, documents) in enumerate(
            PROJECTS):
        if name in existing or code not in units:
            continue
        unit = units[code]
        staff = [p for p in _people_in(session, unit) if p.id != unit.manager_id]
        if not staff:
            continue
        leader = staff[0]
        representative = None
        if rep == "it" and it_people:
            representative = it_people[n % len(it_people)]
        elif rep:
            representative = session.scalar(sa.select(User).where(User.email == rep))
        project = ITProject(
            organisation_id=org.id, unit_id=unit.id, name=name, purpose=purpose, phase=phase,
            leader_id=leader.id, owner_id=unit.manager_id,
            it_representative_id=getattr(representative, "id", None),
            starts_on=today + timedelta(days=start), planned_end_on=today + timedelta(days=end),
            buys_equipment_or_software=network is not None,
            network=network or Network.NONE, created_at=_at(today), updated_at=_at(today),
        )
        session.add(project)
        session.flush()
        slug = slugify(name)
        for category, status in documents:
            template = templates.get(category)
            session.add(MethodologyDocument(
                project_id=project.id, category=category, status=status,
                toolbox_item_id=template.id if template else None,
                url=None if status is P else
                f"https://intranett.trondheim.example/prosjekter/{slug}/{category.value}",
                updated_by_id=leader.id, updated_at=_at(today)))


def _link_sessions(session: Session, org: Organisation) -> None:
    """Link the templates to the sessions of the organisation's seminars that teach them
    (when the seminar demo has made any)."""
    items = {i.slug: i for i in session.scalars(
        sa.select(ToolboxItem).where(ToolboxItem.organisation_id == org.id))}
    sessions = session.scalars(
        sa.select(CourseSession).join(Offering, Offering.id == CourseSession.offering_id)
        .join(Course, Course.id == Offering.course_id)
        .where(Offering.organisation_id == org.id, Course.kind == CourseKind.SEMINAR))
    for course_session in sessions:
        title = course_session.title.lower()
        for word, slugs in SESSION_TOPICS.items():
            for slug in slugs:
                item = items.get(slug)
                if word in title and item is not None and course_session not in item.sessions:
                    item.sessions.append(course_session)

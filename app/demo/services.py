"""Loading the demo: idempotent, so ``flask demo load`` can run again at any time."""

from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts import passwords
from app.accounts.models import (
    LeaderLevel,
    Organisation,
    RoleAssignment,
    Unit,
    User,
)
from app.accounts.units import create_unit
from app.certificates import demo as certificates_demo
from app.demo import people
from app.enrolment import demo as enrolment_demo
from app.evaluation import demo as evaluation_demo
from app.reports import demo as reports_demo
from app.seminars import demo as seminars_demo
from app.sharing import demo as sharing_demo
from app.toolbox import demo as toolbox_demo

TODAY = date(2026, 11, 1)


def _slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().replace("ø", "o").replace("æ", "ae"))
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c in ".-"))


def _organisation(session: Session, slug: str, name: str, kind: str, number: str) -> Organisation:
    org = session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if org is None:
        org = Organisation(slug=slug, name=name, kind=kind, org_number=number)
        session.add(org)
        session.flush()
    return org


def _unit(session: Session, org: Organisation, code: str, name: str,
          parent: Unit | None) -> Unit:
    unit = session.scalar(
        sa.select(Unit).where(Unit.organisation_id == org.id, Unit.code == code)
    )
    if unit is None:
        unit = create_unit(session, organisation=org, name=name, code=code, parent=parent)
    return unit


class _People:
    """Deterministic names, e-mail addresses and employee numbers."""

    def __init__(self, org: Organisation, seed: int):
        self.rng = random.Random(seed)
        self.org = org
        self.domain = {
            "trondheim": "trondheim.example",
            "trondelag-fylkeskommune": "trondelag.example",
            "statsforvalteren-trondelag": "statsforvalteren.example",
        }[org.slug]
        self.counter = 0

    def next(self) -> tuple[str, str, str]:
        self.counter += 1
        first = self.rng.choice(people.FIRST_NAMES)
        last = self.rng.choice(people.LAST_NAMES)
        email = f"{_slugify(first)}.{_slugify(last)}.{self.counter}@{self.domain}"
        number = f"{self.org.id}{self.counter:05d}"
        return f"{first} {last}", email, number


def _person(session: Session, existing: dict[str, User], gen: _People, *, unit: Unit,
            title: str, level: LeaderLevel) -> User:
    name, email, number = gen.next()
    # Draw every random value whether or not the person exists, so that a second load
    # walks the same sequence and finds the same people.
    years_in_unit = gen.rng.randint(0, 12)
    days_into_year = gen.rng.randint(0, 364)
    days_as_leader = gen.rng.randint(30, 365 * 10)
    project_leader = gen.rng.random() < 0.08
    user = existing.get(email)
    if user is None:
        user = User(
            organisation_id=gen.org.id,
            unit_id=unit.id,
            email=email,
            name=name,
            title=title,
            employee_number=number,
            leader_level=level,
            unit_since=TODAY - timedelta(days=365 * years_in_unit + days_into_year),
            leader_since=(
                TODAY - timedelta(days=days_as_leader) if level != LeaderLevel.NONE else None
            ),
            is_project_leader=project_leader,
        )
        session.add(user)
        existing[email] = user
    return user


def load_demo(session: Session, *, today: date | None = None) -> dict[str, int]:
    """Create (or complete) the whole demo: people first, then each domain's data.

    Each domain keeps its demo data in ``app/<domain>/demo.py`` as
    ``load(session, today) -> None`` (idempotent, dates relative to ``today`` so that
    offerings lie ahead whenever the demo is loaded) and adds one line below.
    """
    today = today or date.today()
    counts = load_people(session)
    sharing_demo.load(session, today)
    enrolment_demo.load(session, today)
    seminars_demo.load(session, today)
    toolbox_demo.load(session, today)
    certificates_demo.load(session, today)
    evaluation_demo.load(session, today)
    reports_demo.load(session, today)
    return counts


def load_people(session: Session) -> dict[str, int]:
    """The demo organisations, units, people and logins."""
    existing = {u.email: u for u in session.scalars(sa.select(User))}
    led_by_demo_login = {login[6] for login in people.DEMO_LOGINS if login[6]}
    before = len(existing)
    units: dict[str, Unit] = {}
    for seed, (slug, name, kind, number) in enumerate(people.ORGANISATIONS, start=1):
        org = _organisation(session, slug, name, kind, number)
        gen = _People(org, seed=2026 + seed)
        staff = people.STAFF_PER_DEPARTMENT if slug == "trondheim" else 3
        for s_code, s_name, children in people.UNIT_TREES[slug]:
            sector = units[s_code] = _unit(session, org, s_code, s_name, None)
            head = _person(session, existing, gen, unit=sector, title=people.SECTOR_TITLE,
                           level=LeaderLevel.TOP)
            for u_code, u_name, departments in children:
                unit = units[u_code] = _unit(session, org, u_code, u_name, sector)
                unit_head = None
                if u_code not in led_by_demo_login:
                    unit_head = _person(session, existing, gen, unit=unit,
                                        title=people.UNIT_TITLE, level=LeaderLevel.MIDDLE)
                for d_code, d_name in departments:
                    dept = units[d_code] = _unit(session, org, d_code, d_name, unit)
                    dept_head = _person(session, existing, gen, unit=dept,
                                        title=people.DEPARTMENT_TITLE,
                                        level=LeaderLevel.FIRST_LINE)
                    for _ in range(staff):
                        _person(session, existing, gen, unit=dept,
                                title=gen.rng.choice(people.STAFF_TITLES),
                                level=LeaderLevel.NONE)
                    session.flush()
                    dept.manager_id = dept.manager_id or dept_head.id
                session.flush()
                if unit_head is not None:
                    unit.manager_id = unit.manager_id or unit_head.id
            session.flush()
            sector.manager_id = sector.manager_id or head.id
    session.flush()

    orgs = {o.slug: o for o in session.scalars(sa.select(Organisation))}
    demo_hash = None
    for email, name, org_slug, unit_code, title, level, leads, roles in people.DEMO_LOGINS:
        org = orgs[org_slug]
        user = existing.get(email)
        if user is None:
            demo_hash = demo_hash or passwords.hash_password(people.DEMO_PASSWORD)
            user = User(
                organisation_id=org.id, email=email, name=name, title=title,
                leader_level=level, employee_number=f"{org.id}9{len(existing):04d}",
                password_hash=demo_hash, unit_id=units[unit_code].id,
                unit_since=TODAY - timedelta(days=900),
                leader_since=TODAY - timedelta(days=1500) if level != "none" else None,
            )
            session.add(user)
            session.flush()
            existing[email] = user
        if leads:
            units[leads].manager_id = user.id
        held = {(str(r.role), r.organisation_id, r.unit_id) for r in user.roles}
        for role in roles:
            if (role, org.id, None) not in held:
                session.add(RoleAssignment(user_id=user.id, role=role, organisation_id=org.id))
    session.flush()
    return {"people_created": len(existing) - before, "people": len(existing),
            "units": len(units)}


def database_is_empty(session: Session) -> bool:
    return session.scalar(sa.select(sa.func.count()).select_from(User)) == 0

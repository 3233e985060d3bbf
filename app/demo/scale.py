"""``flask demo scale``: a realistic synthetic municipality for benchmarks.

About one leader per nine employees in a tree three levels deep (sector → unit →
department), fifty courses, two years of offerings around today with sessions, enrolments,
waitlists and attendance. Everything is written with bulk INSERTs (executemany with
RETURNING for the ids), so 14,000 employees take seconds, not minutes. Deterministic for
a seed; a second run with the same seed is refused rather than doubling the data.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import Organisation, Unit, User
from app.catalogue.demo import ensure_demo_courses, ensure_requirements
from app.catalogue.models import Course, CourseAudience, Module, ModuleRead
from app.demo import people, scale_reports
from app.demo.scale_content import COURSE_TOPICS, MONTHS, UNIT_WORDS
from app.enrolment.models import CourseSession, Enrolment, Offering
from app.seminars.models import Attendance

OSLO = ZoneInfo("Europe/Oslo")
DEPARTMENT_SIZE = 9  # one first-line leader and eight employees
DEPARTMENTS_PER_UNIT = 10
UNITS_PER_SECTOR = 20
#: A large municipality runs each course six times a year; a small one less often.
MAX_OFFERINGS_PER_COURSE_PER_YEAR = 6


def offerings_per_year(employees: int) -> int:
    return min(MAX_OFFERINGS_PER_COURSE_PER_YEAR, max(1, round(employees / 2300)))


class AlreadyBuilt(RuntimeError):
    pass


@dataclass
class Report:
    units: int = 0
    employees: int = 0
    leaders: int = 0
    courses: int = 0
    offerings: int = 0
    sessions: int = 0
    enrolments: int = 0
    attendance: int = 0
    completions: int = 0


def _insert(session: Session, model, rows: list[dict]) -> list[int]:
    if not rows:
        return []
    return list(session.scalars(
        sa.insert(model).returning(model.id, sort_by_parameter_order=True), rows))


def _organisation(session: Session) -> Organisation:
    slug, name, kind, number = people.ORGANISATIONS[0]
    org = session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if org is None:
        org = Organisation(slug=slug, name=name, kind=kind, org_number=number)
        session.add(org)
        session.flush()
    return org


def build(session: Session, *, employees: int, seed: int, today: date) -> Report:
    rng = random.Random(seed)
    prefix = f"S{seed}-"
    org = _organisation(session)
    if session.scalar(sa.select(Unit.id).where(Unit.organisation_id == org.id,
                                               Unit.code.like(prefix + "%")).limit(1)):
        raise AlreadyBuilt(f"the municipality for seed {seed} is already built")
    report = Report()
    units = _build_units(session, org, employees, prefix, rng, report)
    staff = _build_people(session, org, units, employees, prefix, seed, rng, today, report)
    courses = _build_courses(session, org, seed, rng, report)
    _build_learning(session, org, courses, staff, rng, today, report,
                    per_year=offerings_per_year(employees))
    report.completions = scale_reports.build(session, org, courses, staff,
                                             units["toppleder"], rng, today)
    session.flush()
    return report


def refresh_statistics(session: Session) -> None:
    """After the bulk load, PostgreSQL's planner statistics for the rows just written
    (PostgreSQL's manual, "Populating a Database": run ANALYZE afterwards). Without them,
    until autovacuum comes round (or never, where it is off), every statement is planned
    for tables the planner believes empty: the home page's statement over every course
    combined the person's enrolments with all 14,000 rows of the status index on each run.
    SQLite's planner does well here without statistics (its pages measured no faster with
    them), so it is left alone."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("ANALYZE"))
        session.commit()


def _build_units(session, org, employees, prefix, rng, report):
    departments = max(1, round(employees / DEPARTMENT_SIZE))
    unit_count = max(1, math.ceil(departments / DEPARTMENTS_PER_UNIT))
    sectors = max(1, math.ceil(unit_count / UNITS_PER_SECTOR))
    sector_rows = [{"organisation_id": org.id, "parent_id": None, "path": "", "depth": 0,
                    "name": f"{rng.choice(UNIT_WORDS['sector'])} {i + 1}",
                    "code": f"{prefix}{i}"} for i in range(sectors)]
    sector_ids = _insert(session, Unit, sector_rows)
    unit_rows = [{"organisation_id": org.id, "parent_id": sector_ids[i % sectors], "path": "",
                  "depth": 1, "name": f"{rng.choice(UNIT_WORDS['unit'])} {i + 1}",
                  "code": f"{prefix}{i % sectors}-{i}"} for i in range(unit_count)]
    unit_ids = _insert(session, Unit, unit_rows)
    dept_rows = [{"organisation_id": org.id, "parent_id": unit_ids[i % unit_count],
                  "path": "", "depth": 2, "name": f"{rng.choice(UNIT_WORDS['department'])} "
                  f"{i + 1}", "code": f"{prefix}d{i}"} for i in range(departments)]
    dept_ids = _insert(session, Unit, dept_rows)
    paths = {}
    for unit_id in sector_ids:
        paths[unit_id] = f"/{unit_id}/"
    for unit_id, row in zip(unit_ids, unit_rows, strict=True):
        paths[unit_id] = f"{paths[row['parent_id']]}{unit_id}/"
    for unit_id, row in zip(dept_ids, dept_rows, strict=True):
        paths[unit_id] = f"{paths[row['parent_id']]}{unit_id}/"
    session.execute(sa.update(Unit), [{"id": k, "path": v} for k, v in paths.items()])
    report.units = len(paths)
    return {"toppleder": sector_ids, "mellomleder": unit_ids, "forstelinjeleder": dept_ids}


def _build_people(session, org, units, employees, prefix, seed, rng, today, report):
    rows, managed = [], []
    counter = 0

    def person(unit_id, level, title):
        nonlocal counter
        counter += 1
        first, last = rng.choice(people.FIRST_NAMES), rng.choice(people.LAST_NAMES)
        joined = today - timedelta(days=rng.randint(20, 365 * 15))
        rows.append({
            "organisation_id": org.id, "unit_id": unit_id,
            "employee_number": f"{prefix}{counter:06d}",
            "email": f"ansatt{counter}.s{seed}@trondheim.example",
            "name": f"{first} {last}", "title": title, "leader_level": level,
            "leader_since": (today - timedelta(days=rng.randint(10, 365 * 8))
                             if level != "none" else None),
            "unit_since": joined, "is_project_leader": rng.random() < 0.05, "locale": "nb",
            "active": True, "is_service_account": False, "session_version": 1,
        })

    titles = {"toppleder": people.SECTOR_TITLE, "mellomleder": people.UNIT_TITLE,
              "forstelinjeleder": people.DEPARTMENT_TITLE}
    for level, unit_ids in units.items():
        for unit_id in unit_ids:
            managed.append(unit_id)
            person(unit_id, level, titles[level])
    departments = units["forstelinjeleder"]
    for i in range(max(employees - len(rows), 0)):
        person(departments[i % len(departments)], "none", rng.choice(people.STAFF_TITLES))
    ids = _insert(session, User, rows)
    session.execute(sa.update(Unit), [{"id": unit_id, "manager_id": user_id}
                                      for unit_id, user_id in zip(managed, ids, strict=False)])
    report.employees = len(ids)
    report.leaders = len(managed)
    project_leaders = [i for i, r in zip(ids, rows, strict=True) if r["is_project_leader"]]
    return {"leaders": ids[:len(managed)], "staff": ids[len(managed):],
            "project_leaders": project_leaders}


def _build_courses(session, org, seed, rng, report) -> list[tuple[Course, str]]:
    demo = ensure_demo_courses(session)
    ensure_requirements(session, demo["it-i-hverdagen"])
    courses = [(demo["it-i-hverdagen"], "leaders"), (demo["prosjektledersamling"],
                                                     "project_leaders")]
    for i, (title, summary, audience, kind) in enumerate(COURSE_TOPICS):
        slug = f"skala-{seed}-{i + 1}"
        course = Course(organisation_id=org.id, slug=slug, title=title, summary=summary,
                        description=summary, status="published", kind=kind, language="nb")
        course.audiences = [CourseAudience(audience=a) for a in audience]
        for position in range(1, rng.randint(3, 6)):
            course.modules.append(Module(position=position, title=f"{title}: del {position}",
                                         body=f"## Del {position}\n\n{summary}",
                                         estimated_minutes=rng.choice((10, 15, 20, 30))))
        session.add(course)
        group = ("project_leaders" if "project_leader" in audience
                 else "leaders" if audience and "everyone" not in audience else "staff")
        courses.append((course, group))
    session.flush()
    report.courses = len(courses)
    return courses


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=OSLO)


def _build_learning(session, org, courses, groups, rng, today, report, *, per_year) -> None:
    offering_rows, session_plan = [], []
    first_day = today - timedelta(days=365)
    for course, group in courses:
        spacing = 365 // per_year
        for n in range(per_year * 2):
            day = first_day + timedelta(days=n * spacing + rng.randint(0, spacing * 2 // 3))
            while day.weekday() >= 5:
                day += timedelta(days=1)
            days = 2 if course.kind == "seminar" else 1
            capacity = rng.choice((15, 20, 25, 30, 40))
            offering_rows.append({
                "course_id": course.id, "organisation_id": org.id,
                "title": f"{MONTHS[day.month - 1].capitalize()} {day.year}", "status": "published",
                "format": rng.choice(("in_person", "in_person", "online", "hybrid")),
                "location": "Rådhuset", "capacity": capacity, "taken": 0,
                "starts_at": _at(day, 8), "ends_at": _at(day + timedelta(days=days - 1), 15),
                "enrol_opens_at": _at(day - timedelta(days=90), 8),
                "cancel_deadline_at": _at(day - timedelta(days=3), 23),
                "requires_approval": rng.random() < 0.15, "open_to_partners": False,
            })
            session_plan.append((day, days, group))
    offering_ids = _insert(session, Offering, offering_rows)
    session_rows, sessions_of = [], {}
    for offering_id, (day, days, _group) in zip(offering_ids, session_plan, strict=True):
        for d in range(days):
            for start in (9, 13):
                session_rows.append({"offering_id": offering_id, "title": f"Økt kl. {start}",
                                     "description": "", "mandatory": True,
                                     "starts_at": _at(day + timedelta(days=d), start),
                                     "ends_at": _at(day + timedelta(days=d), start + 3),
                                     "room": "Sal 1"})
    session_ids = _insert(session, CourseSession, session_rows)
    for session_id, row in zip(session_ids, session_rows, strict=True):
        sessions_of.setdefault(row["offering_id"], []).append((session_id, row["ends_at"]))
    now = datetime.combine(today, time(12), tzinfo=OSLO)
    enrolments, attendance, taken = [], [], []
    for offering_id, row, (_day, _days, group) in zip(offering_ids, offering_rows, session_plan,
                                                      strict=True):
        pool = groups[group] or groups["staff"]
        past = row["starts_at"] < now
        wanted = int(row["capacity"] * (rng.uniform(0.7, 1.25) if not past
                                        else rng.uniform(0.8, 1.0)))
        chosen = rng.sample(pool, min(wanted, len(pool)))
        seats = 0
        for i, user_id in enumerate(chosen):
            status = "enrolled" if seats < row["capacity"] else "waitlisted"
            if past and status == "enrolled" and rng.random() < 0.04:
                status = "no_show"
            elif rng.random() < 0.03:
                status = "cancelled"
            requested = row["enrol_opens_at"] + timedelta(hours=i * 3 + rng.randint(0, 2))
            enrolments.append({"offering_id": offering_id, "user_id": user_id,
                               "status": status, "requested_at": requested,
                               "updated_at": requested, "ics_sequence": 1})
            seats += status == "enrolled"
            if status == "enrolled":
                for session_id, ends in sessions_of[offering_id]:
                    if ends < now:
                        attendance.append({
                            "session_id": session_id, "user_id": user_id,
                            "status": "present" if rng.random() < 0.9 else "late",
                            "method": "manual", "recorded_at": ends, "version": 1})
        taken.append({"id": offering_id, "taken": seats})
    for start in range(0, len(enrolments), 5000):
        session.execute(sa.insert(Enrolment), enrolments[start:start + 5000])
    for start in range(0, len(attendance), 5000):
        session.execute(sa.insert(Attendance), attendance[start:start + 5000])
    session.execute(sa.update(Offering), taken)
    _module_reads(session, courses, groups, rng, now)
    report.offerings, report.sessions = len(offering_ids), len(session_ids)
    report.enrolments, report.attendance = len(enrolments), len(attendance)


def _module_reads(session, courses, groups, rng, now) -> None:
    leader_course = courses[0][0]
    module_ids = [m.id for m in leader_course.modules]
    readers = rng.sample(groups["leaders"], len(groups["leaders"]) // 3)
    rows = [{"user_id": user_id, "module_id": module_id, "read_at": now}
            for user_id in readers for module_id in module_ids[:rng.randint(1, len(module_ids))]]
    for start in range(0, len(rows), 5000):
        session.execute(sa.insert(ModuleRead), rows[start:start + 5000])

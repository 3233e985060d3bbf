"""What ``flask demo scale`` adds for the competence reports: requirements (every sector
must take the basic "everyone" courses, leaders two leader courses, IT project leaders the
gathering and Prosjektveiviseren) and three years of completions, about seven in ten of
what is required, some expiring. Bulk INSERTs in batches; tuples, no ORM objects per row."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.catalogue.models import Course, Requirement, RequirementGroup
from app.catalogue.rules import add_months
from app.certificates.models import Completion

OSLO = ZoneInfo("Europe/Oslo")
LEADER_LEVELS = ("toppleder", "mellomleder", "forstelinjeleder")
#: Months a required scale course stays valid (so that some certificates expire).
VALIDITY = 36
SHARE_COMPLETED = 0.7
BATCH = 5000


def _requirement(org_id, course_id, kind, *, level=None, unit_id=None) -> dict:
    return {"organisation_id": org_id, "course_id": course_id, "group_kind": kind,
            "leader_level": level, "unit_id": unit_id, "due_months": 12,
            "active": True}


def build(session: Session, org, courses: list[tuple[Course, str]], groups: dict,
          sectors: list[int], rng, today: date) -> int:
    """Add the requirements and completions; returns the number of completions."""
    everyone = [c for c, group in courses[2:] if group == "staff" and "– grunn" in c.title]
    leader = [c for c, group in courses[2:] if group == "leaders" and "– grunn" in c.title][:2]
    project = [courses[1][0]] + [c for c, _g in courses[2:]
                                 if c.title.startswith("Prosjektveiviseren – grunn")]
    rows = [_requirement(org.id, c.id, RequirementGroup.UNIT, unit_id=s)
            for c in everyone for s in sectors]
    rows += [_requirement(org.id, c.id, RequirementGroup.LEADER_LEVEL, level=level)
             for c in leader for level in LEADER_LEVELS]
    have_project = set(session.scalars(sa.select(Requirement.course_id).where(
        Requirement.group_kind == RequirementGroup.PROJECT_LEADER,
        Requirement.organisation_id == org.id)))
    rows += [_requirement(org.id, c.id, RequirementGroup.PROJECT_LEADER)
             for c in project if c.id not in have_project]
    session.execute(sa.insert(Requirement), rows)
    scale_ids = [c.id for c in everyone + leader + project[1:]]
    session.execute(sa.update(Course).where(Course.id.in_(scale_ids))
                    .values(validity_months=VALIDITY))
    validity = {c.id: VALIDITY for c in everyone + leader + project[1:]}
    validity[courses[0][0].id] = courses[0][0].validity_months
    validity[courses[1][0].id] = courses[1][0].validity_months
    people = groups["leaders"] + groups["staff"]
    plan = [(everyone, people), ([courses[0][0], *leader], groups["leaders"]),
            (project, groups["project_leaders"])]
    count = 0
    batch: list[dict] = []
    for required, who in plan:
        for course in required:
            months = validity.get(course.id)
            for user_id in who:
                if rng.random() >= SHARE_COMPLETED:
                    continue
                day = today - timedelta(days=rng.randint(3, 3 * 365 + 60))
                completed = datetime.combine(day, time(rng.choice((10, 13, 15))), OSLO)
                expires = (datetime.combine(add_months(day, months), completed.timetz())
                           if months else None)
                batch.append({"user_id": user_id, "course_id": course.id, "number": 1,
                              "completed_at": completed, "expires_at": expires,
                              "source": "import", "created_at": completed})
                if len(batch) >= BATCH:
                    session.execute(sa.insert(Completion), batch)
                    count += len(batch)
                    batch = []
    if batch:
        session.execute(sa.insert(Completion), batch)
        count += len(batch)
    return count

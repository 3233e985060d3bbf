"""The HR import: compare a parsed HR file with the database, then apply the difference.

``plan`` reads the organisation's units and people in a handful of set-based queries and
works out, in Python, exactly what would be created, changed and deactivated. The plan has
a fingerprint: the admin confirms the plan they saw, and if the database moved in
between, they are shown the new one.

The file is the truth for the people it lists (keyed on employee number within the
organisation) and for the units it names. Leavers, people of the organisation with an
employee number who are missing from the file, are deactivated and their sessions end;
nobody is ever deleted. Accounts without an employee number (partners, admins, service
accounts) are not the HR system's, and the import leaves them alone.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.accounts.hr_csv import ParsedFile, PersonRow, RowError
from app.accounts.models import LeaderLevel, Organisation, Unit, User

log = logging.getLogger(__name__)

#: Fields of a person the file decides, in the order the preview lists changes.
PERSON_FIELDS = ("name", "email", "title", "unit_code", "unit_since", "leader_level",
                 "leader_since", "is_project_leader", "active")
#: Bound parameters per IN (...) list: below SQLite's limit of 32,766, and few enough
#: statements that a 14,000-row file needs three.
CHUNK = 5000


@dataclass
class PersonChange:
    line: int | None
    employee_number: str
    name: str
    unit_code: str | None
    #: field -> (before, after); empty for a created person.
    fields: dict[str, tuple] = field(default_factory=dict)
    user_id: int | None = None


@dataclass
class UnitChange:
    code: str
    name: str
    fields: dict[str, tuple] = field(default_factory=dict)


@dataclass
class ImportPlan:
    organisation_id: int
    errors: list[RowError] = field(default_factory=list)
    created: list[PersonChange] = field(default_factory=list)
    changed: list[PersonChange] = field(default_factory=list)
    deactivated: list[PersonChange] = field(default_factory=list)
    unchanged: int = 0
    units_created: list[UnitChange] = field(default_factory=list)
    units_changed: list[UnitChange] = field(default_factory=list)
    #: What ``apply`` writes: target rows keyed by employee number / unit code.
    people_target: dict[str, dict] = field(default_factory=dict)
    units_target: dict[str, dict] = field(default_factory=dict)
    #: Existing people: employee number -> id (plus e-mail matches that get a number).
    person_ids: dict[str, int] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return bool(self.created or self.changed or self.deactivated or self.units_created
                    or self.units_changed)

    def counts(self) -> dict[str, int]:
        return {"created": len(self.created), "changed": len(self.changed),
                "deactivated": len(self.deactivated), "unchanged": self.unchanged,
                "units_created": len(self.units_created),
                "units_changed": len(self.units_changed)}

    @property
    def fingerprint(self) -> str:
        """A digest of every write the plan would make, for the confirm step: the same
        file against a database that has moved on (or was just imported by someone else)
        gives another fingerprint."""
        payload = {
            "org": self.organisation_id,
            "created": {p.employee_number: self.people_target[p.employee_number]
                        for p in self.created},
            "changed": {p.employee_number: p.fields for p in self.changed},
            "deactivated": sorted(p.employee_number for p in self.deactivated),
            "units_created": {u.code: self.units_target[u.code] for u in self.units_created},
            "units_changed": {u.code: u.fields for u in self.units_changed},
        }
        encoded = json.dumps(payload, sort_keys=True, default=str).encode()
        return hashlib.sha256(encoded).hexdigest()[:32]


def chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


# Planning --------------------------------------------------------------------------------


def plan(session: Session, *, organisation: Organisation, parsed: ParsedFile,
         today: date) -> ImportPlan:
    """Everything the file would change, without writing anything."""
    result = ImportPlan(organisation_id=organisation.id, errors=list(parsed.errors))
    if parsed.errors:
        return result
    org_id = organisation.id
    units = {
        row.code: row
        for row in session.execute(
            sa.select(Unit.id, Unit.code, Unit.name, Unit.parent_id, Unit.manager_id,
                      Unit.active).where(Unit.organisation_id == org_id)
        )
    }
    code_of_unit = {row.id: code for code, row in units.items()}
    people = list(session.execute(
        sa.select(User.id, User.employee_number, User.email, User.name, User.title,
                  User.unit_id, User.unit_since, User.leader_level, User.leader_since,
                  User.is_project_leader, User.active)
        .where(User.organisation_id == org_id, User.is_service_account.is_(False))
    ))
    by_number = {p.employee_number: p for p in people if p.employee_number}
    emails = [row.email for row in parsed.people]
    holders = {}
    for chunk in chunks(emails):
        for row in session.execute(
            sa.select(User.id, User.email, User.organisation_id, User.employee_number,
                      User.is_service_account).where(User.email.in_(chunk))
        ):
            holders[row.email] = row
    people_by_id = {p.id: p for p in people}

    _check_units(parsed, units, result)
    file_numbers = {row.employee_number for row in parsed.people}
    for row in parsed.people:
        existing = by_number.get(row.employee_number)
        holder = holders.get(row.email)
        if holder is not None and (existing is None or holder.id != existing.id):
            problem = _email_conflict(row, holder, existing, org_id, file_numbers)
            if problem is not None:
                result.errors.append(RowError(row.line, "epost", problem))
                continue
            if existing is None and holder.employee_number is None:
                # A local account made before the HR system knew the person: adopt it.
                existing = people_by_id.get(holder.id)
        _plan_person(row, existing, code_of_unit, today, result)
    if result.errors:
        result.errors.sort(key=lambda e: (e.line, e.column or ""))
        return result

    for person in people:
        if (person.employee_number and person.active
                and person.employee_number not in file_numbers
                and person.employee_number not in result.people_target):
            result.deactivated.append(PersonChange(
                line=None, employee_number=person.employee_number, name=person.name,
                unit_code=code_of_unit.get(person.unit_id),
                fields={"active": (True, False)}, user_id=person.id))
    _plan_units(parsed, units, code_of_unit, people_by_id, result)
    return result


def _email_conflict(row: PersonRow, holder, existing, org_id: int, file_numbers: set[str]):
    if holder.organisation_id != org_id or holder.is_service_account:
        return _l("E-postadressen %(email)s brukes av en konto i en annen organisasjon.",
                  email=row.email)
    if holder.employee_number is None and existing is not None:
        return _l("E-postadressen %(email)s brukes av en annen konto uten ansattnummer.",
                  email=row.email)
    if holder.employee_number and holder.employee_number not in file_numbers:
        return _l("E-postadressen %(email)s tilhører ansattnummer %(number)s, som ikke er "
                  "i filen.", email=row.email, number=holder.employee_number)
    return None


def _check_units(parsed: ParsedFile, units: dict, result: ImportPlan) -> None:
    known = set(parsed.units) | set(units)
    for unit in parsed.units.values():
        if unit.parent_code and unit.parent_code not in known:
            result.errors.append(RowError(unit.line, "overordnet_enhetskode", _l(
                "Enheten %(code)s finnes verken i filen eller fra før.",
                code=unit.parent_code)))
    for row in parsed.people:
        if row.leads_code and row.leads_code not in known:
            result.errors.append(RowError(row.line, "leder_for", _l(
                "Enheten %(code)s finnes verken i filen eller fra før.", code=row.leads_code)))
    # A cycle (A under B under A) would make the tree endless.
    for unit in parsed.units.values():
        seen, code = {unit.code}, unit.parent_code
        while code and code in parsed.units:
            if code in seen:
                result.errors.append(RowError(unit.line, "overordnet_enhetskode", _l(
                    "Enhetene %(code)s og %(parent)s ligger under hverandre.",
                    code=unit.code, parent=unit.parent_code)))
                break
            seen.add(code)
            code = parsed.units[code].parent_code


def _plan_person(row: PersonRow, existing, code_of_unit: dict, today: date,
                 result: ImportPlan) -> None:
    before = None
    if existing is not None:
        before = {
            "name": existing.name, "email": existing.email, "title": existing.title,
            "unit_code": code_of_unit.get(existing.unit_id),
            "unit_since": existing.unit_since, "leader_level": str(existing.leader_level),
            "leader_since": existing.leader_since,
            "is_project_leader": existing.is_project_leader, "active": existing.active,
        }
    unit_since = row.unit_since
    if unit_since is None:
        unchanged_unit = before is not None and before["unit_code"] == row.unit_code
        unit_since = before["unit_since"] if unchanged_unit else today
    leader_since = row.leader_since
    if row.leader_level == LeaderLevel.NONE:
        leader_since = None
    elif leader_since is None:
        same_level = before is not None and before["leader_level"] == str(row.leader_level)
        leader_since = before["leader_since"] if same_level else today
    after = {
        "name": row.name, "email": row.email, "title": row.title,
        "unit_code": row.unit_code, "unit_since": unit_since,
        "leader_level": str(row.leader_level), "leader_since": leader_since,
        "is_project_leader": row.is_project_leader, "active": True,
    }
    result.people_target[row.employee_number] = after
    if existing is None:
        result.created.append(PersonChange(row.line, row.employee_number, row.name,
                                           row.unit_code))
        return
    result.person_ids[row.employee_number] = existing.id
    differences = {k: (before[k], after[k]) for k in PERSON_FIELDS if before[k] != after[k]}
    if existing.employee_number != row.employee_number:
        differences["employee_number"] = (existing.employee_number, row.employee_number)
    if differences:
        result.changed.append(PersonChange(row.line, row.employee_number, row.name,
                                           row.unit_code, differences, existing.id))
    else:
        result.unchanged += 1


def _plan_units(parsed: ParsedFile, units: dict, code_of_unit: dict, people_by_id: dict,
                result: ImportPlan) -> None:
    leader_of = {row.leads_code: row.employee_number for row in parsed.people
                 if row.leads_code}
    leaving = {p.user_id for p in result.deactivated}
    referenced = {u.parent_code for u in parsed.units.values() if u.parent_code}
    referenced |= set(leader_of)

    def manager_key(user_id: int | None) -> str | None:
        """Leaders are named by employee number; one outside the HR file by "#id"."""
        if user_id is None:
            return None
        person = people_by_id.get(user_id)
        return person.employee_number if person and person.employee_number else f"#{user_id}"

    for code in sorted(set(parsed.units) | set(units)):
        row, current = parsed.units.get(code), units.get(code)
        if row is not None:
            target = {"name": row.name, "parent_code": row.parent_code,
                      "manager": leader_of.get(code), "active": True}
        else:
            # Not in the file: kept as it is, unless nothing in the file needs it any more.
            kept = None if current.manager_id in leaving else manager_key(current.manager_id)
            target = {"name": current.name, "parent_code": code_of_unit.get(current.parent_id),
                      "manager": leader_of.get(code) or kept,
                      "active": current.active and code in referenced}
        result.units_target[code] = target
        if current is None:
            result.units_created.append(UnitChange(code, target["name"]))
            continue
        before = {"name": current.name, "parent_code": code_of_unit.get(current.parent_id),
                  "manager": manager_key(current.manager_id), "active": current.active}
        differences = {k: (before[k], target[k]) for k in target if before[k] != target[k]}
        if differences:
            result.units_changed.append(UnitChange(code, target["name"], differences))

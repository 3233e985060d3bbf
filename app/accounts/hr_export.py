"""The organisation's people as an HR import file: a start for a first import, and a way
to see what the system holds in the HR system's own terms."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from app.accounts.hr_csv import COLUMNS
from app.accounts.models import LeaderLevel, Unit, User

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # Excel runs a cell that starts with = + - @ as a formula; a leading ' keeps it text.
    return "'" + text if text.startswith(FORMULA_START) else text


def current_csv(session: Session, *, organisation_id: int) -> bytes:
    """UTF-8 with a BOM and ``;``, as Norwegian Excel opens and saves it."""
    parent, led = aliased(Unit), aliased(Unit)
    rows = session.execute(
        sa.select(User.employee_number, User.name, User.email, User.title, Unit.code,
                  Unit.name, parent.code, User.unit_since, led.code, User.leader_level,
                  User.leader_since, User.is_project_leader)
        .join(Unit, User.unit_id == Unit.id)
        .outerjoin(parent, Unit.parent_id == parent.id)
        .outerjoin(led, led.manager_id == User.id)
        .where(User.organisation_id == organisation_id, User.active.is_(True),
               User.is_service_account.is_(False), User.employee_number.is_not(None))
        .order_by(User.employee_number, led.code)
    ).all()
    units = session.execute(
        sa.select(Unit.code, Unit.name, parent.code)
        .outerjoin(parent, Unit.parent_id == parent.id)
        .where(Unit.organisation_id == organisation_id, Unit.active.is_(True))
        .order_by(Unit.path)
    ).all()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(list(COLUMNS))
    seen: set[str] = set()
    for code, name, parent_code in units:
        writer.writerow(["", "", "", "", code, name, parent_code or "", "", "", "", "", ""])
    for (number, name, email, title, unit_code, unit_name, parent_code, unit_since,
         leads, level, leader_since, project) in rows:
        if number in seen:
            continue  # a person who leads two units appears once; the file has one leader_for
        seen.add(number)
        level = "" if level == LeaderLevel.NONE else str(level)
        writer.writerow([_cell(v) for v in (
            number, name, email, title, unit_code, unit_name, parent_code,
            unit_since.isoformat() if unit_since else "", leads or "", level,
            leader_since.isoformat() if leader_since else "", "ja" if project else "nei")])
    return ("\ufeff" + out.getvalue()).encode("utf-8")

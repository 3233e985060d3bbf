"""HR's CSV import of completions taken outside the system.

Every row is checked before anything is written; one bad row stops the whole file, and
the report names the line and the column. A row that is already registered (same person,
course and day) is skipped, so a file can be imported again safely.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.accounts.models import Unit, User
from app.accounts.scope import organisation_ids, unit_condition
from app.catalogue.models import Course
from app.certificates.services import register_external
from app.certificates.settings import IssueSettings
from app.errors import ConflictError

log = logging.getLogger(__name__)

MAX_ROWS = 5000
#: column -> the header names accepted for it (bokmål first, then English).
COLUMNS = {
    "person": ("ansattnummer", "epost", "e-post", "employee_number", "email"),
    "course": ("kurs", "course"),
    "date": ("dato", "date"),
    "evidence": ("dokumentasjon", "evidence"),
    "certificate": ("kursbevis", "certificate"),
}
YES = {"ja", "j", "yes", "y", "1", "true", "x"}
NO = {"", "nei", "n", "no", "0", "false"}


@dataclass
class ImportRow:
    line: int
    user: User
    course: Course
    completed_on: date
    evidence: str
    certificate: bool


@dataclass
class ImportReport:
    created: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")  # Excel's "CSV" on Norwegian Windows


def parse_date(text: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _header_map(header: list[str]) -> dict[str, tuple[int, str]]:
    found = {}
    for i, name in enumerate(h.strip().lower() for h in header):
        for column, names in COLUMNS.items():
            if name in names and column not in found:
                found[column] = (i, name)
    return found


def read_rows(session: Session, *, actor, text: str,
              now: datetime) -> tuple[list[ImportRow], list[str]]:
    """Parse and check every row against the people in the actor's reach."""
    dialect = ";" if text.count(";") >= text.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=dialect)
    header = next(reader, None)
    columns = _header_map(header or [])
    required = ("person", "course", "date", "evidence")
    if not header or any(c not in columns for c in required):
        return [], [str(_l("Første linje må ha kolonnene ansattnummer (eller epost), kurs, "
                           "dato og dokumentasjon."))]
    raw_rows = [(n, row) for n, row in enumerate(reader, start=2) if any(c.strip() for c in row)]
    if len(raw_rows) > MAX_ROWS:
        return [], [str(_l("Filen har mer enn %(max)s rader.", max=MAX_ROWS))]

    def cell(row, column):
        index = columns.get(column, (None,))[0]
        return row[index].strip() if index is not None and index < len(row) else ""

    by_email = columns["person"][1] in ("epost", "e-post", "email")
    keys = {cell(r, "person").lower() if by_email else cell(r, "person") for _n, r in raw_rows}
    key_column = User.email if by_email else User.employee_number
    people = {
        (u.email if by_email else u.employee_number): u
        for u in session.scalars(
            sa.select(User).join(Unit, User.unit_id == Unit.id)
            .where(key_column.in_(keys), unit_condition(actor, "hr", "admin"))
        )
    }
    courses = {c.slug: c for c in session.scalars(
        sa.select(Course).where(Course.slug.in_({cell(r, "course") for _n, r in raw_rows}),
                                Course.organisation_id.in_(
                                    organisation_ids(actor, "hr", "admin"))))}
    rows, errors = [], []
    for n, row in raw_rows:
        person, slug = cell(row, "person"), cell(row, "course")
        user = people.get(person.lower() if by_email else person)
        course = courses.get(slug)
        completed_on = parse_date(cell(row, "date"))
        flag = cell(row, "certificate").lower()
        problems = []
        if user is None:
            problems.append(str(_l("fant ingen person «%(key)s» i enhetene du har tilgang til",
                                   key=person)))
        if course is None:
            problems.append(str(_l("fant ikke kurset «%(slug)s»", slug=slug)))
        if completed_on is not None and completed_on > now.date():
            problems.append(str(_l("datoen er fram i tid")))
        if completed_on is None:
            problems.append(str(_l("datoen «%(text)s» er ikke på formen 2026-03-31 eller "
                                   "31.03.2026", text=cell(row, "date"))))
        if not cell(row, "evidence"):
            problems.append(str(_l("dokumentasjon mangler")))
        if flag not in YES | NO:
            problems.append(str(_l("kursbevis må være ja eller nei")))
        if problems:
            errors.append(str(_l("Linje %(line)s: %(problems)s", line=n,
                                 problems="; ".join(problems))))
            continue
        rows.append(ImportRow(n, user, course, completed_on, cell(row, "evidence"),
                              flag in YES))
    return rows, errors


def import_completions(session: Session, *, actor, raw: bytes, now: datetime,
                       settings: IssueSettings | None = None) -> ImportReport:
    report = ImportReport()
    rows, report.errors = read_rows(session, actor=actor, text=decode(raw), now=now)
    if report.errors or not rows:
        if not report.errors:
            report.errors.append(str(_l("Filen har ingen rader å importere.")))
        return report
    for row in rows:
        try:
            register_external(session, actor=actor, user=row.user, course=row.course,
                              completed_on=row.completed_on, evidence=row.evidence,
                              with_certificate=row.certificate, now=now, settings=settings)
        except ConflictError:
            report.skipped += 1
            continue
        report.created += 1
    log.info("completions imported actor=%s created=%s skipped=%s", actor.id, report.created,
             report.skipped)
    return report

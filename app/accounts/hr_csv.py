"""Reading the HR system's CSV export: pure, no database.

The columns are documented in docs/hr-import.md. Every problem is reported with the line
and the column it was found in, and all problems are reported at once, so a file can be
fixed in one round. Nothing here knows what the database holds; ``hr_import`` compares
the parsed file with it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from app.accounts.models import LeaderLevel
from app.common.days import OUT_OF_RANGE, within_calendar

#: column -> required. Headers are matched without regard to case or surrounding spaces.
COLUMNS: dict[str, bool] = {
    "ansattnummer": True,
    "navn": True,
    "epost": True,
    "stilling": False,
    "enhetskode": True,
    "enhetsnavn": True,
    "overordnet_enhetskode": False,
    "enhet_fra": False,
    "leder_for": False,
    "ledernivaa": False,
    "leder_fra": False,
    "it_prosjektleder": False,
}
#: Spellings HR systems and Excel users write for the same columns.
ALIASES = {
    "ansattnr": "ansattnummer",
    "e-post": "epost",
    "epostadresse": "epost",
    "ledernivå": "ledernivaa",
    "overordnet_enhet": "overordnet_enhetskode",
}
LEVELS = {
    "": LeaderLevel.NONE,
    "ingen": LeaderLevel.NONE,
    "none": LeaderLevel.NONE,
    "toppleder": LeaderLevel.TOP,
    "mellomleder": LeaderLevel.MIDDLE,
    "førstelinjeleder": LeaderLevel.FIRST_LINE,
    "forstelinjeleder": LeaderLevel.FIRST_LINE,
}
YES = {"ja", "j", "x", "1", "true", "yes"}
NO = {"", "nei", "n", "0", "false", "no"}
MAX_LENGTHS = {"ansattnummer": 32, "navn": 200, "epost": 254, "stilling": 200,
               "enhetskode": 32, "enhetsnavn": 200, "overordnet_enhetskode": 32,
               "leder_for": 32}
CODE_RE = re.compile(r"^[\w.\-/]+$")
#: Plain ASCII addresses that are certainly valid; anything else goes through
#: email-validator (which costs ~100 µs an address, half the parse of a 14,000-row file).
PLAIN_EMAIL_RE = re.compile(
    r"^[a-z0-9_%+-]+(\.[a-z0-9_%+-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")


@dataclass(frozen=True)
class RowError:
    line: int
    column: str | None
    message: str


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    parent_code: str | None
    line: int


@dataclass(frozen=True)
class PersonRow:
    line: int
    employee_number: str
    name: str
    email: str
    title: str | None
    unit_code: str
    unit_since: date | None
    leads_code: str | None
    leader_level: LeaderLevel
    leader_since: date | None
    is_project_leader: bool


@dataclass
class ParsedFile:
    people: list[PersonRow] = field(default_factory=list)
    units: dict[str, UnitRow] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    delimiter: str = ";"
    encoding: str = "utf-8"

    @property
    def valid(self) -> bool:
        return not self.errors


def decode(data: bytes, parsed: ParsedFile) -> str | None:
    """UTF-8 with or without a byte order mark; Windows-1252 (old Excel) as a fallback."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        parsed.errors.append(RowError(1, None, _l("Filen er ikke en tekstfil i UTF-8.")))
        return None
    parsed.encoding = "cp1252"
    parsed.notices.append(_l("Filen var ikke lagret som UTF-8 og er lest som Windows-1252. "
                             "Kontroller at æ, ø og å ser riktige ut."))
    return text


def sniff_delimiter(header_line: str) -> str:
    """Norwegian Excel writes ``;``; most HR systems ``,``; a few tabs."""
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ";"))


def parse_date(value: str) -> date:
    """``2024-08-01`` or ``01.08.2024``."""
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def parse(data: bytes) -> ParsedFile:
    parsed = ParsedFile()
    text = decode(data, parsed)
    if text is None:
        return parsed
    first_line = text.split("\n", 1)[0]
    parsed.delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=parsed.delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        parsed.errors.append(RowError(1, None, _l("Filen er tom.")))
        return parsed
    columns = _read_header(header, parsed)
    if parsed.errors:
        return parsed
    seen_numbers: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    leaders: dict[str, int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > len(header):
                parsed.errors.append(RowError(line, None, _l(
                    "Linjen har %(n)d felt, men overskriften har %(m)d. Sjekk skilletegn "
                    "og anførselstegn.", n=len(record), m=len(header))))
                continue
            values = {name: (record[i].strip() if i < len(record) else "")
                      for name, i in columns.items()}
            _read_row(values, line, parsed, seen_numbers, seen_emails, leaders)
    except csv.Error as error:
        parsed.errors.append(RowError(reader.line_num, None,
                                      _l("Ugyldig CSV: %(error)s", error=str(error))))
    if not parsed.people and not parsed.errors:
        parsed.errors.append(RowError(2, None, _l("Filen har ingen ansatte.")))
    return parsed


def _read_header(header: list[str], parsed: ParsedFile) -> dict[str, int]:
    columns: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = raw.strip().lower().replace(" ", "_")
        name = ALIASES.get(name, name)
        if name in COLUMNS:
            if name in columns:
                parsed.errors.append(RowError(1, name, _l("Kolonnen står to ganger.")))
            columns[name] = i
        elif name:
            parsed.notices.append(_l("Kolonnen «%(name)s» er ikke i bruk og blir hoppet over.",
                                     name=raw.strip()))
    for name, required in COLUMNS.items():
        if required and name not in columns:
            parsed.errors.append(RowError(1, name, _l("Kolonnen mangler i overskriften.")))
    return columns


def _read_row(values: dict[str, str], line: int, parsed: ParsedFile,
              seen_numbers: dict[str, int], seen_emails: dict[str, int],
              leaders: dict[str, int]) -> None:
    errors: list[RowError] = []

    def error(column: str, message) -> None:
        errors.append(RowError(line, column, message))

    for column, limit in MAX_LENGTHS.items():
        if len(values.get(column, "")) > limit:
            error(column, _l("Høyst %(n)d tegn.", n=limit))
    for column in ("enhetskode", "overordnet_enhetskode", "leder_for"):
        code = values.get(column, "")
        if code and not CODE_RE.match(code):
            error(column, _l("En enhetskode kan bare ha bokstaver, tall og - . _ /."))

    unit_code, unit_name = values["enhetskode"], values["enhetsnavn"]
    parent_code = values.get("overordnet_enhetskode") or None
    if not unit_code:
        error("enhetskode", _l("Mangler."))
    if not unit_name:
        error("enhetsnavn", _l("Mangler."))
    if parent_code and parent_code == unit_code:
        error("overordnet_enhetskode", _l("En enhet kan ikke ligge under seg selv."))
    if unit_code and unit_name:
        known = parsed.units.get(unit_code)
        if known is None:
            parsed.units[unit_code] = UnitRow(unit_code, unit_name, parent_code, line)
        elif known.name != unit_name:
            error("enhetsnavn", _l("Enheten %(code)s heter «%(name)s» på linje %(line)d.",
                                   code=unit_code, name=known.name, line=known.line))
        elif known.parent_code != parent_code:
            error("overordnet_enhetskode", _l(
                "Enheten %(code)s har en annen overordnet enhet på linje %(line)d.",
                code=unit_code, line=known.line))

    number, name, email = values["ansattnummer"], values["navn"], values["epost"]
    if not (number or name or email):
        # A line with only the unit columns describes a unit without employees of its own.
        parsed.errors.extend(errors)
        return
    if not number:
        error("ansattnummer", _l("Mangler."))
    elif number in seen_numbers:
        error("ansattnummer", _l("Står også på linje %(line)d.", line=seen_numbers[number]))
    if not name:
        error("navn", _l("Mangler."))
    normalised = ""
    if not email:
        error("epost", _l("Mangler."))
    else:
        try:
            normalised = email.lower()
            if not PLAIN_EMAIL_RE.match(normalised):
                normalised = validate_email(email, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            error("epost", _l("«%(value)s» er ikke en gyldig e-postadresse.", value=email))
        else:
            if normalised in seen_emails:
                error("epost", _l("Står også på linje %(line)d.", line=seen_emails[normalised]))

    level_text = values.get("ledernivaa", "").lower()
    level = LEVELS.get(level_text)
    if level is None:
        error("ledernivaa", _l("«%(value)s» er ikke et ledernivå (toppleder, mellomleder, "
                               "førstelinjeleder eller tomt).", value=values["ledernivaa"]))
    leads = values.get("leder_for") or None
    if leads:
        if level in (None, LeaderLevel.NONE):
            error("ledernivaa", _l("Må fylles ut for den som leder en enhet."))
        if leads in leaders:
            error("leder_for", _l("Enheten %(code)s har allerede en leder på linje %(line)d.",
                                  code=leads, line=leaders[leads]))
    dates = {}
    for column in ("enhet_fra", "leder_fra"):
        raw = values.get(column, "")
        try:
            dates[column] = parse_date(raw) if raw else None
        except ValueError:
            error(column, _l("«%(value)s» er ikke en dato (ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ).",
                             value=raw))
            continue
        if dates[column] is not None and not within_calendar(dates[column]):
            error(column, OUT_OF_RANGE)
    project = values.get("it_prosjektleder", "").lower()
    if project not in YES | NO:
        error("it_prosjektleder", _l("Skriv ja eller nei."))

    if errors:
        parsed.errors.extend(errors)
        return
    seen_numbers[number] = line
    seen_emails[normalised] = line
    if leads:
        leaders[leads] = line
    parsed.people.append(PersonRow(
        line=line, employee_number=number, name=name, email=normalised,
        title=values.get("stilling") or None, unit_code=unit_code,
        unit_since=dates["enhet_fra"], leads_code=leads, leader_level=level,
        leader_since=dates["leder_fra"] if level != LeaderLevel.NONE else None,
        is_project_leader=project in YES,
    ))

"""Who sees which part of the reports, and the filters a report is read with.

HR and admins see their organisation, or the unit subtree their role is limited to; a
leader sees the subtrees of the units they lead. Both are SQL conditions on a unit's path
and organisation, so a filter can narrow what a person sees but never widen it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import LeaderLevel, Unit, User
from app.accounts.scope import managed_units_condition, organisation_ids, unit_condition
from app.common.days import OUT_OF_RANGE, within_calendar
from app.common.numbers import whole_number
from app.errors import DomainError

OSLO = ZoneInfo("Europe/Oslo")
#: Roles that read the reports of a whole organisation (or of the subtree they are
#: limited to); see PERMISSIONS["reports.view"].
REPORT_ROLES = ("hr", "admin")
LEVELS = tuple(level.value for level in LeaderLevel)


def reach_condition(user: User | None, unit=Unit):
    """Units whose people the person sees in the reports."""
    if user is None:
        return sa.false()
    clauses = [unit_condition(user, *REPORT_ROLES, unit_path=unit.path,
                              organisation_id=unit.organisation_id)]
    if user.led_units:
        clauses.append(managed_units_condition(user, unit_path=unit.path))
    return sa.or_(*clauses)


def sees_whole_organisation(user: User | None) -> bool:
    """HR and admins: they also see evaluations and the project register's leaders."""
    return bool(organisation_ids(user, *REPORT_ROLES))


def organisations_in_reach(user: User | None) -> set[int]:
    if user is None:
        return set()
    return organisation_ids(user, *REPORT_ROLES) | {u.organisation_id for u in user.led_units}


class FilterError(DomainError):
    status = 400


@dataclass(frozen=True)
class Filters:
    """What the reader chose. Every field narrows; none widens the reach."""

    organisation_id: int | None = None
    #: The root of the subtree shown (drilling into a unit).
    unit_id: int | None = None
    #: A leader level (toppleder …) or "none" (employees who lead nobody).
    level: str | None = None
    #: A course slug.
    course: str | None = None
    #: Completions from this day (Oslo) …
    date_from: date | None = None
    #: … up to and including this day.
    date_to: date | None = None

    @property
    def since(self) -> datetime | None:
        return _utc(self.date_from) if self.date_from else None

    @property
    def until(self) -> datetime | None:
        return _utc(self.date_to + timedelta(days=1)) if self.date_to else None

    def as_dict(self) -> dict:
        """For the access log and the exports' filter line."""
        values = {
            "organisation": self.organisation_id, "unit": self.unit_id, "level": self.level,
            "course": self.course,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
        }
        return {k: v for k, v in values.items() if v is not None}

    def query_args(self, **changes) -> dict:
        """The filter as URL arguments (for links that keep it)."""
        values = {"organisasjon": self.organisation_id, "enhet": self.unit_id,
                  "niva": self.level, "kurs": self.course,
                  "fra": self.date_from.isoformat() if self.date_from else None,
                  "til": self.date_to.isoformat() if self.date_to else None}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}


def _utc(day: date) -> datetime:
    return datetime.combine(day, time(0), OSLO).astimezone(UTC)


#: URL argument -> (Norwegian and English names accepted), so the API's ``unit=`` and the
#: pages' ``enhet=`` mean the same.
ARGUMENTS = {
    "organisation_id": ("organisasjon", "organisation"),
    "unit_id": ("enhet", "unit"),
    "level": ("niva", "level"),
    "course": ("kurs", "course"),
    "date_from": ("fra", "from"),
    "date_to": ("til", "to"),
}


def parse_filters(args) -> Filters:
    """Filters from URL arguments (a mapping); bad values give a clear message, never a 500."""

    def get(key: str) -> str | None:
        for name in ARGUMENTS[key]:
            value = (args.get(name) or "").strip()
            if value:
                return value
        return None

    values: dict = {}
    for key, message in (("organisation_id", _l("Ukjent organisasjon.")),
                         ("unit_id", _l("Ukjent enhet."))):
        raw = get(key)
        if raw is not None:
            number = whole_number(raw)
            if number is None:
                raise FilterError("bad_filter", str(message), field=ARGUMENTS[key][0])
            values[key] = number
    level = get("level")
    if level is not None:
        if level not in LEVELS:
            raise FilterError("bad_filter", str(_l("Ukjent ledernivå.")), field="niva")
        values["level"] = level
    course = get("course")
    if course is not None:
        if len(course) > 80:
            raise FilterError("bad_filter", str(_l("Ukjent kurs.")), field="kurs")
        values["course"] = course
    for key in ("date_from", "date_to"):
        raw = get(key)
        if raw is not None:
            try:
                values[key] = date.fromisoformat(raw)
            except ValueError:
                raise FilterError(
                    "bad_filter", str(_l("Datoen må skrives som ÅÅÅÅ-MM-DD.")),
                    field=ARGUMENTS[key][0],
                ) from None
            if not within_calendar(values[key]):
                raise FilterError("bad_filter", str(OUT_OF_RANGE), field=ARGUMENTS[key][0])
    filters = Filters(**values)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise FilterError("bad_filter", str(_l("Fra-datoen er etter til-datoen.")), field="fra")
    return filters

"""The period filter of the results pages (pure; no database).

A period selects offerings by the month they ended, never single answers, so that a
filter always takes or leaves whole offerings (see ``aggregates``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from app.common.numbers import whole_number

OSLO = ZoneInfo("Europe/Oslo")
ALL = "alle"
LAST_12_MONTHS = "12m"


@dataclass(frozen=True)
class Period:
    key: str
    #: Offerings that ended at or after this moment (UTC); None: no lower bound.
    since: datetime | None
    #: Offerings that ended before this moment (UTC); None: no upper bound.
    until: datetime | None


def parse_period(value: str | None, *, now: datetime) -> Period:
    """``alle`` (everything), ``12m`` (the last twelve months) or a year such as ``2026``;
    anything else means everything."""
    if value == LAST_12_MONTHS:
        local = now.astimezone(OSLO)
        # From the first day of this month a year ago (day 1 exists in every month).
        start = local.replace(year=local.year - 1, day=1, hour=0, minute=0, second=0, microsecond=0)
        return Period(LAST_12_MONTHS, start.astimezone(UTC), None)
    year = whole_number(value)
    if year is not None and len(value) == 4 and 2000 <= year <= 2100:
        return Period(
            value,
            datetime(year, 1, 1, tzinfo=OSLO).astimezone(UTC),
            datetime(year + 1, 1, 1, tzinfo=OSLO).astimezone(UTC),
        )
    return Period(ALL, None, None)


def local_month(moment: datetime):
    """The first day of the month (in Oslo) that ``moment`` falls in."""
    return moment.astimezone(OSLO).date().replace(day=1)

"""Days typed by people (in filters and forms), kept within a calendar that every
computation on them can reach.

A filter's day becomes a moment (midnight in Oslo, as UTC) and "up to and including" adds
a day to it; at 0001-01-01 or 9999-12-31 either step leaves what Python's ``date`` holds
(``OverflowError``). Nothing here happened in the year 1 or will in 9999, so a day outside
these years is refused with a message, as a badly written one is.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)

#: What a day outside the calendar is told.
OUT_OF_RANGE = _l("Velg en dato mellom 1900 og 2999.")


def within_calendar(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def in_calendar(_form, field) -> None:
    """WTForms validator: the day of a date (or date and time) field within the calendar."""
    value = field.data
    if isinstance(value, datetime):
        value = value.date()
    if value is not None and not within_calendar(value):
        raise ValidationError(str(OUT_OF_RANGE))

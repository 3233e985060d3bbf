"""When people are asked and reminded (pure; no database).

- First evaluation: opens when the offering has ended; asked only about offerings that
  ended within ``FIRST_REQUEST_WINDOW`` (so that installing the system, or an offering
  registered after the fact, does not e-mail people about courses from long ago).
- Follow-up: opens ``FOLLOW_UP_MONTHS`` calendar months after the first opened.
- Each request can be answered for ``ANSWER_WINDOW``; up to ``MAX_REMINDERS`` reminders,
  ``REMINDER_INTERVAL`` apart, until it is answered or closes.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

FIRST_REQUEST_WINDOW = timedelta(days=30)
FOLLOW_UP_MONTHS = 3
ANSWER_WINDOW = timedelta(weeks=6)
REMINDER_INTERVAL = timedelta(days=7)
MAX_REMINDERS = 2


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` later; the month's last day when it is shorter
    (30 November + 3 months is 28 or 29 February)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def follow_up_opens(first_opened: datetime) -> datetime:
    return add_months(first_opened, FOLLOW_UP_MONTHS)


def closes(opened: datetime) -> datetime:
    return opened + ANSWER_WINDOW


def reminder_due(
    *,
    sent_at: datetime | None,
    last_reminded_at: datetime | None,
    reminders_sent: int,
    answered_at: datetime | None,
    closes_at: datetime,
    now: datetime,
) -> bool:
    """Whether an unanswered, still open request should be reminded now."""
    if answered_at is not None or sent_at is None or now >= closes_at:
        return False
    if reminders_sent >= MAX_REMINDERS:
        return False
    last = last_reminded_at or sent_at
    return now - last >= REMINDER_INTERVAL

"""Calendar invites (RFC 5545 with the iTIP methods of RFC 5546), built with icalendar.

One VEVENT per session, in Europe/Oslo with its VTIMEZONE. The event UID is fixed per
session, so an update (SEQUENCE + 1) or a cancellation replaces the event a calendar
already holds. Pure: plain values in, text out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

OSLO = ZoneInfo("Europe/Oslo")
PRODID = "-//Trondheim kommune//kurs//NO"


@dataclass(frozen=True)
class InviteSession:
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    room: str | None = None
    online_url: str | None = None
    #: A line for the description, already in the recipient's language (the speaker).
    note: str | None = None


def event_uid(session_id: int, domain: str) -> str:
    return f"kurs-session-{session_id}@{domain}"


def build_calendar(
    *,
    method: str,
    sessions: list[InviteSession],
    course_title: str,
    sequence: int,
    domain: str,
    organizer_email: str,
    organizer_name: str | None,
    attendee_email: str,
    attendee_name: str,
    url: str | None,
    location_fallback: str | None,
    stamp: datetime,
) -> str:
    """An iCalendar object with ``method`` REQUEST (invite or update) or CANCEL."""
    if method not in {"REQUEST", "CANCEL"}:
        raise ValueError(f"unsupported iTIP method {method!r}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    for item in sessions:
        event = Event()
        event.add("uid", event_uid(item.id, domain))
        event.add("sequence", sequence)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.starts_at.astimezone(OSLO))
        event.add("dtend", item.ends_at.astimezone(OSLO))
        summary = course_title if item.title == course_title else f"{course_title}: {item.title}"
        event.add("summary", summary)
        location = item.room or location_fallback
        if item.online_url:
            location = f"{location} / {item.online_url}" if location else item.online_url
        if location:
            event.add("location", location)
        description = [x for x in (item.note, item.online_url, url) if x]
        if description:
            event.add("description", "\n".join(description))
        if url:
            event.add("url", url)
        organizer = vCalAddress(f"mailto:{organizer_email}")
        if organizer_name:
            organizer.params["cn"] = vText(organizer_name)
        event.add("organizer", organizer)
        attendee = vCalAddress(f"mailto:{attendee_email}")
        attendee.params["cn"] = vText(attendee_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("ACCEPTED" if method == "REQUEST" else "DECLINED")
        event.add("attendee", attendee)
        event.add("status", "CONFIRMED" if method == "REQUEST" else "CANCELLED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    if sessions:
        # Only the years the sessions span: the full 1970–2038 table is 3 kB of noise.
        first = min(item.starts_at for item in sessions).astimezone(OSLO)
        last = max(item.ends_at for item in sessions).astimezone(OSLO)
        calendar.add_missing_timezones(first_date=date(first.year, 1, 1),
                                       last_date=date(last.year + 1, 1, 1))
    return calendar.to_ical().decode("utf-8")

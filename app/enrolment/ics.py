"""Calendar invites (RFC 5545 with the iTIP methods of RFC 5546), built with icalendar.

One VEVENT per session, in Europe/Oslo with its VTIMEZONE. The event UID is fixed per
session, so an update (SEQUENCE + 1) or a cancellation replaces the event a calendar
already holds. Pure: plain values in, text out.

Everything but the recipient, the SEQUENCE and the DTSTAMP is the same for every
participant of an offering, and building it costs about 1.7 ms with four sessions (most of
it the VTIMEZONE). So the calendar is built once per method and offering as it stands,
with stand-ins for those three properties, and each invite puts its own lines (rendered by
icalendar the same way) in their place: the same text as building it afresh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
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


#: Stand-ins for the properties of one invite, and the kept calendars they stand in.
_STAND_IN = {"sequence": 0, "stamp": datetime(2000, 1, 1, tzinfo=UTC),
             "attendee_email": "attendee@stand-in.invalid", "attendee_name": "Stand-in"}
_PERSONAL = ("SEQUENCE", "DTSTAMP", "ATTENDEE")
_TEMPLATES: dict[tuple, list[str]] = {}
_MAX_TEMPLATES = 256
#: A content line ends at a CRLF that is not followed by the blank of a folded line.
_LINE_END = re.compile(r"\r\n(?![ \t])")


def _property(line: str) -> str:
    return re.split(r"[;:]", line, maxsplit=1)[0]


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
    personal = _personal_lines(method=method, sequence=sequence, stamp=stamp,
                               attendee_email=attendee_email, attendee_name=attendee_name)
    if personal is None:
        return fresh_calendar(
            method=method, sessions=sessions, course_title=course_title, sequence=sequence,
            domain=domain, organizer_email=organizer_email, organizer_name=organizer_name,
            attendee_email=attendee_email, attendee_name=attendee_name, url=url,
            location_fallback=location_fallback, stamp=stamp)
    key = (method, tuple(sessions), course_title, domain, organizer_email, organizer_name,
           url, location_fallback)
    lines = _TEMPLATES.get(key)
    if lines is None:
        text = fresh_calendar(
            method=method, sessions=sessions, course_title=course_title, domain=domain,
            organizer_email=organizer_email, organizer_name=organizer_name, url=url,
            location_fallback=location_fallback, **_STAND_IN)
        lines = _LINE_END.split(text)
        if len(_TEMPLATES) >= _MAX_TEMPLATES:
            _TEMPLATES.clear()
        _TEMPLATES[key] = lines
    return "\r\n".join(personal.get(_property(line), line) for line in lines)


def _personal_lines(*, method: str, sequence: int, stamp: datetime, attendee_email: str,
                    attendee_name: str) -> dict[str, str] | None:
    """The content lines of one invite's own properties, as icalendar renders them in an
    event; None when they would not fit a kept calendar (a stamp outside UTC would bring
    its own time zone)."""
    event = Event()
    _add_stamp(event, sequence=sequence, stamp=stamp)
    _add_attendee(event, method=method, attendee_email=attendee_email,
                  attendee_name=attendee_name)
    lines = {_property(line): line
             for line in _LINE_END.split(event.to_ical().decode("utf-8"))}
    if ";TZID=" in lines["DTSTAMP"]:
        return None
    return {name: lines[name] for name in _PERSONAL}


def _add_stamp(event: Event, *, sequence: int, stamp: datetime) -> None:
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)


def _add_attendee(event: Event, *, method: str, attendee_email: str,
                  attendee_name: str) -> None:
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params["cn"] = vText(attendee_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("ACCEPTED" if method == "REQUEST" else "DECLINED")
    event.add("attendee", attendee)


def fresh_calendar(
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
    """The calendar built afresh, property by property (what ``build_calendar`` keeps)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    for item in sessions:
        event = Event()
        event.add("uid", event_uid(item.id, domain))
        _add_stamp(event, sequence=sequence, stamp=stamp)
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
        _add_attendee(event, method=method, attendee_email=attendee_email,
                      attendee_name=attendee_name)
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

"""Calendar invites: Europe/Oslo with its VTIMEZONE, a stable UID per session, the iTIP
method, and SEQUENCE as given."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from app.enrolment.ics import InviteSession, build_calendar, event_uid, fresh_calendar


def invite(method="REQUEST", sequence=0, sessions=None):
    sessions = sessions or [
        InviteSession(7, "Prosjektplanlegging", datetime(2027, 6, 1, 7, tzinfo=UTC),
                      datetime(2027, 6, 1, 9, 30, tzinfo=UTC), room="Rådhuset, sal 1",
                      note="Foredragsholder: Kari Rønning"),
        InviteSession(8, "Risikoanalyse", datetime(2027, 6, 2, 7, tzinfo=UTC),
                      datetime(2027, 6, 2, 9, tzinfo=UTC), online_url="https://teams.example/x"),
    ]
    text = build_calendar(
        method=method, sessions=sessions, course_title="Prosjektledersamling",
        sequence=sequence, domain="kurs.example", organizer_email="ola@example.org",
        organizer_name="Ola Strand", attendee_email="kari@example.org",
        attendee_name="Kari Nordmann", url="https://kurs.example/tilbud/3",
        location_fallback="Trondheim", stamp=datetime(2027, 5, 1, tzinfo=UTC),
    )
    return text, Calendar.from_ical(text)


def test_an_invite_has_one_event_per_session_in_norwegian_time_with_stable_uids():
    text, calendar = invite()
    assert calendar["METHOD"] == "REQUEST"
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [event_uid(7, "kurs.example"),
                                               event_uid(8, "kurs.example")]
    start = events[0].decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Oslo"
    assert (start.hour, start.minute) == (9, 0)  # 07:00 UTC is 09:00 in Norwegian summer
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Oslo" in text
    assert events[0]["LOCATION"] == "Rådhuset, sal 1"
    assert "teams.example" in str(events[1]["LOCATION"])
    assert str(events[0]["ORGANIZER"]) == "mailto:ola@example.org"
    assert "Kari Rønning" in str(events[0]["DESCRIPTION"])


def test_an_update_carries_the_sequence_it_is_given_and_a_cancellation_cancels():
    _text, update = invite(sequence=3)
    assert {int(e["SEQUENCE"]) for e in update.walk("VEVENT")} == {3}
    _text, cancel = invite(method="CANCEL", sequence=4)
    assert cancel["METHOD"] == "CANCEL"
    assert {str(e["STATUS"]) for e in cancel.walk("VEVENT")} == {"CANCELLED"}


def test_only_request_and_cancel_are_built():
    with pytest.raises(ValueError, match="PUBLISH"):
        invite(method="PUBLISH")


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_a_kept_calendar_gives_each_person_the_text_a_fresh_one_would(method):
    sessions = [
        InviteSession(7, "Prosjektplanlegging", datetime(2027, 6, 1, 7, tzinfo=UTC),
                      datetime(2027, 6, 1, 9, 30, tzinfo=UTC), room="Rådhuset, sal 1",
                      note="Foredragsholder: Kari Rønning"),
        InviteSession(8, "Risikoanalyse", datetime(2027, 11, 2, 8, tzinfo=UTC),
                      datetime(2027, 11, 2, 9, tzinfo=UTC), online_url="https://teams.example/x"),
    ]
    common = {"method": method, "sessions": sessions, "course_title": "Prosjektledersamling",
              "domain": "kurs.example", "organizer_email": "ola@example.org",
              "organizer_name": "Ola Strand", "url": "https://kurs.example/tilbud/3",
              "location_fallback": "Trondheim"}
    people = [
        ("kari@example.org", "Kari Nordmann", 1, datetime(2027, 5, 1, 10, 11, 12, tzinfo=UTC)),
        # Quoted in the parameter (a comma, a colon), and long enough to be folded.
        ("aase.oedegaard-haugen@example.org", "Åse Ødegaard-Haugen, sykehjem: Byåsen " * 3,
         7, datetime(2027, 5, 2, 23, 59, 59, 999999, tzinfo=UTC)),
        ("per@example.org", 'Per "Pelle" Hansen; vikar', 0,
         datetime(2027, 5, 3, tzinfo=ZoneInfo("Europe/Oslo"))),
    ]
    for email, name, sequence, stamp in people:
        personal = {"attendee_email": email, "attendee_name": name, "sequence": sequence,
                    "stamp": stamp}
        kept = build_calendar(**common, **personal)
        assert kept == fresh_calendar(**common, **personal)
        assert Calendar.from_ical(kept).walk("VEVENT")[0]["ATTENDEE"].params["CN"] == name

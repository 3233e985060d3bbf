"""Organisers plan offerings: settings, sessions, publishing, copying, cancelling; and
participants hear about every change that touches their calendar."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from icalendar import Calendar

from app.enrolment.models import CourseSession, Enrolment, Offering
from app.orm import utcnow
from app.outbox.models import OutboxEmail
from tests.enrolment.builders import make_course, make_enrolment, make_offering
from tests.factories import make_org, make_unit, make_user


def organiser_and_course(session):
    org = make_org(session)
    organiser = make_user(session, org=org, roles=["organiser"], name="Ola Strand")
    course = make_course(session, org=org, title="Prosjektledersamling", kind="seminar")
    return organiser, course


def offering_of(session, offering_id):
    session.expire_all()
    return session.get(Offering, offering_id)


def test_an_organiser_creates_an_offering_adds_sessions_and_publishes_it(web, session,
                                                                         login_as):
    organiser, course = organiser_and_course(session)
    login_as(organiser)
    response = web.post(f"/forvaltning/kurs/{course.slug}/tilbud/ny", {
        "title": "Høst 2027", "format": "in_person", "location": "Rådhuset",
        "capacity": "40", "cancel_deadline_at": "2027-10-01T12:00",
        "contact_name": "Ola Strand", "contact_email": "ola@example.org",
    })
    offering_id = int(response.headers["Location"].rsplit("/", 1)[1])
    for day, title in (("2027-10-12", "Prosjektplanlegging"), ("2027-10-13", "Risikoanalyse")):
        web.post(f"/forvaltning/tilbud/{offering_id}/okter/ny", {
            "title": title, "day": day, "start_time": "09:00", "end_time": "11:30",
            "room": "Sal 1", "mandatory": "y"})
    web.post(f"/forvaltning/tilbud/{offering_id}/status", {"status": "published"})
    offering = offering_of(session, offering_id)
    assert offering.status == "published"
    assert [s.title for s in offering.sessions] == ["Prosjektplanlegging", "Risikoanalyse"]
    # 09:00 in Norway in October is 07:00 UTC; the period follows the sessions.
    assert offering.starts_at.hour == 7 and offering.starts_at.day == 12
    assert offering.ends_at.day == 13
    assert offering.cancel_deadline_at.hour == 10  # 12:00 Norwegian summer time


def test_bad_input_is_explained_on_the_form_and_nothing_is_saved(web, session, login_as):
    organiser, course = organiser_and_course(session)
    offering = make_offering(session, course=course)
    login_as(organiser)
    response = web.post(f"/forvaltning/tilbud/{offering.id}/okter/ny", {
        "title": "Baklengs", "day": "2027-10-12", "start_time": "11:00", "end_time": "09:00"})
    assert response.status_code == 200
    assert "Økten må slutte etter at den starter." in response.get_data(as_text=True)
    response = web.post(f"/forvaltning/kurs/{course.slug}/tilbud/ny", {
        "format": "in_person", "capacity": "-3"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Antall plasser: Tall må være mellom 0 og 100000." in page
    assert session.scalar(sa.select(sa.func.count()).select_from(CourseSession)
                          .where(CourseSession.title == "Baklengs")) == 0


def test_moving_a_session_sends_everyone_with_a_seat_an_updated_invite(web, session, login_as):
    organiser, course = organiser_and_course(session)
    offering = make_offering(session, course=course, sessions=1)
    unit = make_unit(session, org=course.organisation)
    seated = make_user(session, unit=unit)
    waiting = make_user(session, unit=unit)
    make_enrolment(session, offering, seated)
    make_enrolment(session, offering, waiting, status="waitlisted")
    item = offering.sessions[0]
    login_as(organiser)
    response = web.post(f"/forvaltning/okter/{item.id}", {
        "title": item.title, "day": "2030-05-06", "start_time": "10:00", "end_time": "12:00",
        "room": "Nytt rom", "mandatory": "y"}, follow_redirects=True)
    assert "1 deltakere har fått oppdatert kalenderinvitasjon." in response.get_data(
        as_text=True)
    sent = session.scalars(sa.select(OutboxEmail).where(OutboxEmail.user_id.in_(
        [seated.id, waiting.id]))).all()
    assert [m.user_id for m in sent] == [seated.id]
    (event,) = Calendar.from_ical(sent[0].calendar).walk("VEVENT")
    assert str(event["UID"]).startswith(f"kurs-session-{item.id}@")
    assert int(event["SEQUENCE"]) == 1 and event["LOCATION"] == "Nytt rom"


def test_raising_the_capacity_promotes_from_the_waitlist_and_lowering_below_taken_is_refused(
        web, session, login_as):
    organiser, course = organiser_and_course(session)
    offering = make_offering(session, course=course, capacity=1)
    unit = make_unit(session, org=course.organisation)
    make_enrolment(session, offering, make_user(session, unit=unit))
    waiting = make_enrolment(session, offering, make_user(session, unit=unit),
                             status="waitlisted")
    login_as(organiser)
    form = {"title": "", "format": "in_person", "location": "Rådhuset"}
    response = web.post(f"/forvaltning/tilbud/{offering.id}", {**form, "capacity": "0"})
    assert "1 personer har allerede plass" in response.get_data(as_text=True)
    web.post(f"/forvaltning/tilbud/{offering.id}", {**form, "capacity": "2"})
    assert session.scalar(sa.select(Enrolment.status).where(Enrolment.id == waiting.id)) \
        == "enrolled"
    assert offering_of(session, offering.id).taken == 2


def test_a_copy_moves_the_sessions_to_the_new_date_as_a_draft(web, session, login_as):
    organiser, course = organiser_and_course(session)
    offering = make_offering(session, course=course, sessions=2, status="published")
    login_as(organiser)
    new_day = (offering.starts_at + timedelta(days=70)).date()
    response = web.post(f"/forvaltning/tilbud/{offering.id}/kopier",
                        {"starts_on": new_day.isoformat()})
    copy = offering_of(session, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert copy.status == "draft" and copy.taken == 0
    assert [s.starts_at - offering.starts_at for s in copy.sessions] == [
        timedelta(days=70), timedelta(days=71)]


def test_a_copy_to_a_day_outside_the_calendar_is_refused_with_a_message(web, session,
                                                                         login_as):
    organiser, course = organiser_and_course(session)
    offering = make_offering(session, course=course, sessions=2, status="published")
    login_as(organiser)
    for day in ("9999-12-31", "0001-01-01"):
        response = web.post(f"/forvaltning/tilbud/{offering.id}/kopier", {"starts_on": day})
        assert response.status_code == 200, day
        assert "Velg en dato mellom 1900 og 2999." in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(Offering.id))) == 1


def test_cancelling_an_offering_tells_everyone_and_frees_every_seat(web, session, login_as):
    organiser, course = organiser_and_course(session)
    offering = make_offering(session, course=course, capacity=1)
    unit = make_unit(session, org=course.organisation)
    seated = make_enrolment(session, offering, make_user(session, unit=unit))
    waiting = make_enrolment(session, offering, make_user(session, unit=unit),
                             status="waitlisted")
    login_as(organiser)
    response = web.post(f"/forvaltning/tilbud/{offering.id}/avlys", {"reason": ""})
    assert response.status_code == 200  # a reason is required
    web.post(f"/forvaltning/tilbud/{offering.id}/avlys", {"reason": "For få påmeldte"})
    assert offering_of(session, offering.id).status == "cancelled"
    assert offering_of(session, offering.id).taken == 0
    methods = dict(session.execute(sa.select(OutboxEmail.user_id, OutboxEmail.calendar_method)
                                   ).all())
    assert methods == {seated.user_id: "CANCEL", waiting.user_id: None}


def test_an_organiser_of_another_organisation_cannot_touch_the_offering(web, session, login_as):
    _organiser, course = organiser_and_course(session)
    offering = make_offering(session, course=course)
    login_as(make_user(session, roles=["organiser"]))
    assert web.get(f"/forvaltning/tilbud/{offering.id}").status_code == 404
    assert web.post(f"/forvaltning/tilbud/{offering.id}/status",
                    {"status": "draft"}).status_code == 404
    assert offering_of(session, offering.id).status == "published"


def test_one_calendar_event_is_updated_through_room_and_link_changes_then_cancelled(
        web, session, login_as, outbox):
    """The invite a participant got is the event every later message changes: the same
    UID each time, SEQUENCE one higher with each update, and METHOD:CANCEL at the end."""
    organiser, course = organiser_and_course(session)
    # A morning session, so that its three hours end on the day they start whatever the
    # time of day the test runs.
    morning = datetime.combine(utcnow().date(), time(8), tzinfo=UTC)
    offering = make_offering(session, course=course, sessions=1, capacity=5, now=morning)
    item = offering.sessions[0]
    kari = make_user(session, unit=make_unit(session, org=course.organisation))
    login_as(kari)
    web.post(f"/tilbud/{offering.id}/pamelding", page=f"/tilbud/{offering.id}")
    (invite,) = outbox.events(outbox.last(kari.email))
    assert outbox.last(kari.email).calendar_method == "REQUEST"
    uid, first = str(invite["UID"]), int(invite["SEQUENCE"])

    login_as(organiser)
    day = item.starts_at.astimezone(ZoneInfo("Europe/Oslo"))
    form = {"title": item.title, "day": day.date().isoformat(),
            "start_time": day.strftime("%H:%M"),
            "end_time": (day + timedelta(hours=3)).strftime("%H:%M"), "mandatory": "y"}
    seen = []
    for change in ({"room": "Bystyresalen"},
                   {"room": "Bystyresalen", "online_url": "https://møte.example/abc"}):
        web.post(f"/forvaltning/okter/{item.id}", {**form, **change})
        message = outbox.last(kari.email)
        (event,) = outbox.events(message)
        seen.append((message.calendar_method, str(event["UID"]), int(event["SEQUENCE"]),
                     str(event["LOCATION"])))
    assert seen == [
        ("REQUEST", uid, first + 1, "Bystyresalen"),
        ("REQUEST", uid, first + 2, "Bystyresalen / https://møte.example/abc"),
    ]
    web.post(f"/forvaltning/okter/{item.id}", {**form, "room": "Bystyresalen",
                                                "online_url": "https://møte.example/abc",
                                                "speaker": "Jon Moe"})
    assert len(outbox.to(kari.email)) == 3  # a new speaker changes no calendar

    web.post(f"/forvaltning/tilbud/{offering.id}/avlys", {"reason": "Sykdom"})
    message = outbox.last(kari.email)
    (event,) = outbox.events(message)
    assert (message.calendar_method, str(event["UID"]), int(event["SEQUENCE"])) == (
        "CANCEL", uid, first + 3)
    assert str(event["STATUS"]) == "CANCELLED" and "Sykdom" in message.body_text

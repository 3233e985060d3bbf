"""Enrolling, cancelling and the waitlist, through the services the pages and the API
share."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.enrolment import services
from app.enrolment.access import may_decide
from app.enrolment.models import Enrolment, EnrolmentStatus, Offering
from app.enrolment.seats import waitlist_position
from app.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from app.orm import utcnow
from tests.enrolment.builders import make_course, make_enrolment, make_offering
from tests.factories import make_org, make_unit, make_user

pytestmark = pytest.mark.usefixtures("ctx")


def offering_with_people(session, n, capacity=2, **kw):
    org = make_org(session)
    unit = make_unit(session, org=org)
    offering = make_offering(session, org=org, capacity=capacity, **kw)
    people = [make_user(session, unit=unit, name=f"Person {i}") for i in range(n)]
    return offering, people


def enrol(session, offering, person, **kw):
    return services.enrol(session, actor=kw.pop("actor", person), offering=offering,
                          person=person, now=kw.pop("now", utcnow()), **kw)


def test_enrolling_takes_a_seat_and_sends_an_invite_in_the_persons_language(session, outbox):
    offering, (kari,) = offering_with_people(session, 1)
    kari.locale = "en"
    enrolment = enrol(session, offering, kari)
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert session.get(Offering, offering.id).taken == 1
    message = outbox.last(kari.email)
    assert message.subject == f"Enrolled: {offering.course.title}"
    assert "You are enrolled" in message.body_text
    assert message.calendar_method == "REQUEST"
    assert [str(e["STATUS"]) for e in outbox.events(message)] == ["CONFIRMED"]


def test_a_full_offering_puts_people_on_the_waitlist_in_order_and_says_their_place(
        session, outbox):
    offering, people = offering_with_people(session, 4, capacity=2)
    start = utcnow()
    results = [enrol(session, offering, p, now=start + timedelta(seconds=i))
               for i, p in enumerate(people)]
    assert [r.status for r in results] == ["enrolled", "enrolled", "waitlisted", "waitlisted"]
    assert [waitlist_position(session, r) for r in results[2:]] == [1, 2]
    assert session.get(Offering, offering.id).taken == 2
    message = outbox.last(people[3].email)
    assert "nummer 2 på ventelisten" in message.body_text
    assert message.calendar is None  # no seat, no invite


def test_each_message_has_its_own_name_and_place_and_the_offering_as_it_is_when_queued(
        session, outbox):
    """Bodies are rendered once per offering and language (app/enrolment/mail.py): the
    next message after a change shows the change, and each names its own person."""
    from app.enrolment import mail

    offering, people = offering_with_people(session, 4, capacity=1)
    start = utcnow()

    def next_one(i):
        enrol(session, offering, people[i], now=start + timedelta(seconds=i))
        return outbox.last(people[i].email).body_text

    next_one(0)
    second = next_one(1)
    offering.location = "Storsalen"
    session.flush()
    third = next_one(2)
    offering.sessions[0].room = "Rom 2"
    session.flush()
    fourth = next_one(3)
    assert "Person 1" in second and "nummer 1 på ventelisten" in second
    assert "Rådhuset" in second and "Storsalen" not in second
    assert "Person 2" in third and "nummer 2 på ventelisten" in third
    assert "Storsalen" in third and "Person 1" not in third and "Rom 2" not in third
    assert "Person 3" in fourth and "nummer 3 på ventelisten" in fourth and "Rom 2" in fourth
    mail._BODIES.clear()
    last = session.scalar(sa.select(Enrolment).where(Enrolment.user_id == people[3].id))
    mail.notify(session, enrolment=last, kind="waitlisted", now=utcnow(), position=3)
    assert outbox.last(people[3].email).body_text == fourth


def test_the_enrolment_returned_is_the_row_stored_with_its_offering_and_person(
        session, count_queries):
    offering, (kari, ola) = offering_with_people(session, 2, capacity=1)
    enrolled = enrol(session, offering, kari)
    waiting = enrol(session, offering, ola, actor=ola)
    columns = [c.key for c in sa.inspect(Enrolment).columns]
    with count_queries() as q:
        held = [{key: getattr(e, key) for key in columns} | {"offering": e.offering,
                                                             "user": e.user}
                for e in (enrolled, waiting)]
    assert q.count == 0  # nothing is loaded again
    assert [h["status"] for h in held] == ["enrolled", "waitlisted"]
    assert [(h["offering"], h["user"]) for h in held] == [(offering, kari), (offering, ola)]
    session.expire_all()
    stored = [{key: getattr(e, key) for key in columns} for e in (enrolled, waiting)]
    assert stored == [{key: h[key] for key in columns} for h in held]
    # The calendar invite raised the sequence of the enrolled one only.
    assert [s["ics_sequence"] for s in stored] == [1, 0]


def test_enrolling_twice_is_refused_with_409_and_changes_nothing(session):
    offering, (kari,) = offering_with_people(session, 1)
    enrol(session, offering, kari)
    with pytest.raises(ConflictError) as error:
        enrol(session, offering, kari)
    assert error.value.status == 409
    assert error.value.code == "already_enrolled"
    assert session.get(Offering, offering.id).taken == 1


def test_a_closed_window_a_cancelled_offering_and_a_draft_refuse_self_enrolment(session):
    now = utcnow()
    offering, (kari,) = offering_with_people(session, 1, enrol_closes_at=now)
    with pytest.raises(DomainError, match="stengt"):
        enrol(session, offering, kari, now=now)
    offering.enrol_closes_at = None
    offering.enrol_opens_at = now + timedelta(days=1)
    with pytest.raises(DomainError, match="åpner") as error:
        enrol(session, offering, kari, now=now)
    assert error.value.code == "enrolment_not_open"
    offering.enrol_opens_at = None
    offering.status = "cancelled"
    with pytest.raises(DomainError, match="avlyst"):
        enrol(session, offering, kari, now=now)
    offering.status = "draft"
    with pytest.raises(NotFoundError):
        enrol(session, offering, kari, now=now)
    assert session.scalar(sa.select(sa.func.count()).select_from(Enrolment)
                          .where(Enrolment.offering_id == offering.id)) == 0


def test_people_of_another_organisation_enrol_only_in_offerings_open_to_partners(session):
    offering, _people = offering_with_people(session, 0)
    outsider = make_user(session)
    with pytest.raises(NotFoundError):
        enrol(session, offering, outsider)
    offering.open_to_partners = True
    assert enrol(session, offering, outsider).status == EnrolmentStatus.ENROLLED


def test_cancelling_gives_the_seat_to_the_first_waitlisted_who_is_told(session, outbox):
    offering, (anne, bjorn, cato, dina) = offering_with_people(session, 4, capacity=1)
    start = utcnow()
    enrol(session, offering, anne, now=start)
    # Dina asked before Cato: the waitlist goes by the time of asking, then by id.
    enrol(session, offering, dina, now=start + timedelta(seconds=1))
    enrol(session, offering, cato, now=start + timedelta(seconds=2))
    enrol(session, offering, bjorn, now=start + timedelta(seconds=2))
    mine = session.scalar(sa.select(Enrolment).where(Enrolment.user_id == anne.id))
    invite_uid = str(outbox.events(outbox.last(anne.email))[0]["UID"])

    services.cancel(session, actor=anne, enrolment=mine, now=start + timedelta(seconds=3))

    statuses = dict(session.execute(sa.select(Enrolment.user_id, Enrolment.status)
                                    .where(Enrolment.offering_id == offering.id)).all())
    assert statuses == {anne.id: "cancelled", dina.id: "enrolled", cato.id: "waitlisted",
                        bjorn.id: "waitlisted"}
    assert session.get(Offering, offering.id).taken == 1
    cancel = outbox.last(anne.email)
    assert cancel.calendar_method == "CANCEL"
    (event,) = outbox.events(cancel)
    assert str(event["UID"]) == invite_uid and int(event["SEQUENCE"]) == 2
    told = outbox.last(dina.email)
    assert told.subject.startswith("Du har fått plass")
    assert told.calendar_method == "REQUEST"


def test_cancelling_a_waitlist_place_or_a_request_moves_no_seat(session):
    offering, (anne, bjorn) = offering_with_people(session, 2, capacity=1)
    enrol(session, offering, anne)
    waiting = enrol(session, offering, bjorn)
    services.cancel(session, actor=bjorn, enrolment=waiting, now=utcnow())
    assert waiting.status == EnrolmentStatus.CANCELLED
    assert session.get(Offering, offering.id).taken == 1


def test_after_the_deadline_a_participant_is_told_whom_to_contact_and_an_organiser_may_cancel(
        session):
    now = utcnow()
    offering, (kari,) = offering_with_people(session, 1, cancel_deadline_at=now + timedelta(
        hours=1), contact_name="Ola Strand", contact_email="ola@example.org")
    mine = enrol(session, offering, kari, now=now)
    with pytest.raises(DomainError, match="Kontakt Ola Strand") as error:
        services.cancel(session, actor=kari, enrolment=mine, now=now + timedelta(hours=2))
    assert error.value.code == "cancel_deadline_passed"
    assert mine.status == EnrolmentStatus.ENROLLED
    organiser = make_user(session, org=offering.organisation, roles=["organiser"])
    services.cancel(session, actor=organiser, enrolment=mine, now=now + timedelta(hours=2),
                    reason="Syk")
    assert (mine.status, mine.reason) == (EnrolmentStatus.CANCELLED, "Syk")


def test_enrolling_again_after_cancelling_reuses_the_row_at_the_end_of_the_queue(session):
    offering, (kari,) = offering_with_people(session, 1)
    first = enrol(session, offering, kari)
    services.cancel(session, actor=kari, enrolment=first, now=utcnow())
    later = utcnow() + timedelta(minutes=5)
    again = enrol(session, offering, kari, now=later)
    assert again.id == first.id
    assert (again.status, again.requested_at) == (EnrolmentStatus.ENROLLED, later)
    assert session.get(Offering, offering.id).taken == 1


def test_someone_elses_enrolment_cannot_be_cancelled(session):
    offering, (anne, bjorn) = offering_with_people(session, 2)
    hers = enrol(session, offering, anne)
    with pytest.raises(NotFoundError):
        services.cancel(session, actor=bjorn, enrolment=hers, now=utcnow())
    assert hers.status == EnrolmentStatus.ENROLLED


def approval_setup(session, capacity=5):
    org = make_org(session)
    unit = make_unit(session, org=org, name="Hjemmetjenesten")
    team = make_unit(session, parent=unit, name="Team Nardo")
    leader = make_user(session, unit=unit, leader_level="mellomleder", name="Ingrid Leder")
    unit.manager_id = leader.id
    worker = make_user(session, unit=team, name="Ola Ansatt")
    offering = make_offering(session, org=org, capacity=capacity, requires_approval=True)
    return offering, leader, worker


def test_an_offering_with_approval_makes_a_request_that_holds_no_seat_and_asks_the_leader(
        session, outbox):
    offering, leader, worker = approval_setup(session)
    request = enrol(session, offering, worker)
    assert request.status == EnrolmentStatus.REQUESTED
    assert session.get(Offering, offering.id).taken == 0
    asked = outbox.last(leader.email)
    assert "Ola Ansatt" in asked.subject
    assert f"/godkjenninger/{request.id}" in asked.body_text
    assert "godkjennes av lederen din" in outbox.last(worker.email).body_text


def test_the_leader_approves_into_a_seat_or_onto_the_waitlist_when_full(session, outbox):
    offering, leader, worker = approval_setup(session, capacity=1)
    request = enrol(session, offering, worker)
    services.approve(session, actor=leader, enrolment=request, now=utcnow())
    assert request.status == EnrolmentStatus.ENROLLED
    assert request.decided_by_id == leader.id
    other = make_user(session, unit=worker.unit)
    second = enrol(session, offering, other)
    services.approve(session, actor=leader, enrolment=second, now=utcnow())
    assert second.status == EnrolmentStatus.WAITLISTED
    assert session.get(Offering, offering.id).taken == 1
    with pytest.raises(ConflictError):
        services.approve(session, actor=leader, enrolment=second, now=utcnow())


def test_a_decline_needs_a_reason_which_the_requester_is_told(session, outbox):
    offering, leader, worker = approval_setup(session)
    request = enrol(session, offering, worker)
    with pytest.raises(DomainError) as error:
        services.decline(session, actor=leader, enrolment=request, reason="  ", now=utcnow())
    assert error.value.field == "reason"
    services.decline(session, actor=leader, enrolment=request, reason="Turnus den uka",
                     now=utcnow())
    assert request.status == EnrolmentStatus.DECLINED
    assert "Turnus den uka" in outbox.last(worker.email).body_text


def test_only_the_requesters_leader_or_an_organiser_decides_and_never_oneself(session):
    offering, leader, worker = approval_setup(session)
    request = enrol(session, offering, worker)
    colleague = make_user(session, unit=worker.unit)
    for stranger in (colleague, worker):
        with pytest.raises(NotFoundError):
            services.approve(session, actor=stranger, enrolment=request, now=utcnow())
    organiser = make_user(session, org=offering.organisation, roles=["organiser"])
    services.approve(session, actor=organiser, enrolment=request, now=utcnow())
    assert request.status == EnrolmentStatus.ENROLLED


def test_hr_and_other_organisations_never_decide_but_a_leader_higher_up_does(session):
    """Who decides a request (issue 4): the requester's leader, via the unit tree, or an
    organiser or admin of the organisation that runs the offering. HR of that organisation
    manages the participant list, yet does not decide; nor does anyone of another
    organisation, whatever their role."""
    org = make_org(session)
    sector = make_unit(session, org=org, name="Helse og velferd")
    unit = make_unit(session, parent=sector, name="Hjemmetjenesten")
    team = make_unit(session, parent=unit, name="Team Nardo")
    director = make_user(session, unit=sector, leader_level="toppleder")
    leader = make_user(session, unit=unit, leader_level="mellomleder")
    sector.manager_id, unit.manager_id = director.id, leader.id
    worker = make_user(session, unit=team)
    offering = make_offering(session, org=org, requires_approval=True)
    request = enrol(session, offering, worker)
    hr = make_user(session, org=org, roles=["hr"])
    outsider = make_user(session, roles=["organiser", "admin", "hr"])
    for stranger in (hr, outsider):
        assert not may_decide(session, stranger, request)
        with pytest.raises(NotFoundError):
            services.approve(session, actor=stranger, enrolment=request, now=utcnow())
        with pytest.raises(NotFoundError):
            services.decline(session, actor=stranger, enrolment=request, reason="Nei",
                             now=utcnow())
    assert request.status == EnrolmentStatus.REQUESTED
    assert may_decide(session, leader, request) and may_decide(session, director, request)
    services.approve(session, actor=director, enrolment=request, now=utcnow())
    assert request.status == EnrolmentStatus.ENROLLED


def test_a_leader_enrols_their_own_people_without_approval_but_nobody_else(session):
    offering, leader, worker = approval_setup(session)
    enrolment = services.enrol(session, actor=leader, offering=offering, person=worker,
                               now=utcnow())
    assert enrolment.status == EnrolmentStatus.ENROLLED
    stranger = make_user(session, org=offering.organisation)
    with pytest.raises(ForbiddenError):
        services.enrol(session, actor=leader, offering=offering, person=stranger,
                       now=utcnow())


def test_an_organiser_enrols_anyone_even_into_a_past_offering_but_respects_capacity(session):
    offering, (anne, bjorn) = offering_with_people(session, 2, capacity=1,
                                                   starts_in=timedelta(days=-3))
    organiser = make_user(session, org=offering.organisation, roles=["organiser"])
    first = services.enrol(session, actor=organiser, offering=offering, person=anne,
                           now=utcnow())
    second = services.enrol(session, actor=organiser, offering=offering, person=bjorn,
                            now=utcnow())
    assert (first.status, second.status) == ("enrolled", "waitlisted")


def test_hr_enrols_only_the_people_in_its_reach(session):
    org = make_org(session)
    sector, other = make_unit(session, org=org), make_unit(session, org=org)
    hr = make_user(session, org=org, roles=[("hr", sector)])
    inside, outside = make_user(session, unit=sector), make_user(session, unit=other)
    offering = make_offering(session, org=org)
    assert services.enrol(session, actor=hr, offering=offering, person=inside,
                          now=utcnow()).status == "enrolled"
    with pytest.raises(ForbiddenError):
        services.enrol(session, actor=hr, offering=offering, person=outside, now=utcnow())


def test_an_organiser_gives_a_waitlisted_person_a_free_seat_or_is_told_it_is_full(session):
    offering, (anne, bjorn) = offering_with_people(session, 2, capacity=1)
    organiser = make_user(session, org=offering.organisation, roles=["organiser"])
    enrol(session, offering, anne)
    waiting = enrol(session, offering, bjorn)
    with pytest.raises(DomainError, match="fullt"):
        services.give_seat(session, actor=organiser, enrolment=waiting, now=utcnow())
    offering.capacity = 2
    session.flush()
    services.give_seat(session, actor=organiser, enrolment=waiting, now=utcnow())
    assert waiting.status == "enrolled"
    assert session.get(Offering, offering.id).taken == 2


def test_moving_someone_to_the_waitlist_gives_their_seat_to_the_first_in_line(session,
                                                                               outbox):
    offering, (anne, bjorn) = offering_with_people(session, 2, capacity=1)
    organiser = make_user(session, org=offering.organisation, roles=["organiser"])
    seated = enrol(session, offering, anne)
    with pytest.raises(DomainError) as error:
        services.move_to_waitlist(session, actor=organiser, enrolment=seated, now=utcnow())
    assert error.value.code == "nobody_waiting"
    waiting = enrol(session, offering, bjorn)
    services.move_to_waitlist(session, actor=organiser, enrolment=seated,
                              now=utcnow() + timedelta(seconds=1))
    assert (seated.status, waiting.status) == ("waitlisted", "enrolled")
    assert waitlist_position(session, seated) == 1
    assert outbox.last(anne.email).calendar_method == "CANCEL"
    assert session.get(Offering, offering.id).taken == 1


def test_a_no_show_is_recorded_only_after_the_start_and_frees_the_seat(session):
    offering, (anne,) = offering_with_people(session, 1)
    organiser = make_user(session, org=offering.organisation, roles=["organiser"])
    seated = enrol(session, offering, anne)
    with pytest.raises(DomainError, match="startet"):
        services.mark_no_show(session, actor=organiser, enrolment=seated, now=utcnow())
    services.mark_no_show(session, actor=organiser, enrolment=seated,
                          now=offering.starts_at + timedelta(hours=1))
    assert seated.status == EnrolmentStatus.NO_SHOW
    assert session.get(Offering, offering.id).taken == 0


def test_a_seat_freed_after_the_start_is_not_given_to_the_waitlist(session):
    offering, (anne, bjorn) = offering_with_people(session, 2, capacity=1)
    organiser = make_user(session, org=offering.organisation, roles=["organiser"])
    seated = enrol(session, offering, anne)
    waiting = enrol(session, offering, bjorn)
    services.cancel(session, actor=organiser, enrolment=seated,
                    now=offering.starts_at + timedelta(minutes=5), reason="Syk")
    assert waiting.status == EnrolmentStatus.WAITLISTED
    assert session.get(Offering, offering.id).taken == 0


def test_make_enrolment_builder_keeps_taken_in_step(session):
    course = make_course(session)
    offering = make_offering(session, course=course)
    make_enrolment(session, offering, make_user(session, org=course.organisation))
    assert offering.taken == 1

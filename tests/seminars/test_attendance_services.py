"""Attendance writes: a single mark with its version check, the one-statement bulk write,
"mark the rest absent", walk-ins and external participants; every write reaches the one
hook where completion is checked."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.errors import ConflictError, DomainError, NotFoundError
from app.orm import utcnow
from app.seminars import services
from app.seminars.models import Attendance, AttendanceMethod, AttendanceStatus, WalkIn
from app.seminars.services import PersonRef
from tests.factories import make_user
from tests.seminars.builders import enrol, enrol_many, make_seminar, organiser_of

P, L, E, A = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED,
              AttendanceStatus.ABSENT)


@pytest.fixture
def hook_calls(monkeypatch):
    """Every call of the attendance hook: (offering id, user ids)."""
    calls = []
    original = services._after_attendance_change

    def record(session, *, offering, user_ids, now):
        user_ids = list(user_ids)
        calls.append((offering.id, sorted(user_ids)))
        return original(session, offering=offering, user_ids=user_ids, now=now)

    monkeypatch.setattr(services, "_after_attendance_change", record)
    return calls


def rows(session, course_session):
    return {a.user_id or f"p{a.participant_id}": a for a in session.scalars(
        sa.select(Attendance).where(Attendance.session_id == course_session.id)
        .execution_options(populate_existing=True))}


def test_a_first_mark_creates_version_one_and_a_change_bumps_it(session, hook_calls):
    offering = make_seminar(session)
    [s] = offering.sessions
    organiser = organiser_of(session, offering)
    [kari] = enrol_many(session, offering, 1)
    ref = PersonRef("user", kari.id)
    first = services.mark(session, actor=organiser, course_session=s, person=ref, status=P,
                          seen_version=0, now=utcnow())
    assert (first.status, first.version, first.method) == (P, 1, AttendanceMethod.MANUAL)
    second = services.mark(session, actor=organiser, course_session=s, person=ref, status=L,
                           seen_version=1, now=utcnow())
    assert (second.status, second.version) == (L, 2)
    assert hook_calls == [(offering.id, [kari.id]), (offering.id, [kari.id])]


def test_a_mark_on_a_stale_version_is_a_conflict_carrying_the_current_value(session):
    offering = make_seminar(session)
    [s] = offering.sessions
    ola = organiser_of(session, offering, name="Ola Strand")
    kari_org = organiser_of(session, offering, name="Kari Vik")
    [person] = enrol_many(session, offering, 1)
    ref = PersonRef("user", person.id)
    services.mark(session, actor=ola, course_session=s, person=ref, status=P, seen_version=0,
                  now=utcnow())
    # Kari still sees the person unmarked and taps "absent": Ola's mark must not be lost.
    with pytest.raises(ConflictError) as raised:
        services.mark(session, actor=kari_org, course_session=s, person=ref, status=A,
                      seen_version=0, now=utcnow())
    assert raised.value.detail["current"]["status"] == "present"
    assert raised.value.detail["current"]["recorded_by"] == "Ola Strand"
    assert rows(session, s)[person.id].status == P


def test_marking_the_status_already_set_changes_nothing_even_from_an_old_screen(session):
    offering = make_seminar(session)
    [s] = offering.sessions
    organiser = organiser_of(session, offering)
    [person] = enrol_many(session, offering, 1)
    ref = PersonRef("user", person.id)
    row = services.mark(session, actor=organiser, course_session=s, person=ref, status=P,
                        seen_version=0, now=utcnow())
    again = services.mark(session, actor=organiser, course_session=s, person=ref, status=P,
                          seen_version=0, now=utcnow() + timedelta(minutes=1))
    assert again.version == 1 and again.recorded_at == row.recorded_at


def test_only_people_on_the_list_can_be_marked(session):
    offering = make_seminar(session)
    other = make_seminar(session, org=offering.organisation)
    [s] = offering.sessions
    organiser = organiser_of(session, offering)
    stranger = make_user(session)
    with pytest.raises(NotFoundError):
        services.mark(session, actor=organiser, course_session=s,
                      person=PersonRef("user", stranger.id), status=P, seen_version=0,
                      now=utcnow())
    outsider = services.add_participant(session, actor=organiser,
                                        course_session=other.sessions[0], name="Ekstern",
                                        organisation_name=None, email=None, now=utcnow())
    with pytest.raises(NotFoundError):
        services.mark(session, actor=organiser, course_session=s,
                      person=PersonRef("participant", outsider.id), status=P, seen_version=0,
                      now=utcnow())


def test_a_waitlisted_person_is_not_on_the_list(session):
    offering = make_seminar(session)
    waiting = make_user(session)
    enrol(session, offering, waiting, status="waitlisted")
    with pytest.raises(DomainError):
        services.bulk_set(session, actor=organiser_of(session, offering),
                          course_session=offering.sessions[0], items=[(waiting.id, P)],
                          now=utcnow())


def test_bulk_sets_and_overwrites_in_one_statement_and_a_repeat_changes_nothing(
        session, count_queries, hook_calls):
    offering = make_seminar(session)
    [s] = offering.sessions
    organiser = organiser_of(session, offering)
    people = enrol_many(session, offering, 5)
    services.mark(session, actor=organiser, course_session=s,
                  person=PersonRef("user", people[0].id), status=A, seen_version=0,
                  now=utcnow())
    items = [(p.id, P) for p in people[:4]] + [(people[4].id, E)]
    t1 = utcnow() + timedelta(minutes=1)
    changed = services.bulk_set(session, actor=organiser, course_session=s, items=items,
                                now=t1)
    assert changed == sorted(p.id for p in people)
    before = {uid: (a.status, a.version, a.recorded_at) for uid, a in rows(session, s).items()}
    assert before[people[0].id][:2] == (P, 2)  # overwritten: last writer wins
    assert before[people[1].id][:2] == (P, 1)

    with count_queries() as q:
        again = services.bulk_set(session, actor=organiser, course_session=s, items=items,
                                  now=t1 + timedelta(minutes=5))
    assert again == []
    after = {uid: (a.status, a.version, a.recorded_at) for uid, a in rows(session, s).items()}
    assert after == before  # not recorded_at, not the version
    inserts = [st for st in q.statements
               if st.lstrip().upper().startswith("INSERT INTO ATTENDANCE")]
    assert len(inserts) == 1
    assert hook_calls[-1] == (offering.id, [])


def _bulk_statements(session, count_queries, n):
    offering = make_seminar(session)
    organiser = organiser_of(session, offering)
    people = enrol_many(session, offering, n)
    with count_queries() as q:
        services.bulk_set(session, actor=organiser, course_session=offering.sessions[0],
                          items=[(p.id, P) for p in people], now=utcnow())
        session.flush()
    return q.count


def test_the_bulk_write_costs_the_same_statements_for_ten_and_two_hundred_people(
        session, count_queries):
    assert _bulk_statements(session, count_queries, 10) == _bulk_statements(
        session, count_queries, 200)


def test_the_largest_bulk_write_is_still_one_insert(session, count_queries):
    offering = make_seminar(session)
    people = enrol_many(session, offering, services.BULK_LIMIT)
    with count_queries() as q:
        changed = services.bulk_set(session, actor=organiser_of(session, offering),
                                    course_session=offering.sessions[0],
                                    items=[(p.id, P) for p in people], now=utcnow())
    assert len(changed) == services.BULK_LIMIT
    assert len([st for st in q.statements
                if st.lstrip().upper().startswith("INSERT INTO ATTENDANCE")]) == 1


def test_bulk_refuses_repeated_and_unknown_people_and_writes_nothing(session):
    offering = make_seminar(session)
    [s] = offering.sessions
    organiser = organiser_of(session, offering)
    [a, b] = enrol_many(session, offering, 2)
    with pytest.raises(DomainError) as repeated:
        services.bulk_set(session, actor=organiser, course_session=s,
                          items=[(a.id, P), (a.id, L)], now=utcnow())
    assert repeated.value.code == "duplicate_person" and repeated.value.status == 422
    stranger = make_user(session)
    with pytest.raises(DomainError) as unknown:
        services.bulk_set(session, actor=organiser, course_session=s,
                          items=[(b.id, P), (stranger.id, P)], now=utcnow())
    assert unknown.value.code == "not_on_list" and str(stranger.id) in str(unknown.value.message)
    assert rows(session, s) == {}


def test_the_rest_are_marked_absent_and_existing_marks_stay(session, hook_calls):
    offering = make_seminar(session)
    [s] = offering.sessions
    organiser = organiser_of(session, offering)
    people = enrol_many(session, offering, 4)
    services.mark(session, actor=organiser, course_session=s,
                  person=PersonRef("user", people[0].id), status=L, seen_version=0,
                  now=utcnow())
    guest = services.add_participant(session, actor=organiser, course_session=offering.sessions[0],
                                     name="Gjest", organisation_name=None, email=None,
                                     now=utcnow())
    session.execute(sa.delete(Attendance).where(Attendance.participant_id == guest.id))
    n = services.mark_rest_absent(session, actor=organiser, course_session=s, now=utcnow())
    assert n == 4  # three people and the guest
    marks = rows(session, s)
    assert marks[people[0].id].status == L
    assert {marks[p.id].status for p in people[1:]} == {A}
    assert marks[f"p{guest.id}"].status == A
    assert services.mark_rest_absent(session, actor=organiser, course_session=s,
                                     now=utcnow()) == 0
    assert hook_calls[-2][1] == sorted(p.id for p in people[1:])


def test_a_walk_in_with_an_account_joins_the_list_and_is_marked_present(session, hook_calls):
    offering = make_seminar(session, sessions=2)
    first, second = offering.sessions
    organiser = organiser_of(session, offering)
    visitor = make_user(session)
    walk_in = services.add_walk_in(session, actor=organiser, course_session=first,
                                   user_id=visitor.id, now=utcnow())
    assert walk_in.status == "confirmed"
    assert rows(session, first)[visitor.id].status == P
    # On the list now: the next session can mark them too.
    services.mark(session, actor=organiser, course_session=second,
                  person=PersonRef("user", visitor.id), status=E, seen_version=0, now=utcnow())
    assert hook_calls[0] == (offering.id, [visitor.id])


def test_a_walk_in_request_is_marked_only_when_the_organiser_confirms(session):
    offering = make_seminar(session)
    [s] = offering.sessions
    organiser = organiser_of(session, offering)
    visitor, other = make_user(session), make_user(session)
    asked = WalkIn(offering_id=offering.id, user_id=visitor.id, session_id=s.id,
                   status="requested", requested_at=s.starts_at + timedelta(minutes=30))
    declined = WalkIn(offering_id=offering.id, user_id=other.id, session_id=s.id,
                      status="requested", requested_at=utcnow())
    session.add_all([asked, declined])
    session.flush()
    assert rows(session, s) == {}
    services.decide_walk_in(session, actor=organiser, offering=offering, walk_in_id=asked.id,
                            confirm=True, now=utcnow())
    services.decide_walk_in(session, actor=organiser, offering=offering,
                            walk_in_id=declined.id, confirm=False, now=utcnow())
    marks = rows(session, s)
    assert marks[visitor.id].status == L  # asked half an hour after the start
    assert other.id not in marks
    with pytest.raises(ConflictError):
        services.decide_walk_in(session, actor=organiser, offering=offering,
                                walk_in_id=asked.id, confirm=False, now=utcnow())


def test_an_external_participant_needs_a_name_and_is_marked_present(session, hook_calls):
    offering = make_seminar(session)
    [s] = offering.sessions
    organiser = organiser_of(session, offering)
    with pytest.raises(DomainError):
        services.add_participant(session, actor=organiser, course_session=s, name="  ",
                                 organisation_name=None, email=None, now=utcnow())
    guest = services.add_participant(session, actor=organiser, course_session=s,
                                     name="Áile Hætta",
                                     organisation_name="Statsforvalteren i Trøndelag",
                                     email="Aile@Example.org", now=utcnow())
    assert guest.email == "aile@example.org"
    assert rows(session, s)[f"p{guest.id}"].status == P
    assert hook_calls == [(offering.id, [])]

"""Two organisers marking at once, on PostgreSQL with committed data: no mark is silently
lost, no duplicate rows appear, and marks of different people are both kept."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from app import create_app
from app.errors import ConflictError
from app.extensions import db
from app.orm import utcnow
from app.seminars import services
from app.seminars.models import Attendance, AttendanceStatus
from app.seminars.services import PersonRef
from tests.conftest import POSTGRES_URL, make_config, throwaway_postgres_database
from tests.seminars.builders import enrol_many, make_seminar, organiser_of

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL, reason="race tests need PostgreSQL (set KURS_TEST_POSTGRES_URL)")

ROUNDS = 20


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """An app on its own database; the threads see only committed rows."""
    with throwaway_postgres_database(POSTGRES_URL, "races") as url:
        app = create_app(make_config(url, str(tmp_path_factory.mktemp("storage"))))
        with app.app_context():
            db.create_all()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def seminar(live_app):
    """(session id, [organiser ids], [person ids]) of a fresh, committed seminar."""
    with live_app.app_context():
        offering = make_seminar(db.session)
        organisers = [organiser_of(db.session, offering).id for _ in range(2)]
        people = [p.id for p in enrol_many(db.session, offering, ROUNDS * 2)]
        session_id = offering.sessions[0].id
        db.session.commit()
    return session_id, organisers, people


def together(live_app, jobs):
    """Run each job(session) in its own thread and session, released at once."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        with live_app.app_context():
            try:
                barrier.wait()
                results[index] = job(db.session)
                db.session.commit()
            except ConflictError as error:
                db.session.rollback()
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def marker(session_id, organiser_id, person_id, status, seen):
    def job(session):
        from app.accounts.models import User
        from app.enrolment.models import CourseSession

        return str(services.mark(
            session, actor=session.get(User, organiser_id),
            course_session=session.get(CourseSession, session_id),
            person=PersonRef("user", person_id), status=status, seen_version=seen,
            now=utcnow()).status)

    return job


def rows(live_app, session_id, person_id):
    with live_app.app_context():
        found = db.session.execute(
            sa.select(Attendance.status, Attendance.version)
            .where(Attendance.session_id == session_id, Attendance.user_id == person_id)
        ).all()
        db.session.remove()
    return found


def test_two_first_marks_of_one_person_one_wins_the_other_sees_it(live_app, seminar):
    session_id, (ola, kari), people = seminar
    for person in people[:ROUNDS]:
        results = together(live_app, [
            marker(session_id, ola, person, AttendanceStatus.PRESENT, 0),
            marker(session_id, kari, person, AttendanceStatus.ABSENT, 0),
        ])
        winners = [r for r in results if isinstance(r, str)]
        losers = [r for r in results if isinstance(r, ConflictError)]
        assert len(winners) == 1 and len(losers) == 1, results
        [(status, version)] = rows(live_app, session_id, person)
        assert (str(status), version) == (winners[0], 1)
        assert losers[0].detail["current"]["status"] == winners[0]


def test_two_changes_from_the_same_version_never_both_apply(live_app, seminar):
    session_id, (ola, kari), people = seminar
    for person in people[ROUNDS:]:
        together(live_app, [marker(session_id, ola, person, AttendanceStatus.ABSENT, 0)])
        results = together(live_app, [
            marker(session_id, ola, person, AttendanceStatus.PRESENT, 1),
            marker(session_id, kari, person, AttendanceStatus.LATE, 1),
        ])
        winners = [r for r in results if isinstance(r, str)]
        assert len(winners) == 1, results
        [(status, version)] = rows(live_app, session_id, person)
        assert (str(status), version) == (winners[0], 2)


def test_marks_of_different_people_at_once_are_all_kept(live_app, seminar):
    session_id, (ola, kari), people = seminar
    a, b = people[0], people[1]
    with live_app.app_context():
        db.session.execute(sa.delete(Attendance).where(Attendance.session_id == session_id))
        db.session.commit()
    results = together(live_app, [marker(session_id, ola, a, AttendanceStatus.PRESENT, 0),
                                  marker(session_id, kari, b, AttendanceStatus.LATE, 0)])
    assert results == ["present", "late"]
    assert [str(s) for s, _v in rows(live_app, session_id, a)] == ["present"]
    assert [str(s) for s, _v in rows(live_app, session_id, b)] == ["late"]

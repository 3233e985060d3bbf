"""QR self check-in through /checkin/<token>: a confirm button that posts, only while
check-in is open, only for people on the list (or a walk-in request), a second scan says
"already registered", and expired, forged or replayed codes are refused and mark nothing."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.orm import utcnow
from app.seminars import services
from app.seminars.checkin_tokens import make_token
from app.seminars.models import Attendance, AttendanceStatus, WalkIn
from app.seminars.services import PersonRef
from tests.factories import PASSWORD, make_user
from tests.seminars.builders import enrol, make_seminar, organiser_of


def code(app, s, at=None):
    return make_token(app.config["SECRET_KEY"], s.id, at or utcnow())


def marks(session, s):
    return {a.user_id: a for a in session.scalars(
        sa.select(Attendance).where(Attendance.session_id == s.id)
        .execution_options(populate_existing=True))}


def test_a_scan_without_login_shows_the_session_and_a_login_that_comes_back(app, client,
                                                                            session):
    offering = make_seminar(session)
    [s] = offering.sessions
    token = code(app, s)
    page = client.get(f"/checkin/{token}").get_data(as_text=True)
    assert s.title in page
    assert f'/login?next=/checkin/{token}' in page


def test_the_token_survives_a_real_login_and_one_tap_checks_in(app, web, session):
    offering = make_seminar(session)
    [s] = offering.sessions
    kari = make_user(session, email="kari@example.org", password=PASSWORD)
    enrol(session, offering, kari)
    session.commit()
    token = code(app, s)
    login = web.post(f"/login?next=/checkin/{token}",
                     {"email": "kari@example.org", "password": PASSWORD,
                      "next": f"/checkin/{token}"}, page="/login")
    assert login.headers["Location"] == f"/checkin/{token}"
    page = web.get(f"/checkin/{token}").get_data(as_text=True)
    assert "Registrer oppmøte" in page
    assert marks(session, s) == {}  # looking writes nothing
    done = web.post(f"/checkin/{token}", {"walk_in": ""}, page=f"/checkin/{token}")
    assert done.status_code == 200
    assert "Du er registrert som til stede." in done.get_data(as_text=True)
    row = marks(session, s)[kari.id]
    assert (row.status, row.method, row.recorded_by_id) == (AttendanceStatus.PRESENT, "qr",
                                                            kari.id)


def test_a_second_scan_says_already_registered_and_changes_nothing(app, web, session,
                                                                   login_as):
    offering = make_seminar(session)
    [s] = offering.sessions
    kari = login_as(make_user(session))
    enrol(session, offering, kari)
    token = code(app, s)
    web.post(f"/checkin/{token}", {}, page=f"/checkin/{token}")
    before = marks(session, s)[kari.id]
    version, recorded_at = before.version, before.recorded_at
    again = web.post(f"/checkin/{token}", {}, page=f"/checkin/{token}")
    assert "Du er allerede registrert på denne økta." in again.get_data(as_text=True)
    page = web.get(f"/checkin/{code(app, s)}").get_data(as_text=True)
    assert "Du er allerede registrert på denne økta." in page
    after = marks(session, s)[kari.id]
    assert (after.version, after.recorded_at) == (version, recorded_at)


def test_a_scan_long_after_the_start_records_late(app, web, session, login_as):
    offering = make_seminar(session, start=utcnow() - timedelta(minutes=40))
    [s] = offering.sessions
    kari = login_as(make_user(session))
    enrol(session, offering, kari)
    token = code(app, s)
    page = web.post(f"/checkin/{token}", {}, page=f"/checkin/{token}").get_data(as_text=True)
    assert "Du er registrert, men som kommet for sent." in page
    assert marks(session, s)[kari.id].status == AttendanceStatus.LATE


def test_an_expired_code_is_refused_with_a_clear_message_and_marks_nothing(app, web, session,
                                                                          login_as):
    offering = make_seminar(session)
    [s] = offering.sessions
    kari = login_as(make_user(session))
    enrol(session, offering, kari)
    old = code(app, s, at=utcnow() - timedelta(minutes=7))
    page = web.get(f"/checkin/{old}")
    assert page.status_code == 410
    assert "QR-koden er utløpt" in page.get_data(as_text=True)
    posted = web.post(f"/checkin/{old}", {}, page="/personvern")
    assert posted.status_code == 410
    assert marks(session, s) == {}


def test_a_forged_code_is_refused_and_marks_nothing(app, web, session, login_as):
    offering = make_seminar(session)
    [s] = offering.sessions
    kari = login_as(make_user(session))
    enrol(session, offering, kari)
    forged = make_token("not the server's key", s.id, utcnow())
    page = web.get(f"/checkin/{forged}")
    assert page.status_code == 404
    assert "QR-koden er ugyldig" in page.get_data(as_text=True)
    assert web.post(f"/checkin/{forged}", {}, page="/personvern").status_code == 404
    assert marks(session, s) == {}


def test_a_replayed_code_cannot_undo_the_organisers_correction(app, web, session, login_as):
    offering = make_seminar(session)
    [s] = offering.sessions
    organiser = organiser_of(session, offering)
    kari = login_as(make_user(session))
    enrol(session, offering, kari)
    token = code(app, s)
    web.post(f"/checkin/{token}", {}, page=f"/checkin/{token}")
    # Kari checked in and left; the organiser marks her absent.
    row = marks(session, s)[kari.id]
    services.mark(session, actor=organiser, course_session=s,
                  person=PersonRef("user", kari.id), status=AttendanceStatus.ABSENT,
                  seen_version=row.version, now=utcnow())
    session.flush()
    replay = web.post(f"/checkin/{token}", {}, page="/personvern")
    assert replay.status_code == 409
    assert "Denne QR-koden er allerede brukt" in replay.get_data(as_text=True)
    assert marks(session, s)[kari.id].status == AttendanceStatus.ABSENT


def test_check_in_is_closed_before_the_half_hour_and_after_the_end(app, web, session,
                                                                   login_as):
    early = make_seminar(session, start=utcnow() + timedelta(hours=2))
    over = make_seminar(session, start=utcnow() - timedelta(hours=3))
    kari = login_as(make_user(session))
    for offering in (early, over):
        enrol(session, offering, kari)
        [s] = offering.sessions
        token = code(app, s)
        page = web.get(f"/checkin/{token}")
        assert page.status_code == 409
        assert "Innsjekkingen er ikke åpen" in page.get_data(as_text=True)
        assert web.post(f"/checkin/{token}", {}, page="/personvern").status_code == 409
        assert marks(session, s) == {}


def test_someone_not_enrolled_asks_to_be_added_and_is_not_marked(app, web, session,
                                                                 login_as):
    offering = make_seminar(session)
    [s] = offering.sessions
    visitor = login_as(make_user(session))
    token = code(app, s)
    page = web.get(f"/checkin/{token}").get_data(as_text=True)
    assert "Du er ikke påmeldt denne samlingen." in page
    assert "Be om å bli registrert" in page
    asked = web.post(f"/checkin/{token}", {"walk_in": "1"}, page=f"/checkin/{token}")
    assert "Forespørselen er sendt" in asked.get_data(as_text=True)
    assert marks(session, s) == {}
    request = session.scalar(sa.select(WalkIn).where(WalkIn.user_id == visitor.id))
    assert (request.status, request.session_id) == ("requested", s.id)
    page = web.get(f"/checkin/{token}").get_data(as_text=True)
    assert "venter på at arrangøren bekrefter" in page


def test_someone_not_enrolled_who_just_taps_confirm_is_refused(app, web, session, login_as):
    offering = make_seminar(session)
    [s] = offering.sessions
    login_as(make_user(session))
    token = code(app, s)
    refused = web.post(f"/checkin/{token}", {}, page=f"/checkin/{token}")
    assert refused.status_code == 403
    assert "Du er ikke påmeldt denne samlingen." in refused.get_data(as_text=True)
    assert marks(session, s) == {}


def test_posting_a_check_in_needs_a_login(app, web, session):
    offering = make_seminar(session)
    token = code(app, offering.sessions[0])
    response = web.post(f"/checkin/{token}", {}, page=f"/checkin/{token}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert marks(session, offering.sessions[0]) == {}

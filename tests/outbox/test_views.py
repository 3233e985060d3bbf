"""The admin's outbox page."""

from __future__ import annotations

from app.orm import utcnow
from app.outbox.models import OutboxStatus
from app.outbox.services import queue_email
from tests.factories import make_org, make_user


def test_an_admin_sees_failed_mail_of_their_organisation_and_queues_it_again(
    web, session, login_as
):
    org = make_org(session)
    admin = login_as(make_user(session, org=org, roles=["admin"]))
    colleague = make_user(session, org=org, email="kari@example.org")
    outsider = make_user(session, email="other@example.org")
    mine = queue_email(session, recipient=colleague.email, user_id=colleague.id,
                       subject="Venteliste", body_text="…", now=utcnow(), domain="x")
    theirs = queue_email(session, recipient=outsider.email, user_id=outsider.id,
                         subject="Hemmelig", body_text="…", now=utcnow(), domain="x")
    mine.status = theirs.status = OutboxStatus.FAILED
    mine.last_error = "ConnectionRefusedError"
    session.flush()

    page = web.get("/admin/utboks/?status=failed").get_data(as_text=True)
    assert "Venteliste" in page and "ConnectionRefusedError" in page
    assert "Hemmelig" not in page

    foreign = web.post(f"/admin/utboks/{theirs.id}/send-igjen", page="/admin/utboks/")
    assert foreign.status_code == 404
    response = web.post(f"/admin/utboks/{mine.id}/send-igjen", page="/admin/utboks/")
    assert response.status_code == 302
    session.refresh(mine)
    assert mine.status == OutboxStatus.PENDING and mine.attempts == 0
    assert admin.has_role("admin")


def test_the_status_filters_show_queued_sent_and_failed_mail_counted_for_the_organisation(
        web, session, login_as):
    org = make_org(session)
    login_as(make_user(session, org=org, roles=["admin"]))
    colleague = make_user(session, org=org)
    outsider = make_user(session)
    subjects = {"pending": "Venter-emne", "sent": "Sendt-emne", "failed": "Feilet-emne"}
    for status, subject in subjects.items():
        mail = queue_email(session, recipient=colleague.email, user_id=colleague.id,
                           subject=subject, body_text="…", now=utcnow(), domain="x")
        mail.status = OutboxStatus(status)
        mail.sent_at = utcnow() if status == "sent" else None
    for _ in range(7):  # another organisation's mail: neither listed nor counted
        queue_email(session, recipient=outsider.email, user_id=outsider.id,
                    subject="Hemmelig", body_text="…", now=utcnow(), domain="x")
    session.flush()

    everything = web.get("/admin/utboks/").get_data(as_text=True)
    assert all(subject in everything for subject in subjects.values())
    assert "Hemmelig" not in everything
    assert "Venter (1)" in everything and "Sendt (1)" in everything
    assert "Feilet (1)" in everything
    for status, subject in subjects.items():
        page = web.get(f"/admin/utboks/?status={status}").get_data(as_text=True)
        assert subject in page
        assert [s for s in subjects.values() if s in page] == [subject]
        assert ("Send igjen" in page) == (status == "failed")

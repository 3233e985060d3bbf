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

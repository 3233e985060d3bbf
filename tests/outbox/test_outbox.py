"""E-mail through the outbox: delivered to a real SMTP server, retried when it is down,
never sent twice by two senders, and carried over a crashed sender's lease."""

from __future__ import annotations

import socket
import threading
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app.orm import utcnow
from app.outbox.mailer import SmtpSender
from app.outbox.models import OutboxEmail, OutboxStatus
from app.outbox.services import backoff, claim, deliver_due, queue_email


class Sink:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's API)
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) on a free loopback port that keeps what it receives."""
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


def mail_config(port: int) -> dict:
    return {
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False, "MAIL_USERNAME": None, "MAIL_PASSWORD": None,
        "MAIL_DEFAULT_SENDER": "kurs@example.org", "MAIL_TIMEOUT": 5,
    }


def _queue(session, **kw):
    defaults = dict(recipient="kari@example.org", subject="Påmeldt: IT i hverdagen",
                    body_text="Du er påmeldt.", now=utcnow(), domain="kurs.example.org")
    defaults.update(kw)
    email = queue_email(session, **defaults)
    session.commit()
    return email


def test_a_queued_message_is_delivered_with_its_calendar_invite(session, smtp):
    sink, port = smtp
    email = _queue(session, calendar="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                   calendar_method="REQUEST")
    report = deliver_due(session, SmtpSender(mail_config(port)), now=utcnow,
                         max_attempts=3, lease=timedelta(minutes=5))
    assert report.sent == 1
    [message] = sink.messages
    assert message["Subject"] == "Påmeldt: IT i hverdagen"
    assert message["Message-ID"] == email.message_id
    parts = {part.get_content_type(): part for part in message.walk()}
    assert parts["text/calendar"].get_param("method") == "REQUEST"
    session.refresh(email)
    assert email.status == OutboxStatus.SENT and email.sent_at is not None


def test_a_server_that_is_down_means_a_retry_later_not_a_lost_message(session):
    email = _queue(session)
    down = SmtpSender(mail_config(1))  # nothing listens on port 1
    report = deliver_due(session, down, now=utcnow, max_attempts=3,
                         lease=timedelta(minutes=5))
    assert report.failed == 1
    session.refresh(email)
    assert email.status == OutboxStatus.PENDING
    assert email.attempts == 1
    assert email.last_error
    assert email.next_attempt_at > utcnow()


def test_after_the_last_attempt_the_message_is_marked_failed(session):
    email = _queue(session)

    def broken(_email):
        raise OSError("connection refused")

    clock = [utcnow()]
    for _ in range(3):
        deliver_due(session, broken, now=lambda: clock[0], max_attempts=3,
                    lease=timedelta(minutes=5))
        clock[0] += timedelta(hours=7)
    session.refresh(email)
    assert email.status == OutboxStatus.FAILED
    assert email.attempts == 3


def test_backoff_doubles_and_is_capped():
    assert [backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert backoff(30) == timedelta(hours=6)


def test_two_senders_never_both_win_the_same_message(session):
    email = _queue(session)
    now = utcnow()
    assert claim(session, email.id, sender="host-a", now=now, lease=timedelta(minutes=5))
    assert not claim(session, email.id, sender="host-b", now=now, lease=timedelta(minutes=5))


def test_a_crashed_senders_message_is_retried_when_its_lease_runs_out(session, smtp):
    sink, port = smtp
    email = _queue(session)
    now = utcnow()
    claim(session, email.id, sender="crashed", now=now, lease=timedelta(minutes=5))
    session.commit()
    # Before the lease runs out, nobody else sends it.
    report = deliver_due(session, SmtpSender(mail_config(port)), now=lambda: now,
                         max_attempts=3, lease=timedelta(minutes=5))
    assert report.sent == 0
    later = now + timedelta(minutes=6)
    report = deliver_due(session, SmtpSender(mail_config(port)), now=lambda: later,
                         max_attempts=3, lease=timedelta(minutes=5))
    assert report.sent == 1
    assert len(sink.messages) == 1


def test_outbox_send_without_a_mail_server_leaves_mail_waiting(runner, session):
    _queue(session)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0
    assert "MAIL_SERVER is not set" in result.output
    pending = session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)
                             .where(OutboxEmail.status == OutboxStatus.PENDING))
    assert pending >= 1


def test_mail_queued_while_the_smtp_server_is_down_is_sent_when_it_returns(session):
    """The local SMTP sink is stopped, mail is queued and tried, the sink is started again
    on the same port: every message arrives exactly once, none is lost."""
    sink = Sink()
    port = free_port()
    server = Controller(sink, hostname="127.0.0.1", port=port)
    server.start()
    sender = SmtpSender(mail_config(port))
    first = _queue(session, subject="Før stans")
    assert deliver_due(session, sender, now=utcnow, max_attempts=8,
                       lease=timedelta(minutes=5)).sent == 1
    server.stop()  # the mail server goes down

    down = [_queue(session, subject=f"Under stans {i}", recipient=f"p{i}@example.org")
            for i in range(3)]
    clock = [utcnow()]
    report = deliver_due(session, sender, now=lambda: clock[0], max_attempts=8,
                         lease=timedelta(minutes=5))
    assert (report.sent, report.failed) == (0, 3)
    for email in down:
        session.refresh(email)
        assert email.status == OutboxStatus.PENDING and email.attempts == 1
        assert email.last_error

    server = Controller(sink, hostname="127.0.0.1", port=port)  # it comes back
    server.start()
    try:
        # Not before the back-off has passed …
        assert deliver_due(session, sender, now=lambda: clock[0], max_attempts=8,
                           lease=timedelta(minutes=5)).sent == 0
        clock[0] += timedelta(minutes=2)
        report = deliver_due(session, sender, now=lambda: clock[0], max_attempts=8,
                             lease=timedelta(minutes=5))
        assert report.sent == 3
        # … and a further run sends nothing twice.
        clock[0] += timedelta(hours=1)
        assert deliver_due(session, sender, now=lambda: clock[0], max_attempts=8,
                           lease=timedelta(minutes=5)).sent == 0
    finally:
        server.stop()
    assert sorted(m["Subject"] for m in sink.messages) == [
        "Før stans", "Under stans 0", "Under stans 1", "Under stans 2"]
    assert len({m["Message-ID"] for m in sink.messages}) == 4
    session.refresh(first)
    assert first.attempts == 1

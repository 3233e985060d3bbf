"""Turning an outbox row into a MIME message and handing it to an SMTP server."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import format_datetime

from app.outbox.models import OutboxEmail


def build_message(email: OutboxEmail, *, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.recipient
    message["Subject"] = email.subject
    message["Message-ID"] = email.message_id
    message["Date"] = format_datetime(email.created_at)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(email.body_text)
    if email.body_html:
        message.add_alternative(email.body_html, subtype="html")
    if email.calendar:
        method = email.calendar_method or "REQUEST"
        # Calendar clients act on a text/calendar part with the iTIP method; the same
        # object is attached as invite.ics for the ones that only read attachments.
        message.add_attachment(
            email.calendar.encode("utf-8"),
            maintype="text",
            subtype="calendar",
            params={"method": method, "charset": "utf-8"},
            filename="invite.ics",
        )
    return message


class SmtpSender:
    """Sends one message per call over a fresh connection (the sender runs from cron)."""

    def __init__(self, config):
        self.host = config["MAIL_SERVER"]
        self.port = config["MAIL_PORT"]
        self.use_tls = config["MAIL_USE_TLS"]
        self.use_ssl = config["MAIL_USE_SSL"]
        self.username = config["MAIL_USERNAME"]
        self.password = config["MAIL_PASSWORD"]
        self.sender = config["MAIL_DEFAULT_SENDER"]
        self.timeout = config["MAIL_TIMEOUT"]

    def __call__(self, email: OutboxEmail) -> None:
        message = build_message(email, sender=self.sender)
        smtp_class = smtplib.SMTP_SSL if self.use_ssl else smtplib.SMTP
        with smtp_class(self.host, self.port, timeout=self.timeout) as smtp:
            if self.use_tls and not self.use_ssl:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)

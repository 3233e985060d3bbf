"""``flask outbox send``: deliver pending e-mail (safe from several hosts at once)."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.orm import utcnow
from app.outbox.mailer import SmtpSender
from app.outbox.services import deliver_due, status_counts

outbox_cli = AppGroup("outbox", help="The e-mail outbox.")


@outbox_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="At most this many messages.")
def send_command(limit: int) -> None:
    """Deliver the messages that are due."""
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        counts = status_counts(db.session)
        click.echo(
            f"MAIL_SERVER is not set: {counts['pending']} message(s) wait in the outbox."
        )
        return
    report = deliver_due(
        db.session,
        SmtpSender(cfg),
        now=utcnow,
        max_attempts=cfg["OUTBOX_MAX_ATTEMPTS"],
        lease=timedelta(seconds=cfg["OUTBOX_LEASE_SECONDS"]),
        limit=limit,
    )
    click.echo(f"sent {report.sent}, will retry {report.failed}, gave up {report.gave_up}")


@outbox_cli.command("remind")
@click.option("--days", default=2, show_default=True, type=click.IntRange(1, 60),
              help="Remind about offerings that start within this many days.")
@click.option(
    "--now",
    "now_text",
    metavar="ISO-TIME",
    help="Act as if it were this moment (e.g. 2027-03-01T08:00+01:00), to try reminders out.",
)
def remind_command(days: int, now_text: str | None) -> None:
    """Queue every reminder that is due (run daily): seats on offerings that start soon,
    evaluation requests and their three-month follow-ups, and completions that expire."""
    from datetime import datetime
    from urllib.parse import urlparse

    from app.certificates.services import send_recertification_reminders
    from app.certificates.settings import from_config
    from app.enrolment.reminders import queue_reminders
    from app.evaluation.services import send_evaluation_requests

    now = utcnow()
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--now") from None
        if now.tzinfo is None:
            raise click.BadParameter("give a time zone, e.g. +01:00", param_hint="--now")
    cfg = current_app.config
    domain = urlparse(cfg["KURS_BASE_URL"]).hostname or "localhost"
    seats = queue_reminders(db.session, now=now, within=timedelta(days=days))
    evaluations = send_evaluation_requests(
        db.session, now=now, base_url=cfg["KURS_BASE_URL"], domain=domain
    )
    renewals = send_recertification_reminders(db.session, now=now, settings=from_config(cfg))
    db.session.commit()
    click.echo(f"queued {seats} session reminder(s); evaluations: {evaluations} e-mail(s) "
               f"queued; {renewals} renewal reminder(s); `flask outbox send` delivers them")

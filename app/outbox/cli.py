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

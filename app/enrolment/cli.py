"""``flask outbox remind``: queue reminders before the first session (run it daily)."""

from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import with_appcontext

from app.enrolment.reminders import queue_reminders
from app.extensions import db
from app.orm import utcnow


@click.command("remind")
@with_appcontext
@click.option("--days", default=2, show_default=True, type=click.IntRange(1, 60),
              help="Remind about offerings that start within this many days.")
def remind_command(days: int) -> None:
    """Queue a reminder to everyone with a seat on an offering that starts soon."""
    queued = queue_reminders(db.session, now=utcnow(), within=timedelta(days=days))
    db.session.commit()
    click.echo(f"queued {queued} reminder(s); `flask outbox send` delivers them")

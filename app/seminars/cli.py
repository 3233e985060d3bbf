"""``flask seminars purge``: delete registration answers whose retention has run out."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db
from app.orm import utcnow
from app.seminars.registration import purge_answers

seminars_cli = AppGroup("seminars", help="Seminars: retention of registration answers.")


@seminars_cli.command("purge")
def purge_command() -> None:
    """Delete the diet, accessibility and free-text answers of seminars that ended more than
    their retention period ago. Safe to run daily from cron and to run again."""
    purged = purge_answers(db.session, now=utcnow())
    db.session.commit()
    total = sum(purged.values())
    click.echo(f"Deleted {total} registration answer(s) from {len(purged)} seminar(s).")

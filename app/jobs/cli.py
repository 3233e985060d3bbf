"""``flask jobs run``: work through the job queue."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.jobs.services import claim_next, run_job
from app.orm import utcnow

jobs_cli = AppGroup("jobs", help="Long-running work (exports, certificate archives, imports).")


@jobs_cli.command("run")
@click.option("--once", is_flag=True, help="Run the jobs that are due now, then stop.")
@click.option("--lease-minutes", default=30, show_default=True)
@click.option("--poll-seconds", default=5, show_default=True)
def run_command(once: bool, lease_minutes: int, poll_seconds: int) -> None:
    """Run queued jobs; without --once, keep polling for new ones."""
    import app.jobs.handlers  # noqa: F401  (registers every domain's handlers)

    storage = Path(current_app.config["KURS_STORAGE_DIR"])
    done = 0
    session = db.session
    while True:
        job = claim_next(session, now=utcnow(), lease=timedelta(minutes=lease_minutes))
        session.commit()
        if job is None:
            if once:
                break
            time.sleep(poll_seconds)
            continue
        click.echo(f"job {job.id} ({job.kind}) …")
        run_job(session, job, storage=storage, now=utcnow)
        session.commit()
        done += 1
    click.echo(f"{done} job(s) run")

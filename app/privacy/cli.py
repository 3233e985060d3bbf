"""``flask privacy anonymise EMPLOYEE_NO`` and ``flask privacy purge``."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from app.accounts.models import User
from app.extensions import db
from app.orm import utcnow
from app.privacy.anonymise import anonymise_person

privacy_cli = AppGroup("privacy", help="Personal data: anonymisation and retention.")


@privacy_cli.command("anonymise")
@click.argument("employee_number")
@click.option("--organisation", "slug", default=None,
              help="Organisation slug, when the number exists in several.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def anonymise_command(employee_number: str, slug: str | None, yes: bool) -> None:
    """Anonymise the leaver with EMPLOYEE_NUMBER (cannot be undone)."""
    from app.accounts.models import Organisation

    query = sa.select(User).where(User.employee_number == employee_number)
    if slug:
        query = query.join(Organisation).where(Organisation.slug == slug)
    people = db.session.scalars(query).all()
    if not people:
        raise click.ClickException(f"No person with employee number {employee_number}.")
    if len(people) > 1:
        raise click.ClickException(
            f"{len(people)} people have employee number {employee_number}; "
            "name the organisation with --organisation.")
    user = people[0]
    if not yes:
        click.confirm(f"Anonymise person {user.id} ({employee_number})? This cannot be undone",
                      abort=True)
    anonymise_person(db.session, actor=None, user=user, now=utcnow(),
                     storage_dir=current_app.config["KURS_STORAGE_DIR"])
    db.session.commit()
    click.echo(f"Person {user.id} is anonymised.")


@privacy_cli.command("purge")
@click.option("--now", "now_text", default=None,
              help="Act as if it were this moment (ISO 8601, UTC), to try it out.")
def purge_command(now_text: str | None) -> None:
    """Delete or anonymise personal data past its retention period (run it daily)."""
    from datetime import UTC, datetime

    from app.privacy.retention import Periods, purge

    now = utcnow()
    if now_text:
        now = datetime.fromisoformat(now_text)
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
    done = purge(db.session, now=now, periods=Periods.from_config(current_app.config),
                 storage_dir=current_app.config["KURS_STORAGE_DIR"])
    db.session.commit()
    for kind, count in done.items():
        click.echo(f"{kind}: {count}")

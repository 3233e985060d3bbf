"""``flask demo load``: demo organisations, people and logins (never in production)."""

from __future__ import annotations

import time
from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup

from app.demo import people, scale
from app.demo.services import database_is_empty, load_demo
from app.extensions import db

demo_cli = AppGroup("demo", help="Demo and benchmark data.")


def print_logins() -> None:
    click.echo("")
    click.echo(f"Demo logins (password: {people.DEMO_PASSWORD}):")
    for email, name, _org, _unit, title, _level, _leads, roles in people.DEMO_LOGINS:
        role = ", ".join(roles) or "leder"
        click.echo(f"  {email:<32} {name} – {title} ({role})")
    click.echo("")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only load into an empty database.")
def load_command(if_empty: bool) -> None:
    """Load (or complete) the demo data; safe to run again."""
    if current_app.config.get("PRODUCTION"):
        raise click.ClickException("The demo data is never loaded when KURS_ENV=production.")
    if if_empty and not database_is_empty(db.session):
        click.echo("The database already has data; the demo was not loaded again.")
        print_logins()
        return
    counts = load_demo(db.session)
    db.session.commit()
    click.echo(
        f"Demo loaded: {counts['people']} people ({counts['people_created']} new) "
        f"in {counts['units']} units."
    )
    print_logins()


@demo_cli.command("scale")
@click.option("--employees", default=14000, show_default=True, type=click.IntRange(20, 2000000))
@click.option("--seed", default=1, show_default=True, type=int)
def scale_command(employees: int, seed: int) -> None:
    """Build a synthetic municipality for benchmarks (bulk inserts)."""
    if current_app.config.get("PRODUCTION"):
        raise click.ClickException("The scale data is never built when KURS_ENV=production.")
    started = time.perf_counter()
    try:
        report = scale.build(db.session, employees=employees, seed=seed, today=date.today())
    except scale.AlreadyBuilt as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    scale.refresh_statistics(db.session)
    click.echo(
        f"Built in {time.perf_counter() - started:.1f} s: {report.employees} employees "
        f"({report.leaders} leaders) in {report.units} units, {report.courses} courses, "
        f"{report.offerings} offerings with {report.sessions} sessions, "
        f"{report.enrolments} enrolments, {report.attendance} attendance marks, "
        f"{report.completions} completions."
    )

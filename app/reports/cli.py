"""``flask report competence --format csv|xlsx|pdf -o FILE``: the competence report as a
file, for scripts and for the city council's papers. Written to the access log as "cli"."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.accounts.models import Organisation, User
from app.errors import DomainError
from app.extensions import db
from app.orm import utcnow
from app.privacy.access import log_access
from app.reports import exports
from app.reports.scope import parse_filters

report_cli = AppGroup("report", help="Competence reports as files.")


@dataclass
class OperatorReader:
    """Whoever runs the command on the server: HR's reach in the chosen organisations."""

    organisation_ids: list[int]
    id: None = None
    led_units: list = field(default_factory=list)

    @property
    def roles(self) -> list:
        return [SimpleNamespace(role="hr", organisation_id=org_id, unit_id=None, unit=None)
                for org_id in self.organisation_ids]


@report_cli.command("competence")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "pdf"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--organisation", "org_slug", help="Organisation slug (default: every one).")
@click.option("--as", "as_email", help="Read with this person's reach instead.")
@click.option("--unit", type=int, help="Root unit id of the subtree.")
@click.option("--level", help="toppleder, mellomleder, forstelinjeleder or none.")
@click.option("--course", help="Course slug.")
@click.option("--from", "date_from", help="Completions from this day (YYYY-MM-DD).")
@click.option("--to", "date_to", help="Completions until this day (YYYY-MM-DD).")
@click.option("--part", default="coverage", show_default=True,
              type=click.Choice(list(exports.PARTS)), help="The table a CSV holds.")
def competence_command(fmt, output, org_slug, as_email, unit, level, course, date_from,
                       date_to, part) -> None:
    """Write the competence report to OUTPUT: CSV (one part), XLSX (a sheet per part) or
    PDF (title page, charts, tables)."""
    args = {"unit": unit, "level": level, "course": course, "from": date_from, "to": date_to}
    try:
        filters = parse_filters({k: str(v) for k, v in args.items() if v is not None})
    except DomainError as error:
        raise click.BadParameter(error.message) from error
    if as_email:
        reader = db.session.scalar(sa.select(User).where(User.email == as_email.lower()))
        if reader is None:
            raise click.BadParameter(f"no person with e-mail {as_email!r}", param_hint="--as")
    else:
        query = sa.select(Organisation.id)
        if org_slug:
            query = query.where(Organisation.slug == org_slug)
        ids = list(db.session.scalars(query))
        if not ids:
            raise click.BadParameter(f"no organisation {org_slug!r}", param_hint="--organisation")
        reader = OperatorReader(ids)
    now = utcnow()
    subjects = exports.people_ids(db.session, reader, filters)
    with output.open("wb") as target:
        if fmt == "csv":
            for chunk in exports.csv_part(db.session, reader, filters, now=now, part=part):
                target.write(chunk)
        elif fmt == "xlsx":
            exports.write_xlsx(target, exports.build(db.session, reader, filters, now=now))
        else:
            target.write(exports.pdf_bytes(db.session, reader, filters, now=now))
    db.session.commit()
    log_access(db.session, actor=reader if reader.id else None, kind=f"reports.cli.{fmt}",
               now=now, filters=filters.as_dict(), row_count=len(subjects),
               subject_ids=subjects, address="cli")
    db.session.commit()
    click.echo(f"Wrote {output} ({len(subjects)} people in scope).")

"""``flask toolbox …``: import the starting templates, rebuild the spreadsheets."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from app.accounts.models import Organisation
from app.extensions import db
from app.orm import utcnow
from app.toolbox import library

toolbox_cli = AppGroup("toolbox", help="The virtual toolbox (verktøykassen).")


@toolbox_cli.command("import")
@click.argument("source", required=False, type=click.Path(file_okay=False, path_type=Path),
                default=library.DEFAULT_SOURCE)
@click.option("--organisation", "org_slug", required=True, help="Organisation slug.")
def import_command(source: Path, org_slug: str) -> None:
    """Import the templates of SOURCE (default kurs/verktoykasse) into an organisation's
    toolbox; a changed file becomes a new version. Safe to run again."""
    org = db.session.scalar(sa.select(Organisation).where(Organisation.slug == org_slug))
    if org is None:
        raise click.BadParameter(f"no organisation with slug {org_slug!r}",
                                 param_hint="--organisation")
    try:
        result = library.import_templates(
            db.session, organisation=org, source=source, now=utcnow(),
            storage_root=current_app.config["KURS_STORAGE_DIR"])
    except library.ManifestError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Toolbox templates: {result.created} new, {result.new_versions} new versions, "
               f"{result.unchanged} unchanged.")


@toolbox_cli.command("build-templates")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=library.DEFAULT_SOURCE, show_default=True)
def build_command(out: Path) -> None:
    """Write the spreadsheet templates (risk analysis, cost/benefit) with their formulas."""
    out.mkdir(parents=True, exist_ok=True)
    for path in library.build_spreadsheets(out):
        click.echo(f"wrote {path}")

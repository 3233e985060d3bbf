"""``flask kurs check|import|export``: course packages from the command line."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext

from app.catalogue.models import Course
from app.errors import DomainError
from app.extensions import db
from app.orm import utcnow
from app.sharing import services
from app.sharing.models import SharingScope
from app.sharing.package import load_package
from app.sharing.problems import PackageError
from app.sharing.storage import current_store

kurs_cli = AppGroup("kurs", help="Course packages (the kurs/1 format).")


def default_kurs_dir() -> Path:
    return Path(current_app.root_path).parent / "kurs"


def package_sources(path: Path) -> list[Path]:
    """The packages under ``path``: itself when it is a package or a zip, else every
    folder in it that has a kurs.toml (others, such as the toolbox, are skipped) and every
    zip file."""
    if path.is_file() or (path / "kurs.toml").is_file():
        return [path]
    if not path.is_dir():
        raise click.ClickException(f"{path} does not exist.")
    return sorted(p for p in path.iterdir()
                  if (p.is_dir() and (p / "kurs.toml").is_file()) or p.suffix == ".zip")


@kurs_cli.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def check_command(path: Path | None) -> None:
    """Validate packages (default: every package in kurs/); exit 1 on any problem."""
    sources = package_sources(path or default_kurs_dir())
    if not sources:
        raise click.ClickException(f"No packages (folders with a kurs.toml) in {path}.")
    failed = 0
    for source in sources:
        try:
            package = load_package(source)
        except PackageError as error:
            failed += 1
            click.echo(f"FAIL {source}")
            for text in error.texts(gettext):
                click.echo(f"     {text}")
            continue
        m = package.manifest
        quiz = f", {len(package.quiz.questions)} questions" if package.quiz else ""
        program = (f", programme of {package.program.days} day(s)" if package.program else "")
        click.echo(f"OK   {source}  {m.uid} {m.version}: {len(package.modules)} modules"
                   f"{quiz}{program}, {len(package.attachments)} attachments")
    if failed:
        raise click.ClickException(f"{failed} of {len(sources)} packages have problems.")
    click.echo(f"All {len(sources)} packages are valid.")


@kurs_cli.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--scope", type=click.Choice([s.value for s in SharingScope]),
              help="Who may see the package (a new package is 'own' unless given).")
def import_command(path: Path, scope: str | None) -> None:
    """Import a package folder or zip for its publisher (idempotent per uid and version)."""
    try:
        received = services.import_path(db.session, path=path, store=current_store(),
                                        now=utcnow(), scope=SharingScope(scope) if scope else None)
    except PackageError as error:
        db.session.rollback()
        raise click.ClickException("\n".join(["The package is not valid:",
                                              *error.texts(gettext)])) from None
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    version = "new version" if received.new_version else "version already known"
    click.echo(f"{received.package.uid} {received.version.version} ({version}); course "
               f"{received.course.slug}: {received.course_action}.")


@kurs_cli.command("export")
@click.argument("slug")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="The zip file to write.")
def export_command(slug: str, output: Path) -> None:
    """Write a course to a package zip under the version it follows (the same bytes every
    time): its quiz as the quiz tables hold it, so an unpublished quiz edit is included."""
    course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    if course is None:
        raise click.ClickException(f"No course with the slug {slug!r}.")
    try:
        data = services.export_course(db.session, course=course, store=current_store())
    except PackageError as error:
        raise click.ClickException("\n".join(["The course's content is not a valid package:",
                                              *error.texts(gettext)])) from None
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    output.write_bytes(data)
    click.echo(f"Wrote {output} ({len(data)} bytes).")

"""``flask users …`` and ``flask tokens …``."""

from __future__ import annotations

from datetime import date

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.accounts import hr_apply, hr_csv, hr_files, hr_import, services
from app.accounts.models import (
    LeaderLevel,
    Organisation,
    OrganisationKind,
    Role,
    RoleAssignment,
    TokenScope,
    User,
)
from app.errors import DomainError
from app.extensions import db
from app.orm import utcnow

users_cli = AppGroup("users", help="People and their roles.")
tokens_cli = AppGroup("tokens", help="API tokens.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name.")
@click.option("--organisation", "org_slug", required=True, help="Organisation slug.")
@click.option("--role", "roles", multiple=True, type=click.Choice([r.value for r in Role]),
              help="A role in the organisation (repeatable).")
@click.option("--leader-level", type=click.Choice([x.value for x in LeaderLevel]),
              default=LeaderLevel.NONE.value, show_default=True)
@click.option("--service-account", is_flag=True, help="An integration's account, not a person.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              prompt_required=False, default=None,
              help="`--password` alone asks for it; left out, the account has no password "
                   "until the person sets one with the forgotten-password link.")
def create_user(email, name, org_slug, roles, leader_level, service_account, password):
    """Create a local account (use the HR import for employees in bulk)."""
    org = db.session.scalar(sa.select(Organisation).where(Organisation.slug == org_slug))
    if org is None:
        raise click.BadParameter(f"no organisation with slug {org_slug!r}",
                                 param_hint="--organisation")
    email = services.normalise_email(email)
    if services.find_user_by_email(db.session, email):
        raise click.BadParameter(f"{email} already exists", param_hint="EMAIL")
    user = User(email=email, name=name, organisation=org, leader_level=leader_level,
                is_service_account=service_account)
    db.session.add(user)
    db.session.flush()
    if password:
        try:
            services.set_password(db.session, user=user, new_password=password, actor=None,
                                  now=utcnow())
        except DomainError as error:
            db.session.rollback()
            raise click.BadParameter(str(error.message), param_hint="--password") from None
    for role in roles:
        db.session.add(RoleAssignment(user=user, role=role, organisation=org))
    db.session.commit()
    click.echo(f"created {email} (id {user.id})")


@users_cli.command("set-password")
@click.argument("email")
@click.password_option()
def set_password(email, password):
    """Set a person's password (ends their other sessions)."""
    user = services.find_user_by_email(db.session, email)
    if user is None:
        raise click.BadParameter(f"no user {email}", param_hint="EMAIL")
    try:
        services.set_password(db.session, user=user, new_password=password, actor=None,
                              now=utcnow())
    except DomainError as error:
        db.session.rollback()
        raise click.BadParameter(str(error.message), param_hint="PASSWORD") from None
    db.session.commit()
    click.echo(f"password set for {user.email}")


def _organisation(slug: str | None) -> Organisation:
    """The named organisation, or the only municipality when none is named."""
    if slug:
        org = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
        if org is None:
            raise click.BadParameter(f"no organisation with slug {slug!r}",
                                     param_hint="--organisation")
        return org
    found = db.session.scalars(
        sa.select(Organisation).where(Organisation.kind == OrganisationKind.MUNICIPALITY)
    ).all()
    if len(found) != 1:
        raise click.BadParameter("name the organisation the file belongs to",
                                 param_hint="--organisation")
    return found[0]


@users_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--organisation", "org_slug", help="Organisation slug (default: the only "
              "municipality).")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
def import_users(file, org_slug, dry_run):
    """Import employees, units and leaders from the HR system's CSV export.

    Nothing is written unless the whole file is valid; people of the organisation missing
    from the file are deactivated. Columns: docs/hr-import.md.
    """
    org = _organisation(org_slug)
    with open(file, "rb") as handle:
        data = handle.read()
    parsed = hr_csv.parse(data)
    for notice in parsed.notices:
        click.echo(f"note: {notice}")
    if not dry_run:
        hr_apply.lock_organisation(db.session, org)
    result = hr_import.plan(db.session, organisation=org, parsed=parsed, today=date.today())
    if not result.valid:
        db.session.rollback()
        for error in result.errors:
            column = f", column {error.column}" if error.column else ""
            click.echo(f"line {error.line}{column}: {error.message}", err=True)
        raise click.ClickException(f"{len(result.errors)} error(s); nothing was imported")
    counts = result.counts()
    summary = ", ".join(f"{n} {key.replace('_', ' ')}" for key, n in counts.items())
    if dry_run:
        db.session.rollback()
        click.echo(f"dry run for {org.slug}: {summary}; nothing written")
        for person in result.deactivated[:50]:
            click.echo(f"  would deactivate {person.employee_number} {person.name}")
        return
    hr_apply.apply(db.session, organisation=org, plan=result, actor=None, now=utcnow(),
                    file_hash=hr_files.file_hash(data))
    db.session.commit()
    click.echo(f"imported into {org.slug}: {summary}")


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="What the token is for, e.g. 'HR report script'.")
@click.option("--scope", type=click.Choice([s.value for s in TokenScope]),
              default=TokenScope.READ_WRITE.value, show_default=True,
              help="read: GET requests only.")
def create_token(email, name, scope):
    """Create an API token for EMAIL. Prints the token alone on its last line, once."""
    user = services.find_user_by_email(db.session, email)
    if user is None or not user.active:
        raise click.BadParameter(f"no active user {email}", param_hint="EMAIL")
    try:
        token, raw = services.create_token(db.session, user=user, name=name, actor=None,
                                           now=utcnow(), scope=scope)
    except DomainError as error:
        db.session.rollback()
        raise click.BadParameter(str(error.message), param_hint="--name") from None
    db.session.commit()
    click.echo(f"Token {token.prefix}… for {user.email} ({name}). It is shown only now:")
    click.echo(raw)

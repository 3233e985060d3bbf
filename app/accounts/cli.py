"""``flask users …`` and ``flask tokens …``."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.accounts import services
from app.accounts.models import LeaderLevel, Organisation, Role, RoleAssignment, User
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
              prompt_required=False, default=None, help="Prompted for when not given.")
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


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="What the token is for, e.g. 'HR report script'.")
def create_token(email, name):
    """Create an API token for EMAIL. Prints the token alone on its last line, once."""
    user = services.find_user_by_email(db.session, email)
    if user is None or not user.active:
        raise click.BadParameter(f"no active user {email}", param_hint="EMAIL")
    try:
        token, raw = services.create_token(db.session, user=user, name=name, actor=None,
                                           now=utcnow())
    except DomainError as error:
        db.session.rollback()
        raise click.BadParameter(str(error.message), param_hint="--name") from None
    db.session.commit()
    click.echo(f"Token {token.prefix}… for {user.email} ({name}). It is shown only now:")
    click.echo(raw)

"""``flask keys …`` (credential signing keys) and ``flask certificates remind``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.certificates.credentials import active_key, create_key, jwks, retire_key
from app.certificates.services import send_recertification_reminders
from app.certificates.settings import from_config
from app.extensions import db
from app.orm import utcnow

keys_cli = AppGroup("keys", help="Ed25519 keys that sign the certificates' credentials.")
certificates_cli = AppGroup("certificates", help="Certificates and completions.")


@keys_cli.command("create")
@click.option("--if-missing", is_flag=True,
              help="Do nothing when a key that signs already exists (for start-up scripts).")
def create_command(if_missing: bool) -> None:
    """Create a signing key; it signs every credential from now on (rotation)."""
    if if_missing and (key := active_key(db.session)) is not None:
        click.echo(f"Key {key.kid} signs credentials; no new key made.")
        return
    settings = from_config(current_app.config)
    key = create_key(db.session, storage_dir=settings.storage_dir, now=utcnow())
    db.session.commit()
    click.echo(f"Created key {key.kid}; it signs new credentials from now on.")
    click.echo(key.kid)


@keys_cli.command("list")
def list_command() -> None:
    """The published keys, newest last."""
    for key in jwks(db.session)["keys"]:
        click.echo(key["kid"])


@keys_cli.command("retire")
@click.argument("kid")
def retire_command(kid: str) -> None:
    """Stop signing with KID; it stays published so older credentials still verify."""
    key = retire_key(db.session, kid=kid, now=utcnow())
    if key is None:
        raise click.ClickException(f"No key {kid}.")
    db.session.commit()
    click.echo(f"Key {kid} no longer signs.")


@certificates_cli.command("remind")
def remind_command() -> None:
    """E-mail people whose completion expires within 90 and 30 days (run daily)."""
    sent = send_recertification_reminders(db.session, now=utcnow(),
                                          settings=from_config(current_app.config))
    db.session.commit()
    click.echo(f"{sent} reminder(s) queued.")

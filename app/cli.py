"""Registers the ``flask`` commands of each domain."""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from app.accounts.cli import tokens_cli, users_cli
    from app.demo.cli import demo_cli
    from app.enrolment.cli import remind_command
    from app.jobs.cli import jobs_cli
    from app.outbox.cli import outbox_cli

    for group in (users_cli, tokens_cli, outbox_cli, jobs_cli, demo_cli):
        app.cli.add_command(group)
    outbox_cli.add_command(remind_command)

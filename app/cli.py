"""Registers the ``flask`` commands of each domain."""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from app.accounts.cli import tokens_cli, users_cli
    from app.certificates.cli import certificates_cli, keys_cli
    from app.demo.cli import demo_cli
    from app.jobs.cli import jobs_cli
    from app.outbox.cli import outbox_cli
    from app.privacy.cli import privacy_cli
    from app.reports.cli import report_cli
    from app.seminars.cli import seminars_cli
    from app.sharing.cli import kurs_cli
    from app.toolbox.cli import toolbox_cli

    for group in (
        users_cli, tokens_cli, outbox_cli, jobs_cli, demo_cli, toolbox_cli, kurs_cli, keys_cli,
        certificates_cli, seminars_cli, privacy_cli, report_cli,
    ):
        app.cli.add_command(group)

"""Privacy provider of course sharing: only who uploaded or edited (course content is never
personal data)."""

from __future__ import annotations

from app.privacy.registry import Handling, Provider, register

register(Provider(
    domain="sharing",
    columns={
        "package_version.received_by_id": Handling(
            None, "kept (an id)", why="package versions are the organisation's content"),
        "package_draft.updated_by_id": Handling(
            None, "kept (an id)", why="drafts are the organisation's content"),
    },
))

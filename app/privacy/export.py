"""The own-data export: everything the platform holds about a person, as one JSON document.

Built from the registry: each domain's provider contributes its sections, so a new table
joins the export by declaring itself there (``app.privacy.registry``).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from app.privacy.registry import providers

log = logging.getLogger(__name__)

FORMAT = "kurs-export/1"


def build_export(session: Session, *, user, now: datetime) -> dict:
    sections: dict = {}
    for provider in providers():
        for name, func in provider.sections.items():
            sections[name] = func(session, user)
    log.info("own-data export user=%s sections=%s", user.id, len(sections))
    return {
        "format": FORMAT,
        "exported_at": now.isoformat(),
        "person_id": user.id,
        "about": "All data kurs holds about you. 'viewed_by' lists who has seen your data "
                 "by name in reports; evaluations are shown to others only as aggregates.",
        **dict(sorted(sections.items())),
    }

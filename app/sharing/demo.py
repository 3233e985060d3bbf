"""The demo's course packages: Trondheim's curriculum in kurs/ (shared with the partners)
and the county's shared module on digital dugnad. Idempotent: a second load finds every
version known and changes nothing."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from flask import has_app_context
from sqlalchemy.orm import Session

from app.orm import utcnow
from app.sharing.models import SharingScope
from app.sharing.services import import_path
from app.sharing.storage import BlobStore, current_store

KURS = Path(__file__).resolve().parents[2] / "kurs"
#: The packages the demo imports, each for the publisher its manifest names.
DEMO_PACKAGES = ("it-i-hverdagen", "prosjektledersamling", "digital-dugnad")


def _store() -> BlobStore:
    if has_app_context():
        return current_store()
    # Tests build the demo on a bare session, with no app and so no storage setting: its
    # files go to a scratch directory rather than into the working tree.
    return BlobStore(Path(tempfile.gettempdir()) / "kurs-demo-storage")


def load(session: Session, today: date,
         names: tuple[str, ...] = DEMO_PACKAGES) -> None:
    store = _store()
    for name in names:
        import_path(session, path=KURS / name, store=store, now=utcnow(),
                    scope=SharingScope.PARTNERS)

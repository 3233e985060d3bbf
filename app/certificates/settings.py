"""What issuing needs from the app's configuration, as one plain value.

Services take it as an argument; callers that have none (another domain's service calling
``check_completion``) get it from the running app here, the one place this package reads
Flask's configuration outside a view.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


@dataclass(frozen=True)
class IssueSettings:
    #: KURS_STORAGE_DIR: frozen PDFs and the signing keys live under it.
    storage_dir: Path
    #: KURS_BASE_URL without a trailing slash: the QR code and e-mails point here.
    base_url: str

    @property
    def mail_domain(self) -> str:
        return urlsplit(self.base_url).hostname or "localhost"

    def verify_url(self, code: str) -> str:
        return f"{self.base_url}/verify/{code}"


def from_config(config) -> IssueSettings:
    return IssueSettings(storage_dir=Path(config["KURS_STORAGE_DIR"]),
                         base_url=config["KURS_BASE_URL"].rstrip("/"))


def current_settings() -> IssueSettings:
    from flask import current_app

    return from_config(current_app.config)

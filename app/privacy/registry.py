"""The privacy registry: every domain states what it holds about a person and what happens to
it on export and on anonymisation (Moodle's privacy provider API is the model).

Each domain has an ``app/<domain>/privacy.py`` that calls :func:`register` with a
:class:`Provider`; ``app.privacy.providers`` imports them all. A provider names

- ``sections``: export functions, one per part of the own-data export
  (``func(session, user) -> list | dict``, JSON-ready values only);
- ``columns``: for **every** foreign key to ``user_account`` in the domain's tables, how the
  export and the anonymiser treat it (``tests/privacy/test_coverage.py`` walks the metadata
  and fails on a column nobody declared, so a new table cannot forget privacy);
- ``mentions``: free-text columns that may mention *any* person by name or address (mails,
  audit details); the anonymiser replaces the leaver's name, address and employee number
  there;
- ``anonymise``: ``func(session, user, now)`` that removes or scrubs the person's own rows
  (free text, answers) while keeping what statistics need.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

ExportFunc = Callable[[Session, Any], Any]
AnonymiseFunc = Callable[..., None]


@dataclass(frozen=True)
class Handling:
    """What happens to one ``table.column`` that points at a person."""

    #: The export section that carries these rows, or None with ``why`` saying why not.
    export: str | None
    #: What the anonymiser does with the rows (read by people, shown in docs).
    anonymise: str
    #: Why the rows are not in the person's export (e.g. "who recorded someone else's mark").
    why: str = ""


@dataclass(frozen=True)
class Provider:
    domain: str
    sections: dict[str, ExportFunc] = field(default_factory=dict)
    columns: dict[str, Handling] = field(default_factory=dict)
    #: "table.column" of free text or JSON that may name anyone (scrubbed of the leaver).
    mentions: tuple[str, ...] = ()
    anonymise: AnonymiseFunc | None = None
    #: Runs after the other providers (the person's own row is scrubbed last, because the
    #: mention scrubbing needs the name and address it is about to remove).
    last: bool = False


PROVIDERS: dict[str, Provider] = {}

#: What an anonymised person is called from then on (certificates, the person's row).
ANONYMISED_NAME = "Anonymisert"


@dataclass(frozen=True)
class AnonymiseContext:
    """What an anonymiser gets besides the session and the person."""

    now: datetime
    #: KURS_STORAGE_DIR, for files that carry the person's name (frozen certificates).
    storage_dir: Path
    actor: Any = None


def plain(value: Any) -> Any:
    """A value as JSON shows it: dates in ISO 8601, enums as their value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, int | float | str | bool):
        return value.value
    return value


def row(obj: Any, *names: str, **extra: Any) -> dict[str, Any]:
    """``names`` of ``obj`` as a JSON-ready dict, plus ``extra``."""
    out = {name: plain(getattr(obj, name)) for name in names}
    out.update({k: plain(v) for k, v in extra.items()})
    return out


def register(provider: Provider) -> Provider:
    for column, handling in provider.columns.items():
        if handling.export is None and not handling.why:
            raise ValueError(f"{column}: say why it is not exported")
        if handling.export is not None and handling.export not in provider.sections:
            raise ValueError(f"{column}: no export section {handling.export!r}")
    PROVIDERS[provider.domain] = provider
    return provider


def providers() -> list[Provider]:
    import app.privacy.providers  # noqa: F401  (registers every domain)

    return sorted(PROVIDERS.values(), key=lambda p: (p.last, p.domain))


def declared_columns() -> dict[str, Handling]:
    out: dict[str, Handling] = {}
    for provider in providers():
        for column, handling in provider.columns.items():
            if column in out:
                raise ValueError(f"{column} is declared twice")
            out[column] = handling
    return out

"""Uploaded HR files, kept by content hash so that the confirm step applies exactly the
file that was previewed.

Files live under ``KURS_STORAGE_DIR/hr-import/<organisation id>/<sha256>.csv`` (every host
shares the directory). They hold personal data: the confirm step deletes the file it has
applied, and ``prune`` removes previews nobody confirmed.
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

HASH_RE = re.compile(r"^[0-9a-f]{64}$")
#: Previews older than this are removed by ``prune``.
MAX_AGE_SECONDS = 24 * 3600


def _folder(storage_dir: str | Path, organisation_id: int) -> Path:
    return Path(storage_dir) / "hr-import" / str(int(organisation_id))


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store(storage_dir: str | Path, organisation_id: int, data: bytes) -> str:
    digest = file_hash(data)
    folder = _folder(storage_dir, organisation_id)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest}.csv"
    if not target.exists():
        partial = folder / f".{digest}.part"
        partial.write_bytes(data)
        partial.replace(target)  # atomic: a reader never sees half a file
    prune(storage_dir, organisation_id)
    return digest


def load(storage_dir: str | Path, organisation_id: int, digest: str) -> bytes | None:
    """The stored file, or None when the hash is malformed, unknown or does not match."""
    if not HASH_RE.match(digest or ""):
        return None
    path = _folder(storage_dir, organisation_id) / f"{digest}.csv"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    return data if file_hash(data) == digest else None


def remove(storage_dir: str | Path, organisation_id: int, digest: str) -> None:
    if HASH_RE.match(digest or ""):
        (_folder(storage_dir, organisation_id) / f"{digest}.csv").unlink(missing_ok=True)


def prune(storage_dir: str | Path, organisation_id: int, *, now: float | None = None) -> None:
    cutoff = (now or time.time()) - MAX_AGE_SECONDS
    for path in _folder(storage_dir, organisation_id).glob("*.csv"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)

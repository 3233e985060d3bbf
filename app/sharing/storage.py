"""Files under KURS_STORAGE_DIR, stored by their SHA-256: the same bytes are kept once.

Files are written to a temporary name in the same directory and renamed, so a reader on
any host sees either nothing or the whole file. A file written by a transaction that later
rolls back stays behind unused; it is harmless, since a key names its content.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class BlobStore:
    def __init__(self, root: Path | str):
        self.root = Path(root)

    def put(self, data: bytes, *, prefix: str, suffix: str = "") -> str:
        digest = hashlib.sha256(data).hexdigest()
        key = f"{prefix}/{digest[:2]}/{digest}{suffix}"
        path = self.root / key
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        return key

    def attachment_key(self, sha256: str) -> str:
        return f"attachments/{sha256[:2]}/{sha256}"

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"storage key outside the storage directory: {key!r}")
        return path

    def read(self, key: str) -> bytes:
        return self.path(key).read_bytes()


def current_store() -> BlobStore:
    """The store of the running app (views and commands; services take it as argument)."""
    from flask import current_app

    return BlobStore(current_app.config["KURS_STORAGE_DIR"])

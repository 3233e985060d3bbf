"""Uploaded files: checking them, storing them under KURS_STORAGE_DIR, reading them back.

A file is accepted only when its extension is on the allow-list *and* its content looks
like that type (magic bytes, the parts an Office file must contain, UTF-8 text for
Markdown and plain text, an SVG without scripts). It is stored under a name the server
makes; the uploader's file name is cleaned and kept for display only. Downloads are always
attachments (see the views), so nothing uploaded is ever rendered by the browser.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l

from app.errors import DomainError

log = logging.getLogger(__name__)

#: The default largest file; the app setting TOOLBOX_MAX_FILE_BYTES overrides it.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "svg": "image/svg+xml",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}
ALLOWED_EXTENSIONS = tuple(CONTENT_TYPES)

#: The folder inside an Office Open XML package that marks its kind.
_OFFICE_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
#: An Office file with more parts than this is not a template (and may be a zip bomb).
_MAX_ZIP_ENTRIES = 2000
_SVG_FORBIDDEN = re.compile(
    rb"<script|<foreignobject|\bon[a-z]+\s*=|javascript:|<!entity|\bhref\s*=\s*(?![\"']?#)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    extension: str
    content_type: str
    original_name: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def _reject(code: str, message) -> DomainError:
    return DomainError(code, message, field="file", status=422)


def clean_name(name: str | None, *, limit: int = 150) -> str:
    """A file name safe to show and to offer as a download name: no folders, no control
    characters, no leading dots, letters (æøå included), digits, spaces, ``-_.()``."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(c if (c.isalnum() or c in " -_.()") else "-" for c in name)
    name = re.sub(r"\s+", " ", re.sub(r"-{2,}", "-", name)).strip(" .-")
    return name[:limit] or "fil"


def extension_of(name: str | None) -> str:
    _, dot, ext = (name or "").rpartition(".")
    return ext.lower() if dot else ""


def _looks_like(extension: str, data: bytes) -> bool:
    if extension == "pdf":
        return data.startswith(b"%PDF-")
    if extension == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in _OFFICE_PARTS:
        return _is_office_package(data, _OFFICE_PARTS[extension])
    if extension in ("md", "txt"):
        return _is_text(data)
    if extension == "svg":
        return _is_text(data) and b"<svg" in data[:4096].lower() and not _SVG_FORBIDDEN.search(data)
    return False


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_office_package(data: bytes, folder: str) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False
    # Only the listing is read; nothing is unpacked.
    return (len(names) <= _MAX_ZIP_ENTRIES and "[Content_Types].xml" in names
            and any(n.startswith(folder) for n in names))


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size // (1024 * 1024)} MB"
    return f"{max(1, size // 1024)} kB"


def check_upload(data: bytes, filename: str | None, *, max_bytes: int) -> CheckedFile:
    """Accept ``data`` named ``filename`` or raise a ``DomainError`` on the ``file`` field."""
    extension = extension_of(filename)
    if extension not in CONTENT_TYPES:
        raise _reject("file_type", _l("Filtypen er ikke tillatt. Tillatt er: %(types)s.",
                                      types=", ".join(ALLOWED_EXTENSIONS)))
    if not data:
        raise _reject("file_empty", _l("Filen er tom."))
    if len(data) > max_bytes:
        raise _reject("file_too_large", _l("Filen er større enn %(size)s.",
                                           size=human_size(max_bytes)))
    if not _looks_like(extension, data):
        raise _reject("file_content", _l("Innholdet i filen stemmer ikke med filtypen "
                                         ".%(ext)s.", ext=extension))
    return CheckedFile(data=data, extension=extension, content_type=CONTENT_TYPES[extension],
                       original_name=clean_name(filename),
                       sha256=hashlib.sha256(data).hexdigest())


def store(root: str | Path, area: str, checked: CheckedFile, *,
          content_addressed: bool = False) -> str:
    """Write the file under ``root/area`` and return its key (relative to ``root``).

    Content-addressed keys (the file's SHA-256) suit files that are never removed: the same
    bytes are stored once however often they are uploaded or imported. Otherwise the name
    is random. The write goes to a temporary file first, so a reader never sees half a file.
    """
    name = checked.sha256 if content_addressed else secrets.token_hex(16)
    key = f"{area}/{name[:2]}/{name}.{checked.extension}"
    path = resolve(root, key)
    if content_addressed and path.is_file():
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    tmp.write_bytes(checked.data)
    os.replace(tmp, path)
    log.info("stored file key=%s size=%s", key, checked.size)
    return key


def resolve(root: str | Path, key: str) -> Path:
    """The path of ``key``; refuses any key that would leave the storage directory."""
    base = Path(root).resolve()
    path = (base / key).resolve()
    if not path.is_relative_to(base) or path == base:
        raise ValueError(f"storage key outside the storage directory: {key!r}")
    return path


def remove(root: str | Path, key: str | None) -> None:
    """Delete a stored file (after the transaction that forgot it has committed)."""
    if not key:
        return
    try:
        resolve(root, key).unlink(missing_ok=True)
    except (OSError, ValueError):
        log.warning("could not remove stored file key=%s", key, exc_info=True)


def download_name(title: str, extension: str, suffix: str = "") -> str:
    """e.g. "Risikoanalyse v3.xlsx": the title cleaned, never the uploader's name."""
    title = title.replace("/", "-").replace("\\", "-")
    base = clean_name(f"{title} {suffix}".strip(), limit=120)
    return f"{base}.{extension}"

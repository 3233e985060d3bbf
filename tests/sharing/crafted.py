"""Crafting hostile zip archives: entries Python's zipfile would never write, made by
patching the headers of an ordinary archive."""

from __future__ import annotations

import io
import struct
import warnings
import zipfile

CENTRAL = b"PK\x01\x02"
LOCAL = b"PK\x03\x04"


def build(entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicates we want
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries:
                archive.writestr(name, data)
    return buffer.getvalue()


def central_entries(data: bytes):
    """(offset of the central header, name bytes) for every entry."""
    start = 0
    while (at := data.find(CENTRAL, start)) >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        yield at, data[at + 46:at + 46 + name_length]
        start = at + 4


def patch(data: bytes, name: str, **fields: int) -> bytes:
    """Set central-directory fields of the entry called ``name``: flags, size (the
    uncompressed size), offset (of its local header), external_attr."""
    layout = {"flags": (8, "<H"), "size": (24, "<I"), "offset": (42, "<I"),
              "external_attr": (38, "<I")}
    buffer = bytearray(data)
    for at, raw in central_entries(data):
        if raw == name.encode():
            for field, value in fields.items():
                position, fmt = layout[field]
                struct.pack_into(fmt, buffer, at + position, value)
            local = struct.unpack_from("<I", buffer, at + 42)[0]
            if "flags" in fields and buffer[local:local + 4] == LOCAL:
                struct.pack_into("<H", buffer, local + 6, fields["flags"])
            if "size" in fields and buffer[local:local + 4] == LOCAL:
                struct.pack_into("<I", buffer, local + 22, fields["size"])
            return bytes(buffer)
    raise KeyError(name)


def rename(data: bytes, old: str, new: bytes) -> bytes:
    """Replace an entry's name bytes (same length) in both headers."""
    assert len(old.encode()) == len(new)
    return data.replace(old.encode(), new)


def flags_of(data: bytes, name: str) -> int:
    for at, raw in central_entries(data):
        if raw == name.encode():
            return struct.unpack_from("<H", data, at + 8)[0]
    raise KeyError(name)


def with_mode(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info

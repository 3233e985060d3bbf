"""Reading TOML files of a package into a checked table, and writing canonical TOML."""

from __future__ import annotations

import tomllib
from typing import Any

import tomli_w

from app.sharing.problems import N_, Collector, Table


def decode_text(collector: Collector, file: str, data: bytes) -> str | None:
    """UTF-8 text with a leading BOM dropped and line endings made ``\\n``."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        collector.add(file, None, N_("filen er ikke gyldig UTF-8 (byte %(position)s)"),
                      position=error.start)
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        collector.add(file, None, N_("filen inneholder NUL-tegn; er den en tekstfil?"))
        return None
    return text


def load_table(collector: Collector, file: str, data: bytes) -> Table | None:
    text = decode_text(collector, file, data)
    if text is None:
        return None
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        collector.add(file, None, N_("ugyldig TOML: %(detail)s"), detail=str(error))
        return None
    except RecursionError:
        collector.add(file, None, N_("ugyldig TOML: for dypt nøstet"))
        return None
    return Table(collector, file, parsed)


def dumps(document: dict[str, Any]) -> bytes:
    """Canonical TOML: the dict's own key order, multi-line strings where text has line
    breaks, UTF-8, one final newline (tomli-w's output is deterministic)."""
    return tomli_w.dumps(document, multiline_strings=True).encode("utf-8")

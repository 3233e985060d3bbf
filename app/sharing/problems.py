"""Validation problems that name the file, the key and what was expected, and a small
reader that type-checks TOML tables field by field while collecting every problem.

Messages are bokmål templates marked with ``N_`` so that pybabel extracts them; the
caller renders them with its own ``gettext`` (Flask-Babel in views, nothing in tests),
which keeps this module free of Flask.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


def N_(message: str) -> str:  # noqa: N802  (the gettext convention for "mark only")
    """Mark a message for translation without translating it here."""
    return message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a package: where (file and key) and what was expected."""

    file: str
    key: str | None
    message: str
    params: tuple[tuple[str, Any], ...] = ()

    def text(self, gettext: Callable[[str], str] | None = None) -> str:
        template = gettext(self.message) if gettext else self.message
        # Parameters that are themselves marked messages (hints, kinds) are translated
        # too; file names and values pass through gettext unchanged.
        params = {k: gettext(v) if gettext and isinstance(v, str) else v
                  for k, v in self.params}
        message = template % params if params else template
        where = self.file + (f" – {self.key}" if self.key else "")
        return f"{where}: {message}"

    def __str__(self) -> str:
        return self.text()


class PackageError(Exception):
    """A package (or an archive, or one of its files) is not valid; nothing was written."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems[:5]))

    def texts(self, gettext: Callable[[str], str] | None = None) -> list[str]:
        return [p.text(gettext) for p in self.problems]


class Collector:
    """Gathers problems so that an editor sees all of them at once, up to a limit."""

    LIMIT = 100

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, key: str | None, message: str, /, **params: Any) -> None:
        if len(self.problems) < self.LIMIT:
            self.problems.append(Problem(file, key, message, tuple(sorted(params.items()))))

    def check(self) -> None:
        if self.problems:
            raise PackageError(self.problems)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MISSING = object()

def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, datetime):
        return "datetime"
    return {str: "string", int: "integer", float: "float", dict: "table", list: "array",
            date: "date"}.get(type(value), type(value).__name__)


class Table:
    """A TOML table read field by field. Every accessor records a problem and returns
    ``None`` when the value is missing or wrong, so that reading can go on and report
    everything; ``finish()`` reports keys nobody asked for."""

    def __init__(self, collector: Collector, file: str, data: Any, path: str = ""):
        self.collector = collector
        self.file = file
        self.path = path
        self.data: dict = data if isinstance(data, dict) else {}
        self.seen: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.path}{name}"

    def problem(self, name: str | None, message: str, /, **params: Any) -> None:
        key = self.key(name) if name is not None else (self.path.rstrip(".") or None)
        self.collector.add(self.file, key, message, **params)

    def _get(self, name: str, required: bool) -> Any:
        self.seen.add(name)
        if name not in self.data:
            if required:
                self.problem(name, N_("mangler (påkrevd)"))
            return _MISSING
        return self.data[name]

    def _wrong_type(self, name: str, expected: str, value: Any) -> None:
        self.problem(name, N_("skal være %(expected)s, ikke %(actual)s"),
                     expected=expected, actual=type_name(value))

    def string(self, name: str, *, required: bool = True, max_length: int = 200,
               multiline: bool = False, pattern: re.Pattern | None = None,
               pattern_hint: str = "", default: str | None = None) -> str | None:
        value = self._get(name, required)
        if value is _MISSING:
            return default
        if not isinstance(value, str):
            self._wrong_type(name, "string", value)
            return None
        if not multiline and ("\n" in value or "\r" in value):
            self.problem(name, N_("skal stå på én linje"))
            return None
        if _CONTROL.search(value):
            self.problem(name, N_("inneholder kontrolltegn"))
            return None
        stripped = value.strip()
        if required and not stripped:
            self.problem(name, N_("kan ikke være tom"))
            return None
        if len(value) > max_length:
            self.problem(name, N_("er for lang (høyst %(max)s tegn)"), max=max_length)
            return None
        if pattern is not None and not pattern.fullmatch(value):
            self.problem(name, N_("har ugyldig form; forventet %(hint)s"), hint=pattern_hint)
            return None
        return value if multiline else stripped

    def integer(self, name: str, *, required: bool = True, minimum: int, maximum: int,
                default: int | None = None) -> int | None:
        value = self._get(name, required)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self._wrong_type(name, "integer", value)
            return None
        if not minimum <= value <= maximum:
            self.problem(name, N_("skal være et heltall fra %(min)s til %(max)s"),
                         min=minimum, max=maximum)
            return None
        return value

    def number(self, name: str, *, required: bool = True, minimum: float | None = None,
               default: float | None = None) -> float | None:
        value = self._get(name, required)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._wrong_type(name, "number", value)
            return None
        if isinstance(value, int) and abs(value) > 10**15:
            self.problem(name, N_("er for stort"))
            return None
        number = float(value)
        if not math.isfinite(number):
            self.problem(name, N_("skal være et endelig tall"))
            return None
        if minimum is not None and number < minimum:
            self.problem(name, N_("kan ikke være mindre enn %(min)s"), min=minimum)
            return None
        return number

    def boolean(self, name: str, *, required: bool = False,
                default: bool | None = False) -> bool | None:
        value = self._get(name, required)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self._wrong_type(name, "boolean", value)
            return None
        return value

    def choice(self, name: str, choices: Iterable[str], *, required: bool = True,
               default: str | None = None) -> str | None:
        allowed = list(choices)
        value = self._get(name, required)
        if value is _MISSING:
            return default
        if not isinstance(value, str) or value not in allowed:
            self.problem(name, N_("skal være en av %(choices)s"), choices=", ".join(allowed))
            return None
        return value

    def date(self, name: str, *, required: bool = False) -> date | None:
        value = self._get(name, required)
        if value is _MISSING:
            return None
        if isinstance(value, datetime) or not isinstance(value, date):
            self._wrong_type(name, "date (YYYY-MM-DD)", value)
            return None
        return value

    def string_list(self, name: str, *, required: bool = True, choices: Iterable[str] = (),
                    min_items: int = 0, max_items: int = 100, max_length: int = 200,
                    pattern: re.Pattern | None = None,
                    pattern_hint: str = "") -> tuple[str, ...] | None:
        allowed = list(choices)
        value = self._get(name, required)
        if value is _MISSING:
            return () if not required else None
        if not isinstance(value, list):
            self._wrong_type(name, "array of strings", value)
            return None
        if not min_items <= len(value) <= max_items:
            self.problem(name, N_("skal ha fra %(min)s til %(max)s elementer"),
                         min=min_items, max=max_items)
            return None
        items: list[str] = []
        for index, item in enumerate(value, start=1):
            where = f"{name}[{index}]"
            if not isinstance(item, str):
                self._wrong_type(where, "string", item)
                return None
            if allowed and item not in allowed:
                self.problem(where, N_("skal være en av %(choices)s"), choices=", ".join(allowed))
                return None
            if not item.strip() or len(item) > max_length or "\n" in item or _CONTROL.search(item):
                self.problem(where, N_("skal være en ikke-tom tekst på én linje, høyst %(max)s "
                                       "tegn"), max=max_length)
                return None
            if pattern is not None and not pattern.fullmatch(item):
                self.problem(where, N_("har ugyldig form; forventet %(hint)s"), hint=pattern_hint)
                return None
            if item in items:
                self.problem(where, N_("står to ganger"))
                return None
            items.append(item)
        return tuple(items)

    def table(self, name: str, *, required: bool = True) -> Table | None:
        value = self._get(name, required)
        if value is _MISSING:
            return None
        if not isinstance(value, dict):
            self._wrong_type(name, "table", value)
            return None
        return Table(self.collector, self.file, value, f"{self.key(name)}.")

    def tables(self, name: str, *, required: bool = True, min_items: int = 0,
               max_items: int = 500) -> list[Table] | None:
        value = self._get(name, required)
        if value is _MISSING:
            return [] if not required else None
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self._wrong_type(name, f"array of tables ([[{name}]])", value)
            return None
        if not min_items <= len(value) <= max_items:
            self.problem(name, N_("skal ha fra %(min)s til %(max)s oppføringer"),
                         min=min_items, max=max_items)
            return None
        return [Table(self.collector, self.file, v, f"{self.key(name)}[{i}].")
                for i, v in enumerate(value, start=1)]

    def finish(self) -> None:
        for name in sorted(set(self.data) - self.seen):
            self.problem(str(name), N_("ukjent nøkkel"))

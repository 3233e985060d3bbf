"""Every text of the catalogue, enrolment, seminar and home pages has its English translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = ("app/catalogue", "app/enrolment", "app/home", "app/api", "app/seminars")
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2"),
           ("**/templates/**.txt", "jinja2")]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None,
            "ngettext": (1, 2), "N_": None}


def missing_translations(folders) -> list[str]:
    """The texts in ``folders`` that have no English translation."""
    with (ROOT / "app/translations/en/LC_MESSAGES/messages.po").open("rb") as f:
        catalogue = read_po(f)
    missing = []
    for folder in folders:
        for _file, _line, message, _comments, _context in extract_from_dir(
                folder, METHODS, keywords=KEYWORDS):
            key = message if isinstance(message, str) else message[0]
            entry = catalogue.get(key)
            strings = [entry.string] if entry and isinstance(entry.string, str) else (
                list(entry.string) if entry else [])
            if not strings or not all(strings):
                missing.append(key)
    return missing


def test_every_text_of_these_pages_is_translated_to_english():
    assert missing_translations([ROOT / domain for domain in DOMAINS]) == []

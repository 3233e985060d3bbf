"""Every text of the reports has its English translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2"),
           ("**/templates/**.txt", "jinja2")]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None,
            "ngettext": (1, 2), "N_": None}


def test_every_text_of_the_reports_is_translated_to_english():
    with (ROOT / "app/translations/en/LC_MESSAGES/messages.po").open("rb") as f:
        catalogue = read_po(f)
    missing = []
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / "app/reports", METHODS, keywords=KEYWORDS):
        key = message if isinstance(message, str) else message[0]
        entry = catalogue.get(key)
        if entry is None or not entry.string or (
                not isinstance(entry.string, str) and not all(entry.string)):
            missing.append(key)
    assert missing == []

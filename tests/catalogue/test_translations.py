"""Every text of the catalogue, enrolment, seminar and home pages, the menu and the
certificates has its English translation (in its context, where it has one)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = ("app/catalogue", "app/enrolment", "app/home", "app/api", "app/seminars",
           "app/common", "app/certificates")
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2"),
           ("**/templates/**.txt", "jinja2")]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None,
            "ngettext": (1, 2), "N_": None, "pgettext": ((1, "c"), 2),
            "_lp": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2)}


def missing_translations(folders) -> list[str]:
    """The texts in ``folders`` that have no English translation."""
    with (ROOT / "app/translations/en/LC_MESSAGES/messages.po").open("rb") as f:
        catalogue = read_po(f)
    missing = []
    for folder in folders:
        for _file, _line, message, _comments, context in extract_from_dir(
                folder, METHODS, keywords=KEYWORDS):
            key = message if isinstance(message, str) else message[0]
            entry = catalogue.get(key, context=context)
            strings = [entry.string] if entry and isinstance(entry.string, str) else (
                list(entry.string) if entry else [])
            if not strings or not all(strings):
                missing.append(key)
    return missing


def test_every_text_of_these_pages_is_translated_to_english():
    assert missing_translations([ROOT / domain for domain in DOMAINS]) == []


def test_the_list_of_courses_and_of_certificates_is_plural_in_english(web, client, session,
                                                                    login_as):
    from tests.factories import make_user

    login_as(make_user(session, roles=["admin"]))
    web.post("/sprak", {"lang": "en", "next": "/"})
    menu = client.get("/").get_data(as_text=True).split('<nav class="site-nav"')[1]
    assert ">Courses<" in menu and ">Certificates<" in menu
    assert ">Course<" not in menu and ">Certificate<" not in menu
    assert "<title>Courses" in client.get("/kurs").get_data(as_text=True)

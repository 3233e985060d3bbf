"""Uploads are accepted by extension *and* content, stored under names the server makes,
inside the storage directory only."""

from __future__ import annotations

import pytest

from app.errors import DomainError
from app.toolbox import storage
from tests.toolbox.builders import PDF, PNG, office_file

LIMIT = 1024 * 1024


def check(data, name, limit=LIMIT):
    return storage.check_upload(data, name, max_bytes=limit)


@pytest.mark.parametrize(("data", "name", "content_type"), [
    (PDF, "plan.pdf", "application/pdf"),
    (office_file("word/"), "Plan.DOCX", storage.CONTENT_TYPES["docx"]),
    (office_file("xl/"), "kost.xlsx", storage.CONTENT_TYPES["xlsx"]),
    (office_file("ppt/"), "samling.pptx", storage.CONTENT_TYPES["pptx"]),
    (PNG, "kart.png", "image/png"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><use href="#a"/></svg>', "figur.svg",
     "image/svg+xml"),
    ("# Mandat\n\nBehov og mål – æøå.\n".encode(), "mandat.md", "text/markdown; charset=utf-8"),
    (b"Notat\n", "notat.txt", "text/plain; charset=utf-8"),
])
def test_each_allowed_type_is_accepted_when_its_content_matches(data, name, content_type):
    result = check(data, name)
    assert result.content_type == content_type
    assert result.extension == name.rsplit(".", 1)[1].lower()
    assert len(result.sha256) == 64


@pytest.mark.parametrize(("data", "name", "code"), [
    (b"<html><script>alert(1)</script></html>", "side.html", "file_type"),
    (PDF, "program.exe", "file_type"),
    (PDF, "uten-endelse", "file_type"),
    (b"", "tom.pdf", "file_empty"),
    (b"MZ\x90\x00 not a pdf", "plan.pdf", "file_content"),
    (PDF, "bilde.png", "file_content"),
    (office_file("xl/"), "plan.docx", "file_content"),
    (b"PK\x03\x04 broken zip", "plan.docx", "file_content"),
    (b"<svg><script>alert(1)</script></svg>", "figur.svg", "file_content"),
    (b'<svg onload="alert(1)"></svg>', "figur.svg", "file_content"),
    (b'<svg><a href="https://evil.example">x</a></svg>', "figur.svg", "file_content"),
    (b"\xff\xfe binary", "notat.txt", "file_content"),
    (b"text\x00with nul", "notat.md", "file_content"),
])
def test_a_file_whose_type_or_content_is_wrong_is_refused_on_the_file_field(data, name, code):
    with pytest.raises(DomainError) as caught:
        check(data, name)
    assert caught.value.code == code
    assert caught.value.field == "file"
    assert caught.value.status == 422


def test_a_file_over_the_limit_is_refused_with_the_limit_in_the_message():
    with pytest.raises(DomainError) as caught:
        check(PDF + b"0" * (2 * LIMIT), "stor.pdf")
    assert caught.value.code == "file_too_large"
    assert "1 MB" in str(caught.value.message)


@pytest.mark.parametrize(("given", "clean"), [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\kari\\Risikoanalyse v2.xlsx", "Risikoanalyse v2.xlsx"),
    ("Gevinstrealisering – Øya.docx", "Gevinstrealisering - Øya.docx"),
    ('"><script>.pdf', "script-.pdf"),
    ("...", "fil"),
])
def test_names_are_cleaned_of_folders_and_markup(given, clean):
    assert storage.clean_name(given) == clean


def test_files_are_stored_under_server_made_names_inside_the_storage_directory(tmp_path):
    file = check(PDF, "../../Mitt prosjekt.pdf")
    key = storage.store(tmp_path, "projects", file)
    assert key.startswith("projects/") and key.endswith(".pdf")
    assert "Mitt" not in key and ".." not in key
    assert storage.resolve(tmp_path, key).read_bytes() == PDF
    assert storage.store(tmp_path, "projects", file) != key  # random, never reused


def test_content_addressed_files_are_stored_once(tmp_path):
    file = check(PDF, "plan.pdf")
    first = storage.store(tmp_path, "toolbox", file, content_addressed=True)
    second = storage.store(tmp_path, "toolbox", file, content_addressed=True)
    assert first == second == f"toolbox/{file.sha256[:2]}/{file.sha256}.pdf"
    assert len(list(tmp_path.rglob("*.pdf"))) == 1


@pytest.mark.parametrize("key", ["../outside.pdf", "/etc/passwd", "toolbox/../../x", ""])
def test_a_key_that_leaves_the_storage_directory_is_refused(tmp_path, key):
    with pytest.raises(ValueError, match="outside"):
        storage.resolve(tmp_path, key)


def test_removing_a_file_twice_or_a_missing_key_is_harmless(tmp_path):
    key = storage.store(tmp_path, "projects", check(PDF, "a.pdf"))
    storage.remove(tmp_path, key)
    storage.remove(tmp_path, key)
    storage.remove(tmp_path, None)
    assert not storage.resolve(tmp_path, key).exists()


def test_download_names_come_from_the_title_not_the_upload():
    assert storage.download_name("Risikoanalyse (regneark)", "xlsx", "v3") == \
        "Risikoanalyse (regneark) v3.xlsx"
    assert storage.download_name("Plan/../../x", "md") == "Plan-..-..-x.md"

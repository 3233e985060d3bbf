"""Hostile archives are refused before anything is read into the course: a corpus of
crafted zips, one per rule, each refused with a message that names the entry."""

from __future__ import annotations

import io
import stat
import time
import zipfile

import pytest

from app.sharing.archive import Limits, read_folder, read_zip, write_zip
from app.sharing.package import load_package
from app.sharing.problems import PackageError
from tests.sharing import crafted
from tests.sharing.builders import PDF, package_files, zip_of

GOOD = package_files()


def good_entries(top: str = "pakke/") -> list[tuple[str, bytes]]:
    return [(top + path, data) for path, data in GOOD.items()]


def refused(data: bytes, *fragments: str, limits: Limits | None = None) -> str:
    started = time.perf_counter()
    with pytest.raises(PackageError) as caught:
        read_zip(data, limits or Limits())
    assert time.perf_counter() - started < 2, "a hostile archive must be refused fast"
    text = " | ".join(caught.value.texts())
    for fragment in fragments:
        assert fragment in text, text
    return text


def test_an_ordinary_package_zip_is_read_with_or_without_its_top_folder():
    assert read_zip(zip_of(GOOD, top="digital-dugnad")) == GOOD
    assert read_zip(zip_of(GOOD, top=None)) == GOOD


def test_a_parent_directory_path_is_refused():
    data = crafted.build([*good_entries(), ("pakke/../../etc/cron.d/x", b"evil")])
    refused(data, "../../etc/cron.d/x", "går ut av pakken")


@pytest.mark.parametrize("name", ["/etc/passwd", "C:/Windows/evil.md"])
def test_an_absolute_path_is_refused(name):
    refused(crafted.build([*good_entries(), (name, b"evil")]), name, "absolutt sti")


def test_a_backslash_path_is_refused():
    refused(crafted.build([*good_entries(), ("pakke\\..\\x.md", b"x")]), "omvendt skråstrek")


def test_a_symbolic_link_is_refused():
    link = crafted.with_mode("pakke/vedlegg/passwd.pdf", stat.S_IFLNK | 0o777)
    refused(crafted.build([*good_entries(), (link, b"/etc/passwd")]), "passwd.pdf",
            "symbolsk lenke")


@pytest.mark.parametrize("kind", [stat.S_IFCHR, stat.S_IFBLK, stat.S_IFIFO, stat.S_IFSOCK])
def test_device_files_fifos_and_sockets_are_refused(kind):
    device = crafted.with_mode("pakke/vedlegg/zero.pdf", kind | 0o644)
    refused(crafted.build([*good_entries(), (device, b"")]), "zero.pdf", "enhetsfil")


def test_a_hard_link_entry_sharing_another_entrys_data_is_refused():
    data = crafted.build([*good_entries(), ("pakke/moduler/03-kopi.md", b"Kopi.\n")])
    first = next(at for at, name in crafted.central_entries(data)
                 if name == b"pakke/moduler/01-hva.md")
    offset = int.from_bytes(data[first + 42:first + 46], "little")
    linked = crafted.patch(data, "pakke/moduler/03-kopi.md", offset=offset)
    refused(linked, "deler data med en annen")


def test_duplicate_names_are_refused_also_when_they_differ_only_in_case_or_normal_form():
    duplicate = crafted.build([*good_entries(), ("pakke/moduler/01-hva.md", b"Annen tekst.\n")])
    refused(duplicate, "moduler/01-hva.md", "to ganger")
    composed = crafted.build([*good_entries(), ("pakke/vedlegg/\u00e5.pdf", PDF),
                              ("pakke/vedlegg/a\u030a.pdf", PDF)])
    refused(composed, "to ganger")
    cased = crafted.build([*good_entries(), ("pakke/KURS.toml", b"")])
    refused(cased, "KURS.toml", "to ganger")


def test_a_name_that_is_not_utf8_is_refused():
    data = crafted.build([*good_entries(), ("pakke/moduler/\u00f8l.md", b"x")])
    name = "pakke/moduler/\u00f8l.md"
    unflagged = crafted.patch(data, name, flags=crafted.flags_of(data, name) & ~0x800)
    refused(unflagged, "ikke kodet som UTF-8")
    broken = crafted.rename(data, name, b"pakke/moduler/\xff\xfel.md")
    refused(broken, "ikke gyldig UTF-8")


def test_control_characters_in_a_name_are_refused():
    refused(crafted.build([*good_entries(), ("pakke/moduler/a\x07.md", b"x")]), "kontrolltegn")


def test_more_than_two_thousand_entries_are_refused():
    entries = good_entries() + [(f"pakke/vedlegg/f{i}.pdf", PDF) for i in range(2000)]
    refused(crafted.build(entries), "2004 oppføringer", "høyst 2000")


def test_more_than_two_hundred_megabytes_unpacked_is_refused_from_the_headers_alone():
    data = crafted.build([*good_entries(), ("pakke/vedlegg/stor.pdf", PDF)])
    inflated = crafted.patch(data, "pakke/vedlegg/stor.pdf", size=201 * 1024 * 1024)
    refused(inflated, "pakkes ut til 201 MB", "høyst 200 MB")


def test_an_extreme_compression_ratio_is_refused_as_a_zip_bomb():
    bomb = crafted.build([*good_entries(), ("pakke/vedlegg/bombe.pdf",
                                            b"%PDF-" + b"\0" * (12 * 1024 * 1024))])
    refused(bomb, "bombe.pdf", "zip-bombe")


def test_a_size_that_lies_about_the_data_is_refused():
    data = crafted.build(good_entries())
    lying = crafted.patch(data, "pakke/moduler/02-hvordan.md", size=3)
    refused(lying, "moduler/02-hvordan.md")


@pytest.mark.parametrize("name", ["pakke/moduler/script.js", "pakke/vedlegg/program.exe",
                                  "pakke/vedlegg/side.html", "pakke/moduler/sub/a.md",
                                  "pakke/README.txt", "pakke/vedlegg/Stor.PDF"])
def test_files_of_a_wrong_type_or_place_are_refused(name):
    refused(crafted.build([*good_entries(), (name, b"x")]), name, "ikke tillatt")


def test_an_attachment_whose_bytes_are_not_its_type_is_refused():
    files = package_files(attachments=[{"file": "vedlegg/notat.pdf", "title": "Notat"}],
                          extra={"vedlegg/notat.pdf": b"MZ\x90\x00 not a pdf"})
    with pytest.raises(PackageError) as caught:
        load_package(zip_of(files))
    assert "vedlegg/notat.pdf: filen er ikke en PDF" in caught.value.texts()


@pytest.mark.parametrize("garbage", [b"", b"PK\x03\x04", b"not a zip at all" * 100])
def test_something_that_is_not_a_zip_is_refused(garbage):
    refused(garbage, "ikke et gyldig zip-arkiv")


def test_encrypted_entries_are_refused():
    data = crafted.build(good_entries())
    name = "pakke/moduler/01-hva.md"
    refused(crafted.patch(data, name, flags=crafted.flags_of(data, name) | 0x1), "krypterte")


def test_a_folder_with_a_symlink_or_a_stray_directory_is_refused(tmp_path):
    for path, data in GOOD.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    (tmp_path / ".DS_Store").write_bytes(b"ignored")
    assert read_folder(tmp_path) == GOOD
    (tmp_path / "vedlegg").mkdir()
    (tmp_path / "vedlegg" / "passwd.pdf").symlink_to("/etc/passwd")
    (tmp_path / "tmp").mkdir()
    with pytest.raises(PackageError) as caught:
        read_folder(tmp_path)
    text = " | ".join(caught.value.texts())
    assert "vedlegg/passwd.pdf: symbolsk lenke" in text
    assert "tmp/: en pakke kan bare ha mappene" in text


def test_an_exported_zip_depends_on_the_files_alone():
    first = write_zip(GOOD, top="digital-dugnad")
    second = write_zip(dict(reversed(list(GOOD.items()))), top="digital-dugnad")
    assert first == second
    assert read_zip(first) == GOOD
    infos = zipfile.ZipFile(io.BytesIO(first)).infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {stat.S_IFREG | 0o644}

"""Reading package zips and folders safely, and writing deterministic zips.

Nothing here ever extracts to disk: every entry is checked from the central directory
first (names, types, sizes, counts, compression ratio, overlapping data), and only then
read into memory with a bound. The rules are those of OWASP's file-upload cheat sheet and
ASVS 5.2/5.3 for archives: no absolute or ``..`` paths, no links or device files, no
duplicate or non-UTF-8 names, at most 2,000 entries and 200 MB unpacked, no extreme
compression ratio, and only the file types a package may hold.
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from app.sharing.problems import N_, Collector, PackageError, Problem

MB = 1024 * 1024

MANIFEST = "kurs.toml"
QUIZ = "quiz.toml"
PROGRAM = "program.toml"
MODULE_DIR = "moduler"
ATTACHMENT_DIR = "vedlegg"
ATTACHMENT_TYPES = ("pdf", "docx", "xlsx", "pptx", "png", "svg")
MODULE_PATH = re.compile(r"moduler/[a-z0-9][a-z0-9-]{0,80}\.md")
ATTACHMENT_PATH = re.compile(
    r"vedlegg/[a-z0-9][a-z0-9_-]{0,80}\.(?:" + "|".join(ATTACHMENT_TYPES) + ")"
)
#: Every archive's own problems are reported against this name.
ARCHIVE = "zip"

#: The fixed timestamp of every entry in an exported zip (the earliest a zip can hold).
FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class Limits:
    max_entries: int = 2000
    max_unpacked: int = 200 * MB
    #: Uncompressed / compressed size above which an entry counts as a zip bomb …
    max_ratio: int = 100
    #: … when it unpacks to more than this (small files may compress very well).
    ratio_floor: int = 1 * MB
    max_text: int = 2 * MB
    max_attachment: int = 50 * MB


DEFAULT_LIMITS = Limits()


def kind_of(path: str) -> str | None:
    """What a path inside a package is, or None when a package may not hold it."""
    if path in (MANIFEST, QUIZ, PROGRAM):
        return path.removesuffix(".toml")
    if MODULE_PATH.fullmatch(path):
        return "module"
    if ATTACHMENT_PATH.fullmatch(path):
        return "attachment"
    return None


def printable(name: str) -> str:
    """A name safe to show in a terminal or a page (control characters escaped)."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in name)[:200]


def _name_problem(name: str) -> str | None:
    if not name or len(name) > 255:
        return N_("tomt eller for langt filnavn")
    if any(not c.isprintable() for c in name):
        return N_("filnavnet inneholder kontrolltegn")
    if "\\" in name:
        return N_("filnavnet inneholder omvendt skråstrek")
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return N_("absolutt sti er ikke tillatt")
    parts = name.rstrip("/").split("/")
    if ".." in parts:
        return N_("stien går ut av pakken (..)")
    if any(part in ("", ".") for part in parts):
        return N_("stien har en tom del eller «.»")
    return None


def _size_problems(collector: Collector, name: str, size: int, compressed: int,
                   limits: Limits, kind: str | None) -> int:
    cap = limits.max_attachment if kind == "attachment" else limits.max_text
    if size > cap:
        collector.add(name, None, N_("filen er for stor (%(size)s MB, høyst %(max)s MB)"),
                      size=round(size / MB, 1), max=round(cap / MB, 1))
    if size > limits.ratio_floor and size > limits.max_ratio * max(compressed, 1):
        collector.add(name, None, N_("ekstrem komprimering (%(ratio)s:1); arkivet ser ut som "
                                     "en zip-bombe"), ratio=size // max(compressed, 1))
    return size


def _split_top(names: list[str], collector: Collector) -> str:
    """The folder every path sits in ("" when kurs.toml lies at the root)."""
    files = [n for n in names if not n.endswith("/")]
    if MANIFEST in files:
        return ""
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) == 1:
        top = tops.pop()
        if f"{top}/{MANIFEST}" in files:
            return top + "/"
    collector.add(ARCHIVE, None, N_("fant ikke kurs.toml, verken øverst i arkivet eller i én "
                                    "felles mappe"))
    return ""


def _check_paths(collector: Collector, relative: list[tuple[str, str]]) -> None:
    for original, path in relative:
        if path in ("", f"{MODULE_DIR}/", f"{ATTACHMENT_DIR}/"):
            continue
        if path.endswith("/"):
            collector.add(printable(original), None, N_("en pakke kan bare ha mappene moduler/ "
                                                        "og vedlegg/"))
        elif kind_of(path) is None:
            collector.add(printable(original), None, N_(
                "filen er ikke tillatt her: en pakke har kurs.toml, quiz.toml, program.toml, "
                "moduler/<navn>.md og vedlegg/<navn>.(pdf|docx|xlsx|pptx|png|svg), med små "
                "bokstaver, tall og bindestrek i navnet"))


def _data_ranges(data: bytes, infos: list[zipfile.ZipInfo], end: int,
                 collector: Collector) -> None:
    """Refuse entries whose data overlap or are shared: a zip's form of hard links, and
    the trick behind "overlapping" zip bombs."""
    spans = []
    for info in infos:
        offset = info.header_offset
        header = data[offset:offset + _LOCAL_HEADER.size]
        if len(header) < _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
            collector.add(printable(info.filename), None, N_("ødelagt oppføring i arkivet"))
            continue
        fields = _LOCAL_HEADER.unpack(header)
        start = offset + _LOCAL_HEADER.size + fields[-2] + fields[-1]
        spans.append((offset, start + info.compress_size, info.filename))
    spans.sort()
    previous_end = 0
    for offset, stop, name in spans:
        if offset < previous_end or stop > end:
            collector.add(printable(name), None, N_("oppføringen deler data med en annen "
                                                    "(hard lenke eller overlappende data)"))
        previous_end = max(previous_end, stop)


def read_zip(data: bytes, limits: Limits = DEFAULT_LIMITS) -> dict[str, bytes]:
    """The files of a package zip, keyed by their path inside the package."""
    collector = Collector()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except UnicodeDecodeError:
        raise PackageError([Problem(ARCHIVE, None, N_(
            "et filnavn i arkivet er ikke gyldig UTF-8"))]) from None
    except Exception:  # zipfile raises many kinds on a malformed archive; all mean "no"
        raise PackageError([Problem(ARCHIVE, None, N_(
            "filen er ikke et gyldig zip-arkiv"))]) from None
    if len(infos) > limits.max_entries:
        collector.add(ARCHIVE, None, N_("arkivet har %(count)s oppføringer; høyst %(max)s er "
                                        "tillatt"), count=len(infos), max=limits.max_entries)
        collector.check()

    seen: dict[str, str] = {}
    total = 0
    names: list[str] = []
    for info in infos:
        name = info.filename
        shown = printable(name)
        if not info.flag_bits & 0x800 and not name.isascii():
            collector.add(shown, None, N_("filnavnet er ikke kodet som UTF-8"))
            continue
        problem = _name_problem(name)
        if problem:
            collector.add(shown, None, problem)
            continue
        folded = unicodedata.normalize("NFC", name).casefold()
        if folded in seen:
            collector.add(shown, None, N_("navnet finnes to ganger i arkivet"))
            continue
        seen[folded] = name
        mode = info.external_attr >> 16
        if info.create_system == 3 and stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
            collector.add(shown, None, N_("symbolsk lenke er ikke tillatt i en pakke")
                          if stat.S_ISLNK(mode)
                          else N_("enhetsfil, FIFO eller socket er ikke tillatt i en pakke"))
            continue
        if info.flag_bits & 0x1:
            collector.add(shown, None, N_("krypterte filer er ikke tillatt"))
            continue
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            collector.add(shown, None, N_("ukjent komprimering; bruk vanlig zip (deflate)"))
            continue
        names.append(name)
        if not name.endswith("/"):
            total += info.file_size
    collector.check()
    if total > limits.max_unpacked:
        collector.add(ARCHIVE, None, N_("arkivet pakkes ut til %(size)s MB; høyst %(max)s MB er "
                                        "tillatt"), size=total // MB, max=limits.max_unpacked // MB)
        collector.check()

    top = _split_top(names, collector)
    collector.check()
    relative = [(n, n[len(top):]) for n in names]
    _check_paths(collector, relative)
    by_name = {info.filename: info for info in infos}
    for original, path in relative:
        info = by_name[original]
        if not original.endswith("/"):
            _size_problems(collector, printable(original), info.file_size, info.compress_size,
                           limits, kind_of(path))
    _data_ranges(data, [by_name[n] for n in names], getattr(archive, "start_dir", len(data)),
                 collector)
    collector.check()

    files: dict[str, bytes] = {}
    for original, path in relative:
        if original.endswith("/"):
            continue
        info = by_name[original]
        try:
            with archive.open(info) as handle:
                content = handle.read(info.file_size + 1)
        except Exception:  # CRC errors, truncated data, bad deflate streams
            collector.add(printable(original), None, N_("filen i arkivet er ødelagt"))
            continue
        if len(content) != info.file_size:
            collector.add(printable(original), None, N_("filen har en annen størrelse enn "
                                                        "arkivet oppgir"))
            continue
        files[path] = content
    collector.check()
    return files


def read_folder(root: Path, limits: Limits = DEFAULT_LIMITS) -> dict[str, bytes]:
    """The files of a package folder (hidden files such as .DS_Store are ignored)."""
    collector = Collector()
    found: list[tuple[str, Path]] = []

    def walk(folder: Path, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.startswith("."):
                    continue
                relative = prefix + entry.name
                try:
                    relative.encode("utf-8")
                except UnicodeEncodeError:
                    collector.add(printable(relative), None, N_("filnavnet er ikke gyldig UTF-8"))
                    continue
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISLNK(info.st_mode):
                    collector.add(relative, None, N_("symbolsk lenke er ikke tillatt i en pakke"))
                elif stat.S_ISDIR(info.st_mode):
                    if prefix or entry.name not in (MODULE_DIR, ATTACHMENT_DIR):
                        collector.add(relative + "/", None, N_(
                            "en pakke kan bare ha mappene moduler/ og vedlegg/"))
                    else:
                        walk(Path(entry.path), relative + "/")
                elif not stat.S_ISREG(info.st_mode):
                    collector.add(relative, None, N_(
                        "enhetsfil, FIFO eller socket er ikke tillatt i en pakke"))
                else:
                    found.append((relative, Path(entry.path)))

    if not root.is_dir():
        collector.add(str(root), None, N_("mappen finnes ikke"))
        collector.check()
    walk(root, "")
    if len(found) > limits.max_entries:
        collector.add(str(root), None, N_("arkivet har %(count)s oppføringer; høyst %(max)s er "
                                          "tillatt"), count=len(found), max=limits.max_entries)
    _check_paths(collector, [(r, r) for r, _ in found])
    total = 0
    for relative, path in found:
        size = path.stat().st_size
        total += _size_problems(collector, relative, size, size, limits, kind_of(relative))
    if total > limits.max_unpacked:
        collector.add(str(root), None, N_("arkivet pakkes ut til %(size)s MB; høyst %(max)s MB "
                                          "er tillatt"), size=total // MB,
                      max=limits.max_unpacked // MB)
    if MANIFEST not in {r for r, _ in found}:
        collector.add(MANIFEST, None, N_("mangler (påkrevd)"))
    collector.check()
    return {relative: path.read_bytes() for relative, path in found}


def write_zip(files: Mapping[str, bytes], top: str) -> bytes:
    """A zip whose bytes depend on the files alone: sorted entries in one folder, a fixed
    timestamp, fixed permissions (rw-r--r--), deflate at level 9, no comment."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(f"{top}/{path}", date_time=FIXED_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, files[path], compresslevel=9)
    return buffer.getvalue()

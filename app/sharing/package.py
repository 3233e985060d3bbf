"""The ``kurs/1`` package format: parse and validate a package folder or zip into frozen
dataclasses. No database, no Flask.

Everything is validated before anything is returned: the archive (see ``archive``), the
manifest ``kurs.toml``, each module's Markdown, ``quiz.toml``, ``program.toml``, the
attachments' real file types, the checksums, and that no file carries personal data.
Problems name the file, the key and what was expected (see ``problems``). The format is
documented in ``docs/kurs-format.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.sharing import archive
from app.sharing.archive import DEFAULT_LIMITS, MANIFEST, PROGRAM, QUIZ, Limits, kind_of
from app.sharing.checks import (
    MEDIA_TYPES,
    attachment_type_problem,
    personal_data_problems,
    sha256,
)
from app.sharing.problems import N_, Collector, PackageError, Problem, Table
from app.sharing.programfile import Program, parse_program
from app.sharing.quizfile import Quiz, parse_quiz
from app.sharing.tomlfile import decode_text, load_table

FORMAT = "kurs/1"
UID = re.compile(r"(?=.{3,120}$)[a-z0-9]+(?:[.-][a-z0-9]+)*")
SLUG = re.compile(r"(?=.{2,80}$)[a-z0-9]+(?:-[a-z0-9]+)*")
SEMVER = re.compile(r"(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})")
LANGUAGES = ("nb", "nn", "en")
LICENCES = ("NLOD-2.0", "CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0",
            "CC-BY-NC-SA-4.0", "CC-BY-ND-4.0", "CC-BY-NC-ND-4.0")
#: Licences that forbid derivatives: a course under one of them cannot be forked.
NO_DERIVATIVES = ("CC-BY-ND-4.0", "CC-BY-NC-ND-4.0")
COURSE_KINDS = ("course", "seminar")
#: The values of app.catalogue.models.Audience (a test keeps the two in step).
AUDIENCES = ("toppleder", "mellomleder", "forstelinjeleder", "project_leader", "everyone")
MANDATORY_GROUPS = ("toppleder", "mellomleder", "forstelinjeleder", "project_leader")
ORGANISATION_KINDS = ("municipality", "county", "state_administrator", "other")
ORG_NUMBER = re.compile(r"\d{9}")
CHECKSUM = re.compile(r"sha256:[0-9a-f]{64}")




def version_key(version: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in version.split("."))
    return major, minor, patch


@dataclass(frozen=True)
class Publisher:
    slug: str
    name: str
    kind: str
    org_number: str | None = None


@dataclass(frozen=True)
class BasedOn:
    """Where a forked package came from (attribution, as CC-BY asks)."""

    uid: str
    version: str
    publisher: str


@dataclass(frozen=True)
class Completion:
    attendance: bool = False
    attendance_percent: int | None = None
    quiz: bool = False
    modules: bool = False


@dataclass(frozen=True)
class ModuleRef:
    file: str
    title: str
    minutes: int | None = None


@dataclass(frozen=True)
class AttachmentRef:
    file: str
    title: str


@dataclass(frozen=True)
class Manifest:
    uid: str
    version: str
    slug: str
    kind: str
    title: str
    summary: str
    language: str
    licence: str
    publisher: Publisher
    audience: tuple[str, ...]
    completion: Completion
    modules: tuple[ModuleRef, ...]
    description: str = ""
    published: date | None = None
    change_note: str = ""
    mandatory_for: tuple[str, ...] = ()
    validity_months: int | None = None
    based_on: BasedOn | None = None
    attachments: tuple[AttachmentRef, ...] = ()
    checksums: tuple[tuple[str, str], ...] = ()

    @property
    def version_key(self) -> tuple[int, int, int]:
        return version_key(self.version)


@dataclass(frozen=True)
class Module:
    file: str
    title: str
    minutes: int | None
    #: CommonMark, line endings ``\n``, ending with one newline.
    body: str

    @property
    def name(self) -> str:
        return self.file.removeprefix("moduler/")


@dataclass(frozen=True)
class Attachment:
    file: str
    title: str
    media_type: str
    sha256: str
    data: bytes = field(repr=False)

    @property
    def name(self) -> str:
        return self.file.removeprefix("vedlegg/")

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class Package:
    manifest: Manifest
    modules: tuple[Module, ...]
    quiz: Quiz | None = None
    program: Program | None = None
    attachments: tuple[Attachment, ...] = ()


def load_package(source: Path | str | bytes, *, limits: Limits = DEFAULT_LIMITS) -> Package:
    """A package from a folder, a zip file's path, or a zip's bytes."""
    if isinstance(source, bytes):
        return parse_files(archive.read_zip(source, limits))
    path = Path(source)
    if path.is_dir():
        return parse_files(archive.read_folder(path, limits))
    if not path.is_file():
        raise PackageError([Problem(str(path), None, N_("finnes ikke"))])
    if path.stat().st_size > limits.max_unpacked:
        raise PackageError([Problem(str(path), None, N_("filen er for stor"))])
    return parse_files(archive.read_zip(path.read_bytes(), limits))


def normalise_markdown(text: str) -> str:
    """The one form a module's text is stored and exported in."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def _publisher(table: Table | None) -> Publisher | None:
    if table is None:
        return None
    slug = table.string("slug", max_length=64, pattern=SLUG,
                        pattern_hint=N_("små bokstaver, tall og bindestrek"))
    name = table.string("name", max_length=200)
    kind = table.choice("kind", ORGANISATION_KINDS)
    number = table.string("org_number", required=False, max_length=9, pattern=ORG_NUMBER,
                          pattern_hint=N_("ni sifre"))
    table.finish()
    if None in (slug, name, kind):
        return None
    return Publisher(slug, name, kind, number)


def _based_on(table: Table | None) -> BasedOn | None:
    if table is None:
        return None
    uid = table.string("uid", max_length=120, pattern=UID,
                       pattern_hint=N_("f.eks. no.kommune.kurs"))
    version = table.string("version", max_length=40, pattern=SEMVER, pattern_hint="1.2.3")
    publisher = table.string("publisher", max_length=200)
    table.finish()
    return None if None in (uid, version, publisher) else BasedOn(uid, version, publisher)


def _completion(table: Table | None) -> Completion | None:
    if table is None:
        return None
    attendance = table.boolean("attendance")
    percent = table.integer("attendance_percent", required=False, minimum=1, maximum=100)
    quiz = table.boolean("quiz")
    modules = table.boolean("modules")
    table.finish()
    if None in (attendance, quiz, modules):
        return None
    if percent is not None and not attendance:
        table.problem("attendance_percent", N_("gjelder bare når attendance = true"))
        return None
    if not (attendance or quiz or modules):
        table.problem(None, N_("minst én av attendance, quiz og modules skal være true"))
        return None
    return Completion(attendance, percent, quiz, modules)


def _refs(root: Table, name: str, pattern_kind: str, *, min_items: int) -> list | None:
    tables = root.tables(name, required=min_items > 0, min_items=min_items, max_items=200)
    if tables is None:
        return None
    refs = []
    for table in tables:
        file = table.string("file", max_length=120)
        title = table.string("title", max_length=200)
        minutes = (table.integer("minutes", required=False, minimum=1, maximum=600)
                   if pattern_kind == "module" else None)
        table.finish()
        if file is not None and kind_of(file) != pattern_kind:
            table.problem("file", N_("skal være %(expected)s"),
                          expected="moduler/<navn>.md" if pattern_kind == "module"
                          else "vedlegg/<navn>.(pdf|docx|xlsx|pptx|png|svg)")
            file = None
        if file is None or title is None:
            return None
        refs.append(ModuleRef(file, title, minutes) if pattern_kind == "module"
                    else AttachmentRef(file, title))
    files = [r.file for r in refs]
    for index, path in enumerate(files, start=1):
        if path in files[:index - 1]:
            root.problem(f"{name}[{index}].file", N_("%(file)s står to ganger"), file=path)
            return None
    return refs


def parse_manifest(collector: Collector, data: bytes) -> Manifest | None:
    root = load_table(collector, MANIFEST, data)
    if root is None:
        return None
    fmt = root.string("format", max_length=20)
    if fmt is not None and fmt != FORMAT:
        root.problem("format", N_("formatet %(format)s er ukjent; denne versjonen leser "
                                  "%(expected)s"), format=fmt, expected=FORMAT)
    values = {
        "uid": root.string("uid", max_length=120, pattern=UID,
                           pattern_hint=N_("små bokstaver og tall skilt med punktum eller "
                                           "bindestrek, f.eks. no.trondheim.it-i-hverdagen")),
        "version": root.string("version", max_length=40, pattern=SEMVER,
                               pattern_hint=N_("semantisk versjon, f.eks. 1.2.0")),
        "slug": root.string("slug", max_length=80, pattern=SLUG,
                            pattern_hint=N_("små bokstaver, tall og bindestrek")),
        "kind": root.choice("kind", COURSE_KINDS),
        "title": root.string("title", max_length=200),
        "summary": root.string("summary", max_length=600, multiline=True),
        "description": root.string("description", required=False, max_length=20000,
                                   multiline=True, default=""),
        "language": root.choice("language", LANGUAGES),
        "licence": root.choice("licence", LICENCES),
        "published": root.date("published"),
        "change_note": root.string("change_note", required=False, max_length=4000,
                                   multiline=True, default=""),
        "audience": root.string_list("audience", choices=AUDIENCES, min_items=1),
        "mandatory_for": root.string_list("mandatory_for", required=False,
                                          choices=MANDATORY_GROUPS),
        "validity_months": root.integer("validity_months", required=False, minimum=1,
                                        maximum=240),
        "publisher": _publisher(root.table("publisher")),
        "based_on": _based_on(root.table("based_on", required=False)),
        "completion": _completion(root.table("completion")),
    }
    modules = _refs(root, "modules", "module", min_items=1)
    attachments = _refs(root, "attachments", "attachment", min_items=0)
    checksum_table = root.table("checksums", required=False)
    checksums: list[tuple[str, str]] = []
    if checksum_table is not None:
        for path in sorted(checksum_table.data, key=str):
            value = checksum_table.string(str(path), max_length=80, pattern=CHECKSUM,
                                          pattern_hint=N_("sha256:<64 heksadesimale tegn>"))
            if value is not None:
                checksums.append((str(path), value))
    root.finish()
    optional = ("published", "validity_months", "based_on")
    if fmt != FORMAT or modules is None or attachments is None or any(
            v is None for k, v in values.items() if k not in optional):
        return None
    values["summary"] = values["summary"].strip()
    values["description"] = values["description"].strip()
    values["change_note"] = values["change_note"].strip()
    return Manifest(modules=tuple(modules), attachments=tuple(attachments),
                    checksums=tuple(checksums), **values)


def parse_files(files: dict[str, bytes]) -> Package:
    """A package from its files (paths inside the package -> bytes)."""
    collector = Collector()
    if MANIFEST not in files:
        raise PackageError([Problem(MANIFEST, None, N_("mangler (påkrevd)"))])
    for path, data in files.items():
        if kind_of(path) in ("manifest", "quiz", "program", "module"):
            text = decode_text(collector, path, data)
            if text is not None:
                personal_data_problems(collector, path, text)
    manifest = parse_manifest(collector, files[MANIFEST])
    collector.check()
    assert manifest is not None

    listed = {m.file for m in manifest.modules} | {a.file for a in manifest.attachments}
    for path in sorted(files):
        if kind_of(path) in ("module", "attachment") and path not in listed:
            collector.add(path, None, N_("filen er ikke oppført i kurs.toml"))
    modules = []
    for index, ref in enumerate(manifest.modules, start=1):
        if ref.file not in files:
            collector.add(MANIFEST, f"modules[{index}].file", N_("fant ikke %(file)s"),
                          file=ref.file)
            continue
        text = decode_text(collector, ref.file, files[ref.file])
        if text is not None and not text.strip():
            collector.add(ref.file, None, N_("modulen er tom"))
        elif text is not None:
            modules.append(Module(ref.file, ref.title, ref.minutes, normalise_markdown(text)))
    attachments = []
    for index, ref in enumerate(manifest.attachments, start=1):
        if ref.file not in files:
            collector.add(MANIFEST, f"attachments[{index}].file", N_("fant ikke %(file)s"),
                          file=ref.file)
            continue
        extension = ref.file.rsplit(".", 1)[1]
        problem = attachment_type_problem(extension, files[ref.file])
        if problem:
            collector.add(ref.file, None, problem)
            continue
        attachments.append(Attachment(ref.file, ref.title, MEDIA_TYPES[extension],
                                      sha256(files[ref.file]), files[ref.file]))

    quiz = parse_quiz(collector, files[QUIZ]) if QUIZ in files else None
    if manifest.completion.quiz and QUIZ not in files:
        collector.add(MANIFEST, "completion.quiz", N_("quiz = true, men pakken har ingen "
                                                      "quiz.toml"))
    program = parse_program(collector, files[PROGRAM]) if PROGRAM in files else None
    if manifest.kind == "seminar" and PROGRAM not in files:
        collector.add(PROGRAM, None, N_("en samling (kind = \"seminar\") skal ha et program"))
    if manifest.kind != "seminar" and PROGRAM in files:
        collector.add(PROGRAM, None, N_("bare samlinger (kind = \"seminar\") har program"))
    if program is not None:
        for index, session in enumerate(program.sessions, start=1):
            if session.module and session.module not in {m.file for m in manifest.modules}:
                collector.add(PROGRAM, f"sessions[{index}].module",
                              N_("%(file)s er ikke en modul i kurs.toml"), file=session.module)

    if manifest.checksums:
        expected = {path for path in files if path != MANIFEST}
        given = dict(manifest.checksums)
        for path in sorted(expected - set(given)):
            collector.add(MANIFEST, "checksums", N_("mangler sjekksum for %(file)s"), file=path)
        for path in sorted(set(given) - expected):
            collector.add(MANIFEST, f"checksums.{path}", N_("filen finnes ikke i pakken"))
        for path in sorted(expected & set(given)):
            if given[path] != "sha256:" + sha256(files[path]):
                collector.add(path, None, N_("sjekksummen stemmer ikke med kurs.toml; filen er "
                                             "endret eller ødelagt"))
    collector.check()
    return Package(manifest=manifest, modules=tuple(modules), quiz=quiz, program=program,
                   attachments=tuple(attachments))

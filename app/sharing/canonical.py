"""The one canonical form of a package: the manifest rewritten with tomli-w in a fixed key
order with checksums of every other file, module texts normalised, quiz and programme
rewritten with every default spelt out, and a deterministic zip around them.

Canonicalising is idempotent: parse(canonical(p)) canonicalises to the same bytes, which
is what makes export, import, export give identical files.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.sharing.archive import MANIFEST, PROGRAM, QUIZ, write_zip
from app.sharing.package import (
    AUDIENCES,
    FORMAT,
    MANDATORY_GROUPS,
    Manifest,
    Package,
    sha256,
)
from app.sharing.programfile import program_document
from app.sharing.quizfile import quiz_document
from app.sharing.tomlfile import dumps


def manifest_document(manifest: Manifest, checksums: dict[str, str]) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": FORMAT,
        "uid": manifest.uid,
        "version": manifest.version,
        "slug": manifest.slug,
        "kind": manifest.kind,
        "title": manifest.title,
        "summary": manifest.summary,
    }
    if manifest.description:
        doc["description"] = manifest.description
    doc["language"] = manifest.language
    doc["licence"] = manifest.licence
    if manifest.published is not None:
        doc["published"] = manifest.published
    if manifest.change_note:
        doc["change_note"] = manifest.change_note
    # Audiences and mandatory groups are sets; their canonical order is the format's own.
    doc["audience"] = sorted(manifest.audience, key=AUDIENCES.index)
    if manifest.mandatory_for:
        doc["mandatory_for"] = sorted(manifest.mandatory_for, key=MANDATORY_GROUPS.index)
    if manifest.validity_months is not None:
        doc["validity_months"] = manifest.validity_months
    publisher = manifest.publisher
    doc["publisher"] = {"slug": publisher.slug, "name": publisher.name, "kind": publisher.kind}
    if publisher.org_number:
        doc["publisher"]["org_number"] = publisher.org_number
    if manifest.based_on is not None:
        b = manifest.based_on
        doc["based_on"] = {"uid": b.uid, "version": b.version, "publisher": b.publisher}
    c = manifest.completion
    doc["completion"] = {"attendance": c.attendance, "quiz": c.quiz, "modules": c.modules}
    if c.attendance_percent is not None:
        doc["completion"]["attendance_percent"] = c.attendance_percent
    doc["modules"] = []
    for m in manifest.modules:
        entry: dict[str, Any] = {"file": m.file, "title": m.title}
        if m.minutes is not None:
            entry["minutes"] = m.minutes
        doc["modules"].append(entry)
    if manifest.attachments:
        doc["attachments"] = [{"file": a.file, "title": a.title} for a in manifest.attachments]
    doc["checksums"] = {path: f"sha256:{digest}" for path, digest in sorted(checksums.items())}
    return doc


def canonical_files(package: Package) -> dict[str, bytes]:
    files: dict[str, bytes] = {m.file: m.body.encode("utf-8") for m in package.modules}
    for attachment in package.attachments:
        files[attachment.file] = attachment.data
    if package.quiz is not None:
        files[QUIZ] = dumps(quiz_document(package.quiz))
    if package.program is not None:
        files[PROGRAM] = dumps(program_document(package.program))
    checksums = {path: sha256(data) for path, data in files.items()}
    manifest = replace(package.manifest, checksums=())
    files[MANIFEST] = dumps(manifest_document(manifest, checksums))
    return files


def canonical_zip(package: Package) -> bytes:
    return write_zip(canonical_files(package), top=package.manifest.slug)

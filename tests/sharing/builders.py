"""Small valid packages to start tests from: ``package_files(**changes)`` gives the files
of a package (path -> bytes), ``package_zip(...)`` the same as a zip."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from app.sharing.tomlfile import dumps

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def manifest(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "kurs/1",
        "uid": "no.test.digital-dugnad",
        "version": "1.0.0",
        "slug": "digital-dugnad",
        "kind": "course",
        "title": "Digital dugnad",
        "summary": "Hvordan kommune og fylke deler kurs.",
        "language": "nb",
        "licence": "CC-BY-4.0",
        "audience": ["mellomleder", "forstelinjeleder"],
        "publisher": {"slug": "test-fylke", "name": "Testfylket", "kind": "county"},
        "completion": {"attendance": False, "quiz": True, "modules": True},
        "modules": [
            {"file": "moduler/01-hva.md", "title": "Hva er digital dugnad?", "minutes": 10},
            {"file": "moduler/02-hvordan.md", "title": "Slik deler vi", "minutes": 15},
        ],
    }
    doc.update(changes)
    return doc


QUIZ = {
    "title": "Prøve",
    "pass_mark": 80,
    "questions": [
        {"id": "q1", "type": "single", "text": "Hvem eier en pakke?", "points": 1,
         "choices": [{"text": "Den som publiserte den først", "correct": True},
                     {"text": "Den som importerte den sist", "correct": False}],
         "explanation": "En uid tilhører organisasjonen som publiserte den først."},
        {"id": "q2", "type": "true_false", "text": "Pakker kan inneholde personopplysninger.",
         "answer": False, "explanation": "Pakker inneholder aldri personopplysninger."},
    ],
}


def package_files(*, manifest_doc: dict | None = None, quiz: dict | None = QUIZ,
                  extra: dict[str, bytes] | None = None, **changes: Any) -> dict[str, bytes]:
    files = {
        "kurs.toml": dumps(manifest_doc if manifest_doc is not None else manifest(**changes)),
        "moduler/01-hva.md": "Digital dugnad er et felles løft.\n\n## Hvorfor\n\nFor å dele.\n"
        .encode(),
        "moduler/02-hvordan.md": b"Vi publiserer kurs som pakker.\n",
    }
    if quiz is not None:
        files["quiz.toml"] = dumps(quiz)
    files.update(extra or {})
    return files


def zip_of(files: dict[str, bytes], top: str | None = "digital-dugnad") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(f"{top}/{path}" if top else path, data)
    return buffer.getvalue()


def package_zip(**kw: Any) -> bytes:
    return zip_of(package_files(**kw))

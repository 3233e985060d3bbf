"""The complete example in docs/kurs-format.md is a valid package."""

from __future__ import annotations

import re
from pathlib import Path

from app.sharing.package import load_package
from tests.sharing.builders import PDF

DOC = Path(__file__).resolve().parents[2] / "docs" / "kurs-format.md"


def example_files() -> dict[str, str]:
    text = DOC.read_text()
    example = text[text.index("## A complete example"):]
    blocks = re.findall(r"^`([^`]+)`:\n\n```\w*\n(.*?)```", example, re.S | re.M)
    return {name: body for name, body in blocks}


def test_the_documented_complete_example_parses(tmp_path):
    files = example_files()
    assert set(files) == {"kurs.toml", "moduler/01-hva.md", "quiz.toml"}
    for name, body in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body)
    (tmp_path / "moduler" / "02-slik-deler-vi.md").write_text("Vi deler kurs som pakker.\n")
    (tmp_path / "vedlegg").mkdir()
    (tmp_path / "vedlegg" / "samarbeidsavtale.pdf").write_bytes(PDF)
    package = load_package(tmp_path)
    assert package.manifest.version == "1.1.0"
    assert [q.type for q in package.quiz.questions] == ["single", "true_false", "ordering"]

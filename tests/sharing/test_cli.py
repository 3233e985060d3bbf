"""``flask kurs check``, ``import`` and ``export``; and the round trip between two
installations: export, import, export gives the same bytes."""

from __future__ import annotations

import shutil

import pytest

from app import create_app
from app.extensions import db
from tests.conftest import make_config
from tests.sharing.conftest import KURS


def test_check_validates_every_package_in_kurs_and_skips_folders_without_a_manifest(runner):
    result = runner.invoke(args=["kurs", "check"])
    assert result.exit_code == 0, result.output
    assert "All 3 packages are valid." in result.output
    assert "verktoykasse" not in result.output


def test_check_names_the_file_and_key_of_each_problem_and_fails(runner, tmp_path):
    shutil.copytree(KURS / "digital-dugnad", tmp_path / "digital-dugnad")
    (tmp_path / "verktoykasse").mkdir()
    (tmp_path / "verktoykasse" / "mal.docx").write_bytes(b"not a package")
    manifest = tmp_path / "digital-dugnad" / "kurs.toml"
    manifest.write_text(manifest.read_text().replace('version = "1.0.0"', 'version = "1"'))
    result = runner.invoke(args=["kurs", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert "FAIL" in result.output and "kurs.toml – version: har ugyldig form" in result.output
    assert "1 of 1 packages have problems" in result.output


def test_import_is_idempotent_and_export_writes_the_course(runner, tmp_path):
    first = runner.invoke(args=["kurs", "import", str(KURS / "it-i-hverdagen"),
                                "--scope", "partners"])
    assert first.exit_code == 0, first.output
    assert "course it-i-hverdagen: created" in first.output
    again = runner.invoke(args=["kurs", "import", str(KURS / "it-i-hverdagen")])
    assert "(version already known); course it-i-hverdagen: unchanged" in again.output
    out = tmp_path / "it.zip"
    exported = runner.invoke(args=["kurs", "export", "it-i-hverdagen", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    assert out.read_bytes()[:4] == b"PK\x03\x04"
    missing = runner.invoke(args=["kurs", "export", "finnes-ikke", "-o", str(out)])
    assert missing.exit_code == 1 and "No course" in missing.output


def installation(tmp_path, name):
    app = create_app(make_config(f"sqlite:///{tmp_path / name}.db", str(tmp_path / name)))
    with app.app_context():
        db.create_all()
    return app


@pytest.mark.parametrize("package", ["it-i-hverdagen", "prosjektledersamling"])
def test_export_import_export_between_installations_gives_the_same_bytes(tmp_path, package):
    trondheim, partner = installation(tmp_path, "trondheim"), installation(tmp_path, "partner")
    try:
        a, b = tmp_path / "a.zip", tmp_path / "b.zip"
        for app, source, target in ((trondheim, KURS / package, a), (partner, a, b)):
            runner = app.test_cli_runner()
            result = runner.invoke(args=["kurs", "import", str(source)])
            assert result.exit_code == 0, result.output
            result = runner.invoke(args=["kurs", "export", package, "-o", str(target)])
            assert result.exit_code == 0, result.output
        assert a.read_bytes() == b.read_bytes()
        again = partner.test_cli_runner().invoke(args=["kurs", "import", str(b)])
        assert "unchanged" in again.output
    finally:
        for app in (trondheim, partner):
            with app.app_context():
                db.session.remove()
                db.engine.dispose()

"""The starting templates in kurs/verktoykasse: a valid manifest, imported once, a changed
file becomes a new version, a broken manifest is refused with the reason."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from app.orm import utcnow
from app.toolbox import library
from app.toolbox.models import Category, ToolboxFile, ToolboxItem
from tests.factories import make_org


def test_the_shipped_manifest_names_a_template_for_every_category():
    templates = library.read_manifest(library.DEFAULT_SOURCE)
    assert {t.category for t in templates} == {c.value for c in Category}
    for template in templates:
        assert (library.DEFAULT_SOURCE / template.file).is_file(), template.file
        assert "http" in template.learn_more, f"{template.slug} says where to learn more"


@pytest.mark.parametrize("name", ["mandat.md", "prosjektplan.md", "gevinstrealiseringsplan.md",
                                  "anskaffelse.md", "statusrapport.md", "sluttrapport.md"])
def test_each_text_template_says_where_to_learn_more(name):
    text = (library.DEFAULT_SOURCE / name).read_text(encoding="utf-8")
    assert "## Les mer" in text
    assert "https://" in text.split("## Les mer", 1)[1]


def test_importing_twice_creates_each_template_once(session, storage_root):
    org = make_org(session)
    first = library.import_templates(session, organisation=org, storage_root=storage_root,
                                     now=utcnow())
    second = library.import_templates(session, organisation=org, storage_root=storage_root,
                                      now=utcnow())
    assert (first.created, first.new_versions) == (8, 0)
    assert (second.created, second.new_versions, second.unchanged) == (0, 0, 8)
    count = session.scalar(sa.select(sa.func.count()).select_from(ToolboxFile)
                           .join(ToolboxItem).where(ToolboxItem.organisation_id == org.id))
    assert count == 8


def test_a_changed_template_file_becomes_a_new_version(session, storage_root, tmp_path):
    source = tmp_path / "verktoykasse"
    shutil.copytree(library.DEFAULT_SOURCE, source)
    org = make_org(session)
    library.import_templates(session, organisation=org, storage_root=storage_root,
                             now=utcnow(), source=source)
    (source / "mandat.md").write_text("# Prosjektmandat\n\nNy utgave.\n", encoding="utf-8")
    result = library.import_templates(session, organisation=org, storage_root=storage_root,
                                      now=utcnow(), source=source)
    assert (result.created, result.new_versions, result.unchanged) == (0, 1, 7)
    item = session.scalar(sa.select(ToolboxItem).where(ToolboxItem.organisation_id == org.id,
                                                       ToolboxItem.slug == "prosjektmandat"))
    assert [v.number for v in item.versions] == [2, 1]


@pytest.mark.parametrize(("manifest", "message"), [
    ('format = "verktoykasse/1"\n[[template]]\nslug = "a"\nfile = "a.md"\ntitle = "A"\n'
     'category = "poster"\n', "unknown category"),
    ('format = "verktoykasse/1"\n[[template]]\nslug = "a"\nfile = "../a.md"\ntitle = "A"\n'
     'category = "mandate"\n', "plain file name"),
    ('format = "verktoykasse/2"\n', "format must be"),
    ('format = "verktoykasse/1"\n[[template]]\nslug = "a"\n', "missing file, title, category"),
])
def test_a_broken_manifest_is_refused_naming_the_problem(tmp_path, manifest, message):
    (tmp_path / library.MANIFEST).write_text(manifest, encoding="utf-8")
    with pytest.raises(library.ManifestError, match=message):
        library.read_manifest(tmp_path)


def test_a_template_file_with_the_wrong_content_stops_the_import_before_anything_is_written(
        session, storage_root, tmp_path):
    (tmp_path / library.MANIFEST).write_text(
        'format = "verktoykasse/1"\n[[template]]\nslug = "a"\nfile = "a.xlsx"\ntitle = "A"\n'
        'category = "cost_benefit"\n', encoding="utf-8")
    (tmp_path / "a.xlsx").write_bytes(b"not a spreadsheet")
    org = make_org(session)
    with pytest.raises(library.ManifestError, match="a.xlsx"):
        library.import_templates(session, organisation=org, storage_root=storage_root,
                                 now=utcnow(), source=tmp_path)
    assert session.scalar(sa.select(sa.func.count()).select_from(ToolboxItem)
                          .where(ToolboxItem.organisation_id == org.id)) == 0


def test_the_cli_imports_the_templates_and_rebuilds_the_spreadsheets(runner, session, tmp_path):
    org = make_org(session, slug="kommune-x")
    result = runner.invoke(args=["toolbox", "import", "--organisation", org.slug])
    assert result.exit_code == 0, result.output
    assert "8 new" in result.output
    result = runner.invoke(args=["toolbox", "build-templates", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kost-nytte.xlsx",
                                                          "risikoanalyse.xlsx"]
    assert runner.invoke(args=["toolbox", "import", "--organisation", "nope"]).exit_code != 0

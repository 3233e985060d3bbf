"""Every text of the toolbox and the project register has its English translation."""

from __future__ import annotations

from tests.catalogue.test_translations import ROOT, missing_translations


def test_every_text_of_the_toolbox_and_the_register_is_translated_to_english():
    assert missing_translations([ROOT / "app/toolbox"]) == []

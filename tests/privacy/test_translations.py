"""Every text of the privacy pages has its English translation."""

from __future__ import annotations

from tests.catalogue import test_translations as base


def test_every_text_of_the_privacy_domain_is_translated_to_english(monkeypatch):
    monkeypatch.setattr(base, "DOMAINS", ("app/privacy",))
    base.test_every_text_of_these_pages_is_translated_to_english()

"""The privacy notice says truthfully what is stored, on which basis, for how long (the
configured periods), and links to the person's own export."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_notice_shows_the_configured_retention_periods(app, client, language,
                                                           monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION_LOGIN_ATTEMPTS_DAYS", 47)
    monkeypatch.setitem(app.config, "RETENTION_ACCESS_LOG_DAYS", 731)
    monkeypatch.setitem(app.config, "RETENTION_LEAVER_YEARS", 3)
    page = client.get("/personvern", headers={"Accept-Language": language}).get_data(
        as_text=True)
    assert "47" in page and "731" in page
    assert ("3 år etter" if language == "nb" else "3 years after") in page


def test_the_notice_names_the_health_adjacent_seminar_answers_and_their_basis(client):
    page = client.get("/personvern").get_data(as_text=True)
    assert "allergier" in page and "tilrettelegging" in page
    assert "artikkel 9 nr. 2 bokstav a" in page
    assert "artikkel 6 nr. 1 bokstav c" in page
    assert "Vi behandler ikke særlige kategorier" not in page  # it was not true
    assert "14 dager etter samlingens siste økt" in page


def test_the_notice_links_to_the_export_and_the_profile(client):
    page = client.get("/personvern").get_data(as_text=True)
    assert 'href="/profil/mine-data.json"' in page
    assert 'href="/profil"' in page
    assert "/api/v1/me/export" in page
    assert "Datatilsynet" in page

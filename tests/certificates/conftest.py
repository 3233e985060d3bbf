from __future__ import annotations

import pytest

from app.certificates.settings import from_config


@pytest.fixture
def issue_settings(app):
    return from_config(app.config)


@pytest.fixture
def in_app(app):
    """An app context for calling services directly (translations, dates)."""
    with app.test_request_context():
        yield

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


@pytest.fixture
def certify(app, session, issue_settings):
    """``certify(name=…)`` -> (user, offering, certificate), with an app context only while
    the services run (a request in the test must get its own context)."""
    from tests.certificates.helpers import certified

    def make(**kw):
        with app.test_request_context():
            return certified(session, issue_settings, **kw)

    return make

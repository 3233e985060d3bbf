import pytest


@pytest.fixture
def storage_root(app):
    """The storage directory of the test app (one per test session)."""
    return app.config["KURS_STORAGE_DIR"]

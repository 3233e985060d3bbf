"""Browser journeys: a real server on a free port, Debian's chromium through Playwright.

They skip, saying why, when chromium is not installed (never ``playwright install``).
The server runs the demo data in its own SQLite file (or PostgreSQL database), so tests
here go through real HTTP and see only committed data.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.live import served_app

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); "
                    "browser journeys skipped")
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--disable-background-networking", "--disable-component-update",
                     "--no-first-run", "--disable-sync"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nb-NO", "timezone_id": "Europe/Oslo"}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app with the demo data, served on 127.0.0.1 on a free port."""
    with served_app(tmp_path_factory.mktemp("live"), "e2e", demo=True) as (_app, base):
        yield base

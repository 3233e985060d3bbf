"""Browser journeys: a real server on a free port, Debian's chromium through Playwright.

They skip, saying why, when chromium is not installed (never ``playwright install``).
The server runs the demo data in its own SQLite file (or PostgreSQL database), so tests
here go through real HTTP and see only committed data.
"""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.demo.services import load_demo
from app.extensions import db
from tests.conftest import POSTGRES_URL, make_config, throwaway_postgres_database

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
    tmp = tmp_path_factory.mktemp("live")
    if POSTGRES_URL:
        context = throwaway_postgres_database(POSTGRES_URL, "e2e")
        url = context.__enter__()
    else:
        context, url = None, f"sqlite:///{tmp / 'live.db'}"
    app = create_app(make_config(url, str(tmp / "storage")))
    with app.app_context():
        db.create_all()
        load_demo(db.session)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        with app.app_context():
            db.engine.dispose()
        if context is not None:
            context.__exit__(None, None, None)

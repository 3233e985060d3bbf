"""The app served over real HTTP, for browser journeys and races: its own database (a
throwaway PostgreSQL database when the suite runs against PostgreSQL, else a SQLite file)
with committed data, and a threaded server on a free loopback port."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from tests.conftest import POSTGRES_URL, make_config, throwaway_postgres_database


@contextlib.contextmanager
def served_app(tmp: Path, label: str, *, demo: bool = False,
               **config) -> Iterator[tuple[Flask, str]]:
    """``(app, base URL)``: the schema made, the demo data loaded when ``demo``;
    ``config`` overrides the test configuration."""
    database = throwaway_postgres_database(POSTGRES_URL, label) if POSTGRES_URL else None
    url = database.__enter__() if database else f"sqlite:///{tmp / f'{label}.db'}"
    try:
        app = create_app(make_config(url, str(tmp / "storage"), **config))
        with app.app_context():
            db.create_all()
            if demo:
                from app.demo.services import load_demo

                load_demo(db.session)
                db.session.commit()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield app, f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            thread.join(5)
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    finally:
        if database is not None:
            database.__exit__(None, None, None)

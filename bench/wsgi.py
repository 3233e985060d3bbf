"""What gunicorn serves in a benchmark: the real app on the bench database, and a bare
Flask "hello" (the ceiling every page is compared with)."""

from __future__ import annotations

import logging

from flask import Flask

from app import create_app

app = create_app()
# Request logging would measure the terminal, not the app.
logging.getLogger().setLevel(logging.WARNING)

hello_app = Flask("hello")


@hello_app.route("/hello")
def hello():
    return "Hello, World!"

"""The baselines served by the same gunicorn settings as the app: a bare Flask "hello"
(the ceiling every page is compared with), and a bare ORM-plus-template page (50 people
read through Flask-SQLAlchemy and rendered into a table: what the simplest data page of
any Flask app costs, without login, layout or translations)."""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

app = Flask(__name__)


@app.get("/hello")
def hello():
    return "hello"


class _Base(DeclarativeBase):
    pass


class Person(_Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    email: Mapped[str]
    title: Mapped[str | None]


orm_app = Flask("orm")
orm_app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite://")
_db = SQLAlchemy(model_class=_Base)
_db.init_app(orm_app)

TABLE = """<!doctype html><title>50</title><table>
{% for p in people %}<tr><td>{{ p.id }}</td><td>{{ p.name }}</td><td>{{ p.email }}</td>
<td>{{ p.title or '' }}</td></tr>{% endfor %}</table>"""


@orm_app.get("/hello")
def orm_probe():
    return "hello"


@orm_app.get("/orm")
def orm_page():
    people = _db.session.scalars(sa.select(Person).order_by(Person.id).limit(50)).all()
    return _template().render(people=people)


_compiled = []


def _template():
    # Compiled once, as render_template's loader would; render_template_string compiles
    # its source again on every call.
    if not _compiled:
        _compiled.append(orm_app.jinja_env.from_string(TABLE))
    return _compiled[0]

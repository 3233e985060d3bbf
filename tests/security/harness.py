"""Driving every route as every actor against the two worlds of ``tests.security.world``.

``shared_worlds(app)`` builds both organisations once, on one connection inside an outer
transaction (rolled back at the end); every request then runs inside a savepoint of its own
that is rolled back after it, so a POST in one cell never changes what the next cell sees.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask.globals import _cv_app
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from sqlalchemy.orm import scoped_session, sessionmaker

from app.certificates.credentials import create_key
from app.extensions import db, limiter
from app.orm import utcnow
from tests.security.world import ROLE_ACTORS, World, build_world

#: Actors of the matrix. All but the partner editor belong to organisation A; the editor
#: works for the county partner B. "own" objects are those of the actor's organisation.
ACTORS = ("anonymous", *ROLE_ACTORS)

#: Which world an actor belongs to.
HOME = {actor: "A" for actor in ACTORS} | {"editor": "B"}

#: URL argument -> key in World.ids, and the endpoints that mean another object by it.
ARG_KEYS = {
    "token": "checkin_token",
    "question_id": "quiz_question_id",
    "name": "module_name",
}
ENDPOINT_ARG_KEYS: dict[str, dict[str, str]] = {
    "evaluation.edit_question": {"question_id": "evaluation_question_id"},
    "evaluation.retire_question": {"question_id": "evaluation_question_id"},
    "evaluation.offering_results": {"offering_id": "past_offering_id"},
    "evaluation.course_questions": {},
    "accounts_admin.revoke_role": {"user_id": "hr_user_id"},
    "accounts_admin.create_token": {"user_id": "service_user_id"},
    "enrolment.decide": {"enrolment_id": "requested_enrolment_id"},
    "enrolment.approve": {"enrolment_id": "requested_enrolment_id"},
    "enrolment.decline": {"enrolment_id": "requested_enrolment_id"},
    "authoring.attachment_download": {"name": "attachment_name"},
    "authoring.attachment_delete": {"name": "attachment_name"},
}
SEMINAR_PREFIXES = ("seminars.", "api_seminars.")
PACKAGE_PREFIXES = ("authoring.", "sharing.fork", "sharing.update")


def arg_key(endpoint: str, arg: str) -> str:
    special = ENDPOINT_ARG_KEYS.get(endpoint, {})
    if arg in special:
        return special[arg]
    if endpoint.startswith(SEMINAR_PREFIXES) and arg in ("offering_id", "session_id"):
        return {"offering_id": "seminar_id", "session_id": "seminar_session_id"}[arg]
    if endpoint.startswith(PACKAGE_PREFIXES) and arg == "slug":
        return "package_slug"
    if endpoint.startswith("accounts.reset_password") and arg == "token":
        return "reset_token"
    return ARG_KEYS.get(arg, arg)


#: JSON bodies that get an API request past validation to the object check, from the ids
#: of the world the URL names.
API_BODIES = {
    "api_quizzes.submit": lambda ids: {"answers": {}},
    "api_seminars.put_attendance": lambda ids: [{"user_id": ids["user_id"], "status": "present"}],
    "api_seminars.checkin_with_token": lambda ids: {"token": ids["checkin_token"]},
}


def build_url(rule, ids: dict) -> str:
    values = {}
    for arg in rule.arguments:
        key = arg_key(rule.endpoint, arg)
        values[arg] = ids.get(key, "finnes-ikke")
    return rule.build(values, append_unknown=False)[1]


def methods_of(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


@dataclass
class Shared:
    app: object
    connection: object
    worlds: dict[str, World]
    clients: dict[str, object]
    csrf: dict[str, str]
    cookies: dict[str, str]

    def world_of(self, actor: str) -> World:
        return self.worlds[HOME[actor]]

    def other_world_of(self, actor: str) -> World:
        return self.worlds["B" if HOME[actor] == "A" else "A"]

    #: False: requests keep what they write (the hostile-input test builds on it).
    rollback: bool = True

    @contextlib.contextmanager
    def isolated(self):
        """Everything inside is rolled back afterwards (unless ``rollback`` is off)."""
        if not self.rollback:
            yield
            return
        savepoint = self.connection.begin_nested()
        try:
            yield
        finally:
            if savepoint.is_active:
                savepoint.rollback()

    def request(self, actor: str, method: str, url: str, *, data=None, json=None,
                headers=None, csrf: str | None = "valid", bearer: bool = True,
                around=None):
        """One request as ``actor``, rolled back afterwards. ``csrf``: "valid", "wrong" or
        None (no token); ``bearer=False`` sends an API request with the session cookie
        only; ``around(phase)`` is called with "before" and "after" inside the savepoint."""
        client = self.clients[actor]
        # A logout or a language change in one cell must not carry over to the next.
        client.set_cookie("kurs_session", self.cookies[actor], domain="localhost")
        headers = dict(headers or {})
        kw = {}
        if url.startswith("/api/"):
            if actor != "anonymous" and bearer:
                headers["Authorization"] = f"Bearer {self.world_of(actor).tokens[actor]}"
            if json is not None:
                kw["json"] = json
            elif method in ("POST", "PUT") and data is None:
                kw["json"] = {}
        elif method != "GET" and isinstance(data, (str, bytes)):
            kw["data"] = data  # an encoded form body, CSRF token included
            kw["content_type"] = "application/x-www-form-urlencoded"
        elif method != "GET":
            form = dict(data or {})
            if csrf == "valid":
                form.setdefault("csrf_token", self.csrf[actor])
            elif csrf == "wrong":
                form["csrf_token"] = self.csrf["anonymous" if actor != "anonymous" else "admin"]
            kw["data"] = form
        if data is not None and url.startswith("/api/"):
            kw["data"] = data
        with self.isolated():
            if around:
                around("before")
            response = client.open(url, method=method, headers=headers, **kw)
            response.get_data()
            response.close()
            if around:
                around("after")
        return response


#: Shared with partners by design: the package catalogue and what it links to.
SHARED_WITH_PARTNERS = {
    "sharing.catalogue", "sharing.package", "sharing.download", "sharing.import_version",
    "api_packages.list_packages", "api_packages.download", "evaluation.shared_results",
}


def readable(response) -> str:
    """The text a person would read in the answer, whatever its format."""
    data = response.get_data()
    kind = response.mimetype or ""
    if data[:4] == b"%PDF":
        try:
            pages = PdfReader(io.BytesIO(data)).pages
            return "\n".join(page.extract_text() or "" for page in pages)
        except PdfReadError:  # the tiny stand-in PDFs of the test world
            return data.decode("latin-1")
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = list(archive.namelist())
            for name in archive.namelist():
                if name.endswith((".xml", ".csv", ".json", ".txt", ".md", ".toml", ".rels")):
                    parts.append(archive.read(name).decode("utf-8", "replace"))
            return "\n".join(parts)
    if kind.startswith(("image/",)):
        return ""
    return data.decode("utf-8", "replace")


def leaks(endpoint: str, response, other_marker: str) -> bool:
    return endpoint not in SHARED_WITH_PARTNERS and other_marker in readable(response)


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@contextlib.contextmanager
def shared_worlds(app):
    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    original = db.session
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    db.session = scoped_session(factory, scopefunc=lambda: id(_cv_app.get(None)))
    session = factory()
    try:
        worlds = {
            "A": build_world(session, app, tag="A", kind="municipality"),
            "B": build_world(session, app, tag="B", kind="county"),
        }
        create_key(session, storage_dir=Path(app.config["KURS_STORAGE_DIR"]), now=utcnow())
        session.commit()
        clients, csrf, cookies = {}, {}, {}
        for actor in ACTORS:
            client = app.test_client()
            if actor != "anonymous":
                user = worlds[HOME[actor]].people[actor]
                with client.session_transaction() as sess:
                    sess["_user_id"] = user.get_id()
                    sess["_fresh"] = True
            page = client.get("/personvern").get_data(as_text=True)
            csrf[actor] = CSRF_RE.search(page).group(1)
            clients[actor] = client
            cookies[actor] = client.get_cookie("kurs_session", domain="localhost").value
        limiter.reset()
        yield Shared(app, connection, worlds, clients, csrf, cookies)
    finally:
        session.close()
        db.session.remove()
        db.session = original
        if outer.is_active:
            outer.rollback()
        connection.close()

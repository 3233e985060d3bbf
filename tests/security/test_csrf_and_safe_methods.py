"""CSRF on every state-changing route, and no GET that writes.

Every POST/PUT/PATCH/DELETE page route is sent, with real ids and by someone the access
table lets through, once without a CSRF token and once with another session's valid token:
both are refused with the CSRF error, and nothing is written. The API takes bearer tokens
only, so a browser's session cookie alone gets 401 there, and the API needs no CSRF token.

Every GET route is then requested by each actor the access table lets through, with real
ids: no INSERT, UPDATE or DELETE reaches the database, and the row counts of every table
stay the same, except the access log (the one table a read may append to: who viewed which
report or person).
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.extensions import db
from tests.security.harness import API_BODIES, build_url, methods_of
from tests.security.test_access_matrix import ACCESS, NOT_IN_MATRIX, RULES

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
#: The access log: appending who viewed which report or person is what reading them means.
MAY_GROW_ON_GET = {"access_log", "access_log_subject"}
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b\s+(?:INTO\s+|FROM\s+)?\"?(\w+)",
                   re.I)


def through(endpoint: str) -> list[str]:
    """The actors the access table lets through with their own organisation's object."""
    rule = RULES[ACCESS[endpoint]]
    order = ("anonymous", "participant", "leader", "organiser", "hr", "editor", "admin")
    return [actor for actor in order if actor in rule.own]


def routes(app, methods):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule)):
        if rule.endpoint in NOT_IN_MATRIX:
            continue
        for method in methods_of(rule):
            if method in methods:
                yield rule, method


def test_every_form_route_refuses_a_missing_or_foreign_csrf_token(app, shared):
    wrong, checked = [], 0
    for rule, method in routes(app, UNSAFE):
        url = build_url(rule, shared.world_of("admin").ids)
        if url.startswith("/api/"):
            continue
        for actor in through(rule.endpoint)[:1] or ["admin"]:
            url = build_url(rule, shared.world_of(actor).ids)
            for token in (None, "wrong"):
                response = shared.request(actor, method, url, csrf=token)
                checked += 1
                body = response.get_data(as_text=True)
                if response.status_code != 400 or "utløpt eller ugyldig" not in body:
                    wrong.append(f"{method} {url} as {actor}, token {token}: "
                                 f"{response.status_code}")
    print(f"\ncsrf: {checked // 2} form route x method pairs, {checked} requests without a "
          f"token or with a foreign one, {len(wrong)} accepted")
    assert checked > 150
    assert not wrong, "state changes accepted without a valid CSRF token:\n" + "\n".join(wrong)


def test_the_api_ignores_the_session_cookie_so_it_needs_no_csrf_token(app, shared):
    wrong, checked = [], 0
    for rule, method in routes(app, UNSAFE):
        url = build_url(rule, shared.world_of("admin").ids)
        if not url.startswith("/api/"):
            continue
        for actor in through(rule.endpoint)[:1] or ["admin"]:
            world = shared.world_of(actor)
            url = build_url(rule, world.ids)
            body = API_BODIES.get(rule.endpoint)
            response = shared.request(actor, method, url, bearer=False,
                                      json=body(world.ids) if body else None)
            checked += 1
            if response.status_code != 401:
                wrong.append(f"{method} {url} with {actor}'s cookie: {response.status_code}")
    print(f"\ncsrf: {checked} API writes with the session cookie only, "
          f"{checked - len(wrong)} refused")
    assert checked >= 8
    assert not wrong, "the API acted on a session cookie:\n" + "\n".join(wrong)


class WriteWatch:
    """Row counts of every table, and every write statement, around one request."""

    def __init__(self, connection):
        self.connection = connection
        tables = [t.name for t in db.metadata.sorted_tables]
        self.count_all = sa.text(" UNION ALL ".join(
            f"SELECT '{name}', count(*) FROM {name}" for name in tables))  # noqa: S608
        self.writes: list[str] = []
        self.before: dict[str, int] = {}
        self.after: dict[str, int] = {}

    def counts(self) -> dict[str, int]:
        return dict(self.connection.execute(self.count_all).all())

    def __call__(self, phase: str):
        if phase == "before":
            self.writes.clear()
            self.before = self.counts()
        else:
            self.after = self.counts()

    def listen(self, conn, cursor, statement, parameters, context, executemany):
        match = WRITE.match(statement)
        if match and match.group(2).lower() not in MAY_GROW_ON_GET:
            self.writes.append(statement.split("\n")[0][:120])

    def changed(self) -> dict[str, tuple[int, int]]:
        return {name: (self.before[name], self.after[name]) for name in self.before
                if self.before[name] != self.after[name] and name not in MAY_GROW_ON_GET}


def test_no_get_route_writes_anything_but_the_access_log(app, shared):
    watch = WriteWatch(shared.connection)
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", watch.listen)
    wrong, checked, logged = [], 0, set()
    try:
        for rule, _method in routes(app, {"GET"}):
            for actor in through(rule.endpoint) or ["admin"]:
                url = build_url(rule, shared.world_of(actor).ids)
                response = shared.request(actor, "GET", url, around=watch)
                checked += 1
                if response.status_code >= 500:
                    wrong.append(f"GET {url} as {actor}: {response.status_code}")
                elif watch.writes or watch.changed():
                    wrong.append(f"GET {url} as {actor}: {watch.changed()} {watch.writes}")
                if watch.after.get("access_log", 0) > watch.before.get("access_log", 0):
                    logged.add(rule.endpoint)
    finally:
        sa.event.remove(engine, "before_cursor_execute", watch.listen)
    gets = len({rule.rule for rule, _m in routes(app, {"GET"})})
    print(f"\nsafe methods: {gets} GET routes, {checked} GETs by every actor let through, "
          f"{len(wrong)} wrote; the access log grew on {len(logged)} endpoints")
    assert checked > 300
    assert not wrong, "GET requests that wrote:\n" + "\n".join(wrong)
    # The exemption is used, and only by report and person views.
    assert "reports.coverage" in logged
    assert all(e.startswith(("reports.", "api_reports.", "seminars.person", "privacy."))
               for e in logged), logged

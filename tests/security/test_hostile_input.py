"""A corpus of hostile strings through every text field of every form and API body, then
every page, PDF and spreadsheet rendered again.

The forms are found, not listed: each GET page is opened as someone the access table lets
in (with the test world's real ids), its ``<form method="post">``s are parsed, and every
text field (input of a text kind, textarea) gets a corpus string while hidden fields
(CSRF token, revisions), selects, radios and checkboxes keep the values the page gave
them. Over ``len(CORPUS)`` rounds every field receives every string. What the forms save
stays saved; then every GET route is rendered again by everyone it lets in.

Whether a post saved is read from the database, not guessed from the answer: every INSERT,
UPDATE and DELETE the request sends is watched. A form that refuses the corpus (answers
with its own page again) must write nothing at all.

Proven: no answer is a 500; a refused post writes nothing; no HTML page contains a corpus
string as live markup (a script tag, an event handler, a ``javascript:`` link, reportlab's
``<font>``/``<para>`` or an evaluated template expression); every PDF still builds and
reads; no spreadsheet cell (XLSX or CSV) starts with = + - @ unless neutralised; NUL
characters are refused with a clear message; invalid UTF-8 and 100 kB strings are handled.
"""

from __future__ import annotations

import csv
import io
import time
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
from openpyxl import load_workbook

from app.extensions import db
from tests.security.harness import build_url, methods_of, readable
from tests.security.test_access_matrix import ACCESS, NOT_IN_MATRIX, RULES
from tests.security.test_csrf_and_safe_methods import WriteWatch

#: The corpus. Strings, and one value of raw bytes that are not UTF-8.
CORPUS: list[str | bytes] = [
    '<script>alert("xss-1")</script>',
    '"><img src=x onerror=alert(\'xss-2\')>',
    "javascript:alert('xss-3')",
    '<font color="red">rl-4</font><para>rl-4b</para><b>rl-4c',
    '=HYPERLINK("http://evil.example/x5","klikk")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "[lenke](javascript:alert('xss-9')) <svg/onload=alert('xss-9b')>",
    "{{ 7*7777 }} ${7*7777} {% raw %}",
    "nul\x00byte",
    "A" * 100_000 + "<script>alert('xss-12')</script>",
    b"\xff\xfe\xc3\x28 ugyldig utf-8 \xed\xa0\x80",
    "'; DROP TABLE user_account; -- \u202e\u200b\ufeff emoji 🎓 \r\n\t",
]

class LiveMarkup(HTMLParser):
    """What a browser would run or render as markup: inline scripts, event handler
    attributes, ``javascript:`` URLs, and the corpus's own tags (img, svg, font, para)."""

    CORPUS_TAGS = {"font", "para", "svg"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and not a.get("src"):
            self.found.append("inline <script>")
        if tag in self.CORPUS_TAGS and any("alert" in (v or "") or k == "color"
                                           for k, v in attrs):
            self.found.append(f"<{tag}> from the corpus")
        if tag in ("font", "para"):
            self.found.append(f"<{tag}>")
        if tag == "img" and a.get("src") == "x":
            self.found.append("<img src=x>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src", "action", "formaction") and \
                    (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}=javascript:")


def live_markup(body: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(body)
    return parser.found + (["an evaluated template expression"] if "54439" in body else [])


#: Forms that end the session or the account, or need something a form cannot carry.
SKIP_ACTIONS = {"accounts.logout", "accounts.set_language", "accounts.change_password",
                "accounts.sso_login", "accounts_admin.deactivate", "privacy.anonymise"}
TEXT_TYPES = {"text", "search", "email", "url", "tel", ""}
#: Fields whose value the page gives and the server checks (stale after a save).
REFRESHED = {"revision", "version", "sequence", "csrf_token"}

#: Forms that save the corpus but answer 200 instead of redirecting, and why.
SAVES_WITHOUT_REDIRECT: dict[str, str] = {
    # The new token is shown once on the page that answers the post, never redirected to.
    "accounts.create_token": "the answer is the page with the new token (200)",
}

#: Forms that save none of the corpus (no post wrote a row), and why. Each answers with its
#: own form again with a clear message in its error summary (for a NUL character or invalid
#: UTF-8: 400 with a message), or, where marked, redirects with the message; none answers
#: 500. The reasons are the messages the forms gave.
REFUSED: dict[str, str] = {
    # Redirect with the same answer whether or not the address has an account:
    "accounts.forgot_password": "no account has a corpus address, so no link is queued",
    # Redirect to the participant list with a message:
    "participants.cancel": "not active any more (the participant cancelled it earlier)",
    # Fields that name something that must exist or have a fixed form:
    "accounts_admin.grant_role": "unit code: at most 32 characters / no unit with this code",
    "certificates.register": "no person with this employee number or e-mail; no such course",
    "course_admin.edit_course": "address (slug): only a-z, digits and hyphens",
    "course_admin.new_course": "address (slug): only a-z, digits and hyphens",
    "offering_admin.edit_session": "link to the online meeting: invalid URL",
    "offering_admin.new_session": "link to the online meeting: invalid URL",
    "participants.index": "a look-up by employee number or e-mail: no such person (preview)",
    "participants.bulk_enrol": "a look-up list of people: none found (preview, nothing to save)",
    "seminars.join_network": "phone: only digits, spaces and + ( ) -; the consent box unticked",
    "toolbox.edit_item": "owner (e-mail): invalid e-mail / no active person with it",
    "authoring.quiz": "quiz.toml: invalid TOML (the corpus is no TOML document)",
    # The world's data refuses any change, whatever the text:
    "evaluation.edit_question": "the question is answered already and cannot be changed",
    "quizzes.edit": "questions drawn: the quiz has only 3 questions to draw from",
    "quizzes.new_question": "exactly one answer option must be correct (no box ticked)",
    "toolbox.edit_project": "network applies only when the project buys equipment",
    "toolbox.new_project": "network applies only when the project buys equipment",
    # A file is required and this test sends text fields only:
    "toolbox.new_item": "file: choose a file",
    "toolbox.new_version": "new version of the file: choose a file",
}


class FormParser(HTMLParser):
    """The forms of a page sent with ``method`` (POST, or GET for the filters): action,
    fields (name, kind, value, options)."""

    def __init__(self, method: str = "post"):
        super().__init__(convert_charrefs=True)
        self.method = method
        self.forms: list[dict] = []
        self.current: dict | None = None
        self.select: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == self.method:
            self.current = {"action": a.get("action") or "", "fields": [],
                            "multipart": "multipart" in (a.get("enctype") or "")}
            self.forms.append(self.current)
        if tag == "option" and self.select is not None and \
                (self.select["value"] is None or "selected" in a):
            self.select["value"] = a.get("value", "")
        if self.current is None or not a.get("name"):
            return
        fields = self.current["fields"]
        if tag == "input":
            kind = (a.get("type") or "").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                if kind == "radio" and not any(f["name"] == a["name"] for f in fields):
                    fields.append({"name": a["name"], "kind": kind, "value": a.get("value", "on")})
                return
            if kind in ("submit", "button", "image", "reset"):
                if not any(f["kind"] == "submit" for f in fields):
                    fields.append({"name": a["name"], "kind": "submit",
                                   "value": a.get("value", "")})
                return
            fields.append({"name": a["name"], "kind": kind, "value": a.get("value", "")})
        elif tag == "button" and (a.get("type") or "submit") == "submit":
            if not any(f["kind"] == "submit" for f in fields):
                fields.append({"name": a["name"], "kind": "submit", "value": a.get("value", "")})
        elif tag == "textarea":
            self.textarea = {"name": a["name"], "kind": "textarea", "value": ""}
            fields.append(self.textarea)
        elif tag == "select":
            self.select = {"name": a["name"], "kind": "select", "value": None}
            fields.append(self.select)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["value"] += data


def forms_on(html: str, method: str = "post") -> list[dict]:
    parser = FormParser(method)
    parser.feed(html)
    return parser.forms


def first_through(endpoint: str) -> str | None:
    rule = RULES[ACCESS[endpoint]]
    for actor in ("participant", "leader", "organiser", "hr", "editor", "admin"):
        if actor in rule.own:
            return actor
    return None


def spreadsheet_formulas(response) -> list[str]:
    """Cells that a spreadsheet would run: text starting with = + - @, or formulas."""
    data = response.get_data()
    bad = []
    if data[:2] == b"PK" and "sheet" in (response.mimetype or ""):
        book = load_workbook(io.BytesIO(data))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    value = cell.value
                    if cell.data_type == "f" or (isinstance(value, str) and value[:1]
                                                 in ("=", "+", "-", "@")):
                        bad.append(f"{sheet.title}!{cell.coordinate}={str(value)[:40]}")
    elif (response.mimetype or "").startswith("text/csv"):
        text = data.decode("utf-8-sig", "replace")
        delimiter = ";" if text.count(";") >= text.count(",") else ","
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            for value in row:
                if value[:1] in ("=", "+", "-", "@") and not _number(value):
                    bad.append(value[:40])
    return bad


def _number(value: str) -> bool:
    try:
        float(value.replace(",", "."))
    except ValueError:
        return False
    return True


def pages_with_forms(app, shared, method: str = "post"):
    """(actor, page url, its ``method`` forms) for every HTML page of the app, opened by
    the first actor the access table lets in."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule)):
        if rule.endpoint in NOT_IN_MATRIX or "GET" not in methods_of(rule):
            continue
        actor = first_through(rule.endpoint)
        if actor is None:
            continue
        url = build_url(rule, shared.world_of(actor).ids)
        response = shared.request(actor, "GET", url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        yield actor, url, forms_on(response.get_data(as_text=True), method)


def discover(app, shared):
    """(actor, page url, form index) for every POST form with a text field."""
    found = []
    for actor, url, forms in pages_with_forms(app, shared):
        for index, form in enumerate(forms):
            endpoint = endpoint_of(app, form["action"] or url)
            if endpoint in SKIP_ACTIONS or endpoint is None:
                continue
            if any(f["kind"] in TEXT_TYPES | {"textarea"} for f in form["fields"]):
                found.append((actor, url, index, form, endpoint))
    return found


def endpoint_of(app, action: str) -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        return adapter.match(urlsplit(action).path, method="POST")[0]
    except Exception:  # noqa: BLE001 - not a route of ours
        return None


#: Typed text fields get a valid value every other round, so that the other fields of the
#: form are saved (and rendered later) at least in those rounds.
VALID = {"email": "kari.nordmann@example.org", "url": "https://example.org/side",
         "tel": "+47 900 00 000"}


#: Empty date, time and number fields get a plausible value (the corpus goes to text).
FILLERS = {"date": ("2027-03-01", "2027-03-02"), "time": ("09:00", "15:00"),
           "datetime-local": ("2027-02-01T09:00", "2027-02-20T15:00"), "number": ("10", "20")}

#: Every fourth round every date, time and number field (filled or not) gets a value
#: beyond what the database or Python's date holds instead.
BEYOND = {"date": "9999-12-31", "datetime-local": "9999-12-31T23:59", "time": "23:59",
          "number": "9" * 25}


def body_for(form: dict, values: list, round_: int) -> str:
    pairs, i = [], 0
    for field in form["fields"]:
        if field["kind"] in BEYOND and round_ % 4 == 3:
            pairs.append((field["name"], BEYOND[field["kind"]]))
        elif field["kind"] in FILLERS and not field["value"]:
            early, late = FILLERS[field["kind"]]
            late_name = any(w in field["name"] for w in ("end", "closes", "deadline"))
            pairs.append((field["name"], late if late_name else early))
        elif field["kind"] in VALID and round_ % 2 == 0:
            pairs.append((field["name"], VALID[field["kind"]]))
            i += 1
        elif field["kind"] in TEXT_TYPES | {"textarea"} and field["name"] not in REFRESHED:
            pairs.append((field["name"], values[i % len(values)]))
            i += 1
        elif field["kind"] != "file" and field["value"] is not None:
            pairs.append((field["name"], field["value"]))
    return urlencode(pairs)


class NetWriteWatch(WriteWatch):
    """Like ``WriteWatch``, but forgets the writes a rolled-back savepoint undid: a form that
    flushes, finds a problem and rolls back has written nothing."""

    def __init__(self, connection):
        super().__init__(connection)
        #: len(writes) at each open savepoint, innermost last (the event may carry no name).
        self.marks: list[int] = []

    def savepoint(self, conn, name):
        self.marks.append(len(self.writes))

    def rollback_savepoint(self, conn, name, context):
        del self.writes[self.marks.pop() if self.marks else 0:]

    def release_savepoint(self, conn, name, context):
        if self.marks:
            self.marks.pop()

    def attach(self, engine, listen=sa.event.listen):
        listen(engine, "before_cursor_execute", self.listen)
        for name in ("savepoint", "rollback_savepoint", "release_savepoint"):
            listen(engine, name, getattr(self, name))

    def detach(self, engine):
        self.attach(engine, listen=sa.event.remove)


def post_the_corpus(shared, forms, watch, problems, fields, saved, redirected):
    """Every form gets every corpus string in one of ``len(CORPUS)`` rounds. Per endpoint,
    ``saved`` counts the posts that wrote to the database and ``redirected`` those answered
    201/302 (a form's "saved" answer)."""
    for round_ in range(len(CORPUS)):
        for actor, page, index, form, endpoint in forms:
            if round_ and any(f["name"] in REFRESHED - {"csrf_token"} for f in form["fields"]):
                fresh = forms_on(shared.request(actor, "GET", page).get_data(as_text=True))
                form = fresh[index] if index < len(fresh) else form
            values = [CORPUS[(round_ + k) % len(CORPUS)] for k in range(len(CORPUS))]
            for field in form["fields"]:
                if field["kind"] in TEXT_TYPES | {"textarea"}:
                    fields.add((endpoint, field["name"]))
            response = shared.request(actor, "POST", form["action"] or page,
                                      data=body_for(form, values, round_), around=watch)
            wrote = bool(watch.writes or watch.changed())
            moved_on = response.status_code in (201, 302)
            saved[endpoint] = saved.get(endpoint, 0) + wrote
            redirected[endpoint] = redirected.get(endpoint, 0) + moved_on
            if response.status_code >= 500:
                problems.append(f"{response.status_code} POST {form['action']} ({endpoint}) "
                                f"as {actor}, round {round_}")
            elif wrote and not moved_on and endpoint not in SAVES_WITHOUT_REDIRECT:
                problems.append(f"POST {form['action']} ({endpoint}) as {actor} answered "
                                f"{response.status_code} but wrote {watch.changed()} "
                                f"{watch.writes[:3]}")
            elif response.mimetype == "text/html" and \
                    (live := live_markup(response.get_data(as_text=True))):
                problems.append(f"live markup {live} in the answer to POST {form['action']}")


def test_the_corpus_through_every_form_then_every_page(app, shared):
    started = time.perf_counter()
    shared.rollback = False  # what the forms save is read back in the second half
    forms = discover(app, shared)
    assert len(forms) > 40, [f[4] for f in forms]
    problems, posts, fields, saved, redirected = [], 0, set(), {}, {}
    watch = NetWriteWatch(shared.connection)
    with app.app_context():
        engine = db.engine
    watch.attach(engine)
    try:
        post_the_corpus(shared, forms, watch, problems, fields, saved, redirected)
    finally:
        watch.detach(engine)
    posts = len(forms) * len(CORPUS)
    posting = time.perf_counter() - started
    rendered, escaped, pdf_corpus, neutralised = 0, set(), set(), set()
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule)):
        if rule.endpoint in NOT_IN_MATRIX or "GET" not in methods_of(rule):
            continue
        rule_of = RULES[ACCESS[rule.endpoint]]
        for actor in [a for a in ("participant", "leader", "organiser", "hr", "editor",
                                  "admin") if a in rule_of.own] or ["admin"]:
            url = build_url(rule, shared.world_of(actor).ids)
            response = shared.request(actor, "GET", url)
            rendered += 1
            if response.status_code >= 500:
                problems.append(f"{response.status_code} GET {url} as {actor}")
                continue
            if response.status_code != 200:
                continue
            if response.mimetype == "text/html":
                body = response.get_data(as_text=True)
                if live := live_markup(body):
                    problems.append(f"live markup {live} on GET {url} as {actor}")
                if "&lt;script&gt;alert(" in body:
                    escaped.add(rule.endpoint)
            if response.get_data()[:4] == b"%PDF" and \
                    "rl-4" in readable(response):  # parses every page; a broken PDF raises
                pdf_corpus.add(rule.endpoint)
            if "'=HYPERLINK" in readable(response):
                neutralised.add(rule.endpoint)
            if formulas := spreadsheet_formulas(response):
                problems.append(f"formula cells in GET {url}: {formulas[:5]}")
    print(f"\nhostile corpus: {len(CORPUS)} strings x {len(fields)} text fields in "
          f"{len(forms)} forms ({len(saved)} endpoints) = {posts} posts in {posting:.1f} s "
          f"({sum(1 for n in saved.values() if n)} endpoints wrote some, "
          f"{sum(saved.values())} posts in all; {len(REFUSED)} wrote nothing); "
          f"{rendered} pages and "
          f"files rendered afterwards ({len(escaped)} show the corpus escaped, "
          f"{len(pdf_corpus)} PDFs print it as text, {len(neutralised)} exports neutralise "
          f"it); {time.perf_counter() - started:.1f} s in all")
    assert not problems, "\n".join(problems)
    refused = sorted(e for e, n in saved.items() if not n)
    assert refused == sorted(REFUSED), "\n".join(refused)
    # Those that save without redirecting do save (the database says so), and only they.
    quiet = sorted(e for e, n in saved.items() if n and not redirected[e])
    assert quiet == sorted(SAVES_WITHOUT_REDIRECT), quiet
    # The corpus did arrive: pages show it as text, PDFs print it, exports neutralise it.
    assert len(escaped) >= 10, escaped
    assert pdf_corpus, "no PDF carried a corpus string"
    assert neutralised, "no export carried a formula from the corpus"


#: What the filters get besides the corpus: numbers beyond what the database holds, digits
#: that are no number, and days beyond what Python's date holds once a day is added.
EXTREMES = ["9" * 25, str(2**31), "²", "-1", "0001-01-01", "9999-12-31", "31.12.9999"]


def test_the_extremes_and_the_corpus_through_every_filter_form(app, shared):
    """Every GET form (the filters of lists and reports) with each extreme value, then each
    corpus string, in all its fields at once (selects and dates included: a query string
    can hold anything): no answer is a server error."""
    values = EXTREMES + [c for c in CORPUS if isinstance(c, str)]
    problems, filters = [], set()
    for actor, url, forms in pages_with_forms(app, shared, method="get"):
        for form in forms:
            names = sorted({f["name"] for f in form["fields"] if f["kind"] != "submit"})
            if not names:
                continue
            action = urlsplit(form["action"] or url).path
            filters.add(action)
            for value in values:
                target = f"{action}?{urlencode([(name, value) for name in names])}"
                answer = shared.request(actor, "GET", target)
                if answer.status_code >= 500:
                    problems.append(f"{answer.status_code} GET {target[:160]} as {actor}")
    assert len(filters) >= 8, sorted(filters)
    assert not problems, "\n".join(problems)


def test_nul_characters_are_refused_with_a_clear_message(shared):
    world = shared.world_of("organiser")
    response = shared.request("organiser", "POST",
                              f"/forvaltning/kurs/{world.ids['slug']}",
                              data={"title": "nul\x00byte"})
    assert response.status_code == 400
    assert "ugyldige tegn" in response.get_data(as_text=True)
    api = shared.request("participant", "POST", "/api/v1/checkin", json={"token": "a\x00b"})
    assert api.status_code == 400 and api.get_json()["code"] == "invalid_characters"
    search = shared.request("participant", "GET", "/kurs?q=%00")
    assert search.status_code == 400


def test_the_corpus_through_the_api_bodies(shared):
    problems = []
    world = shared.world_of("organiser")
    session_id = world.ids["seminar_session_id"]
    for text in CORPUS:
        if isinstance(text, bytes):
            continue
        calls = [
            ("participant", "POST", "/api/v1/checkin", {"token": text}),
            ("organiser", "PUT", f"/api/v1/sessions/{session_id}/attendance",
             [{"user_id": world.ids["user_id"], "status": text}]),
            ("participant", "POST", f"/api/v1/attempts/{world.ids['attempt_id']}/submit",
             {"answers": {str(world.ids["quiz_question_id"]): text}}),
            ("participant", "POST", f"/api/v1/offerings/{world.ids['offering_id']}/enrolments",
             {"user_id": text}),
        ]
        for actor, method, url, body in calls:
            response = shared.request(actor, method, url, json=body)
            if response.status_code >= 500 or not response.is_json:
                problems.append(f"{method} {url} with {text[:30]!r}: {response.status_code}")
    assert not problems, "\n".join(problems)

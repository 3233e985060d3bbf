"""``python -m bench`` (``make bench``): every figure of design.md §9 from one run, in one
table: the figure, its baseline from the same run, the ratio, the target and pass/fail.

    python -m bench                       # everything at 14,000 employees
    python -m bench --only H1,P1          # a subset (ids as in design.md §9)
    python -m bench --postgres URL        # H3 too (default: $KURS_BENCH_POSTGRES_URL)
    python -m bench --national            # S1 and Q5 at 500,000 employees on PostgreSQL

Pages are served by gunicorn ``-w 2 -k sync`` and loaded by wrk (``-t2 -c32``) in another
process, logged in through the real login form; interleaved rounds, medians. The machine
is shared and noisy, so only ratios to baselines measured in the same run mean anything.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import traceback
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from pathlib import Path

import requests

from bench import prepare as data
from bench.harness import Series, gunicorn, wrk

ALL = ["H1", "H2", "H3", "W1", "W2", "Q1", "Q2", "Q3", "Q4", "Q5", "P1", "P2", "P3", "M1",
       "S1"]
PASSWORD = "kurs-demo-2026"  # noqa: S105  (the printed demo password)
LEADER, ORGANISER, HR = ("leder@trondheim.example", "arrangor@trondheim.example",
                         "hr@trondheim.example")
P99_LIMIT = 10.0


@dataclass
class Row:
    id: str
    figure: str
    value: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    #: None: reported beside its baseline, without a target.
    passed: bool | None = None


# Pages ---------------------------------------------------------------------------------

#: name -> (id, figure, who, minimum ratio to hello)
PAGES = {
    "floor": ("ref", "logged-in floor /personvern (layout + session + user)", LEADER, None),
    "catalogue": ("H1", "catalogue /kurs, logged in", LEADER, 0.20),
    "course": ("H2", "course page /kurs/it-i-hverdagen", LEADER, 0.12),
    "home": ("H2", "home page /", LEADER, 0.12),
    "seminar": ("H2", "seminar page (programme)", ORGANISER, 0.12),
    "grid": ("H2", f"attendance grid ({data.PEOPLE} people)", ORGANISER, 0.12),
    "report": ("H2", "report landing /rapporter", HR, 0.12),
}


def page_paths(fixture: data.Fixture) -> dict[str, str]:
    return {"floor": "/personvern", "catalogue": "/kurs", "course": "/kurs/it-i-hverdagen",
            "home": "/", "seminar": fixture.programme, "grid": fixture.grid,
            "report": "/rapporter"}


def test_client_as(app, email: str):
    """A Flask test client logged in as ``email`` through the real login form."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"csrf_token": token, "email": email,
                                         "password": PASSWORD})
    if answer.status_code != 302:
        raise RuntimeError(f"the benchmark login of {email} failed")
    return client


def login_cookie(base: str, email: str) -> str:
    http = requests.Session()
    page = http.get(base + "/login", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = http.post(base + "/login", data={"csrf_token": token, "email": email,
                                                "password": PASSWORD, "next": ""},
                         allow_redirects=False, timeout=30)
    if response.status_code != 302:
        raise RuntimeError(f"the benchmark login of {email} failed")
    return f"kurs_session={http.cookies['kurs_session']}"


def enrol_script(token: str, user_ids: list[int]) -> str:
    """wrk Lua: every request enrols another person (the organiser enrols anyone);
    thread t of 2 takes people t, t+2, t+4 …, so nobody is enrolled twice."""
    ids = ",".join(map(str, user_ids))
    return f"""
local ids = {{{ids}}}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
n = 0
request = function()
  n = n + 1
  local i = ((n - 1) * 2 + tid - 1) % #ids + 1
  local body = '{{"user_id": ' .. ids[i] .. '}}'
  return wrk.format("POST", nil, {{["Content-Type"] = "application/json",
                                   ["Authorization"] = "Bearer {token}"}}, body)
end
"""


def attendance_script(token: str, user_ids: list[int]) -> str:
    """wrk Lua: each request PUTs one person, whose status flips on every pass."""
    ids = ",".join(map(str, user_ids))
    return f"""
local ids = {{{ids}}}
local n = 0
request = function()
  n = n + 1
  local status = (math.floor(n / #ids) % 2 == 0) and "present" or "late"
  local body = '[{{"user_id": ' .. ids[(n % #ids) + 1] .. ', "status": "' .. status .. '"}}]'
  return wrk.format("PUT", nil, {{["Content-Type"] = "application/json",
                                  ["Authorization"] = "Bearer {token}"}}, body)
end
"""


@dataclass
class HttpResult:
    series: dict[str, Series]
    rss: list[float]
    race: tuple[bool, str] | None
    capacity: tuple[bool, str] | None


def run_http(url: str, env: dict, fixture: data.Fixture, args, *, pages: list[str],
             writes: bool, race: bool) -> HttpResult:
    paths = page_paths(fixture)
    series = {name: Series(name) for name in ["hello", "orm", *pages]}
    if writes:
        series["enrol"], series["attendance"] = Series("enrol"), Series("attendance")
    duration = f"{args.seconds}s"
    enrol_urls = iter(fixture.enrol_urls)
    with ExitStack() as stack:
        hello = stack.enter_context(gunicorn("bench.hello:app", env, probe="/hello"))
        orm = stack.enter_context(gunicorn("bench.hello:orm_app", env, probe="/hello"))
        app = stack.enter_context(gunicorn("bench.wsgi:app", env))
        cookies = {who: login_cookie(app.url, who) for who in {LEADER, ORGANISER, HR}}
        targets = {"hello": (hello.url + "/hello", {}), "orm": (orm.url + "/orm", {})}
        for name in pages:
            targets[name] = (app.url + paths[name], {"Cookie": cookies[PAGES[name][2]]})
        for target, headers in targets.values():  # warm every worker and cache
            wrk(target, duration="2s", headers=headers)
            settle(app.url)
        used_enrol = []
        if writes:
            first = next(enrol_urls)
            used_enrol.append(first)
            wrk(app.url + first, duration="1s", warmup=False,
                script=enrol_script(fixture.token, fixture.user_ids))
        for _ in range(args.rounds):  # interleaved, so drift hits every figure alike
            for name, (target, headers) in targets.items():
                load = wrk(target, duration=duration, headers=headers)
                if load.rps == 0:  # slower than the run: give it long enough to finish some
                    settle(app.url)
                    load = wrk(target, duration="30s", headers=headers, warmup=False)
                series[name].loads.append(load)
                settle(app.url)
            if writes:
                url_path = next(enrol_urls)
                used_enrol.append(url_path)
                series["enrol"].loads.append(wrk(
                    app.url + url_path, duration=duration, warmup=False,
                    script=enrol_script(fixture.token, fixture.user_ids)))
                settle(app.url)
                series["attendance"].loads.append(wrk(
                    app.url + fixture.attendance_write, duration=duration,
                    script=attendance_script(fixture.token, fixture.people_ids)))
        rss = app.worker_rss_mb()
        race_result = run_race(app.url, fixture) if race else None
    capacity = data.capacity_held(url, used_enrol) if writes else None
    return HttpResult(series, rss, race_result, capacity)


def settle(base: str, limit_s: float = 120.0) -> None:
    """Wait until the app has worked off the requests wrk left queued (a page slower than
    the run is long leaves seconds of work behind), so they do not fall on the next figure."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        started = time.monotonic()
        with suppress(requests.RequestException):
            requests.get(base + "/health", timeout=limit_s)
        if time.monotonic() - started < 0.25:
            return


def run_race(base: str, fixture: data.Fixture, people: int = 50) -> tuple[bool, str]:
    """W1: ``people`` enrolments released together for 10 seats, once per race offering."""
    candidates = fixture.user_ids[-people:]
    failures, errors = [], 0
    for offering_id in fixture.race_offerings:
        barrier = threading.Barrier(people)
        answers: list[tuple[int, str]] = []
        lock = threading.Lock()

        def enrol(user_id: int, offering_id=offering_id, barrier=barrier, answers=answers,
                  lock=lock) -> None:
            http = requests.Session()
            barrier.wait()
            try:
                response = http.post(f"{base}/api/v1/offerings/{offering_id}/enrolments",
                                     json={"user_id": user_id}, timeout=60,
                                     headers={"Authorization": f"Bearer {fixture.token}"})
                status = response.json().get("status", "") if response.ok else ""
                code = response.status_code
            except requests.RequestException as error:
                code, status = 0, str(error)
            with lock:
                answers.append((code, status))

        threads = [threading.Thread(target=enrol, args=(u,)) for u in candidates]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        enrolled = sum(1 for code, status in answers if code == 201 and status == "enrolled")
        waitlisted = sum(1 for code, status in answers
                         if code == 201 and status == "waitlisted")
        errors += sum(1 for code, _s in answers if code != 201)
        if (enrolled, waitlisted) != (data.RACE_SEATS, people - data.RACE_SEATS):
            failures.append(f"offering {offering_id}: {enrolled} enrolled, "
                            f"{waitlisted} waitlisted")
    runs = len(fixture.race_offerings)
    ok = not failures and errors == 0
    return ok, (f"{runs - len(failures)} of {runs} runs exact, {errors} errors"
                + (f" ({'; '.join(failures[:3])})" if failures else ""))


def http_rows(result: HttpResult, pages: list[str], label: str) -> list[Row]:
    hello = result.series["hello"]
    rps, p99 = hello.median("rps"), hello.median("p99_ms")
    rows = [Row("ref", f"{label}: bare Flask hello", f"{rps:,.0f} req/s, p99 {p99:.1f} ms"),
            _ratio_row("ref", f"{label}: bare ORM + template page (50 rows)",
                       result.series["orm"], hello, None)]
    for name in pages:
        ident, figure, _who, target = PAGES[name]
        rows.append(_ratio_row(ident, f"{label}: {figure}", result.series[name], hello, target,
                               p99_limit=P99_LIMIT if target else None))
    if "enrol" in result.series:
        ok, detail = result.capacity
        row = _ratio_row("W2", f"{label}: enrolment writes (POST, 32 connections)",
                         result.series["enrol"], hello, 0.08)
        row.value += f"; capacity: {detail}"
        row.passed = bool(row.passed and ok)
        rows.append(row)
        rows.append(_ratio_row("W2", f"{label}: attendance writes (PUT)",
                               result.series["attendance"], hello, 0.08))
    if result.race is not None:
        ok, detail = result.race
        rows.append(Row("W1", f"{label}: enrolment race, 50 for 10 seats", detail,
                        target="10 enrolled, 40 waitlisted, 0 errors, 20 of 20", passed=ok))
    if result.rss:
        worst = max(result.rss)
        rows.append(Row("M1", f"{label}: gunicorn worker RSS after the load",
                        ", ".join(f"{x:.0f}" for x in result.rss) + " MB",
                        target="≤ 150 MB", passed=worst <= 150))
    return rows


def _ratio_row(ident: str, figure: str, series: Series, hello: Series, target: float | None,
               p99_limit: float | None = None) -> Row:
    rps, p50, p99 = series.median("rps"), series.median("p50_ms"), series.median("p99_ms")
    errors = sum(load.errors for load in series.loads)
    ratio = rps / hello.median("rps")
    p99_ratio = p99 / hello.median("p99_ms")
    value = f"{rps:,.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms ({p99_ratio:.1f} × hello)"
    if errors:
        value += f", {errors} errors"
    passed = None
    target_text = ""
    if target is not None:
        passed = ratio >= target and errors == 0 and (p99_limit is None or p99_ratio <= p99_limit)
        target_text = f"≥ {target:.2f}" + (f", p99 ≤ {p99_limit:.0f} ×" if p99_limit else "")
    return Row(ident, figure, value, f"hello {hello.median('rps'):,.0f} req/s",
               f"{ratio:.2f}", target_text, passed)


# Statements per page (Q1) --------------------------------------------------------------

def statement_counts(url: str, work: Path, fixture: data.Fixture) -> list[Row]:
    import sqlalchemy as sa

    from app import create_app
    from app.extensions import db

    app = create_app(data.bench_config(url, work))
    with app.app_context():
        engine = db.engine
    statements: list[str] = []
    ignored = re.compile(r"^\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)", re.I)

    def count(_conn, _cursor, statement, *_args):
        if not ignored.match(statement):
            statements.append(statement)

    rows = []
    paths = page_paths(fixture)
    for name, (_ident, figure, who, _target) in PAGES.items():
        client = test_client_as(app, who)
        client.get(paths[name])
        sa.event.listen(engine, "before_cursor_execute", count)
        statements.clear()
        status = client.get(paths[name]).status_code
        sa.event.remove(engine, "before_cursor_execute", count)
        n = len(statements)
        label = figure.split(",")[0]
        rows.append(Row("Q1", f"statements: {label}", f"{n} (HTTP {status})",
                        target="≤ 8, same at two sizes (tests)", passed=n <= 8 and status == 200))
    return rows


# PDFs ------------------------------------------------------------------------------------

def cpu_median(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        samples.append(time.process_time() - start)
    return statistics.median(samples)


def pdf_rows(selected: set[str], url: str | None, work: Path, fixture, args) -> list[Row]:
    from bench import certificates as certs

    rows = []
    floor_s = cpu_median(certs.floor, 40)
    floor_text = f"bare one-string page {floor_s * 1000:.2f} ms"
    cert_s = None
    if selected & {"P1", "P2"}:
        floor_s, cert_s = certs.p1(args.samples)
        floor_text = f"bare one-string page {floor_s * 1000:.2f} ms"
        ratio = cert_s / floor_s
        rows.append(Row("P1", "one certificate PDF (CPU)", f"{cert_s * 1000:.2f} ms",
                        floor_text, f"{ratio:.1f} ×", "≤ 8 ×", ratio <= 8))
    if "P2" in selected:
        cores = min(2, os.cpu_count() or 1)
        lost = certs.LostCertificates(args.certificates)
        one_wall, _one_cpu = certs.p2(lost, 1)
        wall, cpu = certs.p2(lost, cores)
        per = wall / args.certificates
        limit = 1.2 * cert_s / cores
        rows.append(Row("P2", f"{args.certificates} certificates as a ZIP, {cores} processes",
                        f"{wall:.2f} s wall ({per * 1000:.2f} ms each; 1 process "
                        f"{one_wall:.2f} s); CPU {cpu / args.certificates * 1000:.2f} ms each",
                        f"1.2 × P1 / {cores} = {limit * 1000:.2f} ms",
                        f"{per / (cert_s / cores):.2f}", "≤ 1.2", per <= limit))
    if "P3" in selected and url:
        sheet_s, report_s = p3_times(url, work, fixture)
        rows.append(Row("P3", f"sign-in sheet PDF, {data.PEOPLE} people (CPU)",
                        f"{sheet_s * 1000:.1f} ms", floor_text, f"{sheet_s / floor_s:.0f} ×",
                        "reported"))
        if report_s is not None:
            rows.append(Row("P3", "HR competence report PDF, whole organisation (CPU)",
                            f"{report_s * 1000:.0f} ms", floor_text,
                            f"{report_s / floor_s:.0f} ×", "reported"))
    return rows


def p3_times(url: str, work: Path, fixture) -> tuple[float, float | None]:
    import sqlalchemy as sa

    from app import create_app
    from app.accounts.models import Organisation
    from app.enrolment.models import CourseSession
    from app.extensions import db
    from app.orm import utcnow
    from app.seminars.documents import signin_sheet_pdf

    app = create_app(data.bench_config(url, work))
    with app.test_request_context():
        course_session = db.session.get(CourseSession, fixture.session_id)
        signin_sheet_pdf(db.session, course_session)
        sheet = cpu_median(lambda: signin_sheet_pdf(db.session, course_session), 7)
        report = None
        if importlib.util.find_spec("app.reports.exports"):
            from app.reports import exports
            from app.reports.cli import OperatorReader
            from app.reports.scope import parse_filters

            org_ids = list(db.session.scalars(
                sa.select(Organisation.id).where(Organisation.slug == "trondheim")))
            reader, filters = OperatorReader(org_ids), parse_filters({})
            report = cpu_median(lambda: exports.pdf_bytes(db.session, reader, filters,
                                                          now=utcnow()), 3)
        db.session.remove()
    return sheet, report


# Reports (Q2–Q5) -------------------------------------------------------------------------

def report_rows(url: str, *, national: bool = False) -> list[Row]:
    """From ``bench/reports.py`` (the HR reports' own benchmark) when it is there."""
    if importlib.util.find_spec("bench.reports") is None:
        return [Row("Q2–Q5", "competence reports", "bench/reports.py not present",
                    passed=None)]
    from bench import reports

    rows = []
    try:
        found = reports.rows(url, national=national)
    except Exception as error:  # noqa: BLE001  (one module's failure must not lose the table)
        return [Row("Q2–Q5", "competence reports", f"failed: {error!r}"[:200], passed=False)]
    for name, value, baseline, ratio, target, passed in found:
        ident = name.split()[0] if re.match(r"Q\d", name) else "Q"
        rows.append(Row(ident, name, str(value), str(baseline), str(ratio), str(target),
                        passed))
    return rows


# The table -------------------------------------------------------------------------------

def print_table(rows: list[Row], header: str) -> None:
    print(f"\n{header}\n")
    print("| id | figure | value | baseline | ratio | target | result |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        result = "–" if row.passed is None else ("pass" if row.passed else "MISS")
        print(f"| {row.id} | {row.figure} | {row.value} | {row.baseline} | {row.ratio} | "
              f"{row.target} | {result} |")
    missed = [f"{r.id} {r.figure}" for r in rows if r.passed is False]
    print(f"\n{len([r for r in rows if r.passed])} met, {len(missed)} missed"
          + (":\n  " + "\n  ".join(missed) if missed else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="kurs benchmarks (design.md §9)")
    parser.add_argument("--only", help="comma-separated ids, e.g. H1,P1 (default: all)")
    parser.add_argument("--employees", type=int, default=14000)
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("DURATION", "6")))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS", "3")))
    parser.add_argument("--samples", type=int, default=60, help="P1 samples")
    parser.add_argument("--certificates", type=int, default=1000, help="P2 count")
    parser.add_argument("--postgres", default=os.environ.get("KURS_BENCH_POSTGRES_URL"),
                        help="a PostgreSQL server URL for H3 (a throwaway database is made)")
    parser.add_argument("--national", action="store_true",
                        help="also build 500,000 employees on PostgreSQL (S1, Q5)")
    parser.add_argument("--national-employees", type=int, default=500000)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    import logging

    # The in-process app's request logs would bury the table.
    logging.basicConfig(level=logging.WARNING)
    selected = set(args.only.upper().split(",")) if args.only else set(ALL)
    if args.national:
        selected |= {"S1", "Q5"}
    http_ids = {"H1", "H2", "H3", "W1", "W2", "M1"}
    if selected & http_ids and not shutil.which("wrk"):
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 2

    started = time.perf_counter()
    rows: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix="kurs-bench-"))
    url = f"sqlite:///{work / 'bench.db'}"
    env = data.environment(url, work)
    needs_data = bool(selected & (http_ids | {"Q1", "Q2", "Q3", "Q4", "P3", "S1"}))
    fixture = None
    if needs_data:
        print(f"building {args.employees} employees in {work} …", flush=True)
        built = data.build(env, args.employees)
        print(built.output.splitlines()[-1] if built.output else "", flush=True)
        if "S1" in selected:
            rows.append(Row("S1", f"flask demo scale --employees {args.employees}, SQLite",
                            f"{built.seconds:.1f} s", target="≤ 60 s",
                            passed=built.seconds <= 60 or args.employees > 14000))
        if "M1" in selected:
            rows.append(Row("M1", "flask demo scale peak RSS",
                            f"{built.peak_rss_mb:.0f} MB", target="≤ 500 MB",
                            passed=built.peak_rss_mb <= 500))
        fixture = data.prepare(url, work)
    pages = [name for name, (ident, *_rest) in PAGES.items()
             if ident in selected or ident == "ref" or "H3" in selected]
    def section(ident: str, fn) -> None:
        # One section's failure is a row of the table, not the end of the run.
        first = len(rows)
        try:
            rows.extend(fn())
        except Exception as error:  # noqa: BLE001
            traceback.print_exc()
            rows.append(Row(ident, "failed", f"{error!r}"[:300], passed=False))
        # The section's own rows as they come (the table at the end has them all).
        print("\n".join(f"  {r.id} {r.figure}: {r.value}" + (f", ratio {r.ratio}" if r.ratio
                                                               else "")
                        for r in rows[first:]), flush=True)

    if selected & http_ids:
        print("loading pages on SQLite …", flush=True)
        sqlite = None

        def sqlite_rows():
            nonlocal sqlite
            sqlite = run_http(url, env, fixture, args, pages=pages,
                              writes="W2" in selected, race="W1" in selected)
            return http_rows(sqlite, pages, "SQLite")

        section("H", sqlite_rows)
        # With --postgres, W2 alone is loaded on PostgreSQL too (the pages only with H3).
        if sqlite is not None and ("H3" in selected or ("W2" in selected and args.postgres)):
            section("H3", lambda: postgres_rows(args, sqlite, pages, writes="W2" in selected))
    if "Q1" in selected:
        section("Q1", lambda: statement_counts(url, work, fixture))
    if selected & {"Q2", "Q3", "Q4"}:
        section("Q2–Q4", lambda: report_rows(url))
    if selected & {"P1", "P2", "P3"}:
        print("drawing PDFs …", flush=True)
        section("P", lambda: pdf_rows(selected, url if fixture else None, work, fixture, args))
    if args.national:
        section("S1", lambda: national_rows(args))
    print_table(rows, f"kurs bench: {args.employees} employees; gunicorn -w 2 -k sync, "
                      f"wrk -t2 -c32, median of {args.rounds} rounds of {args.seconds} s; "
                      f"{time.perf_counter() - started:.0f} s in all")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if args.strict and any(r.passed is False for r in rows) else 0


def postgres_rows(args, sqlite: HttpResult, pages: list[str], *, writes: bool) -> list[Row]:
    """H3: the pages on PostgreSQL against SQLite; with ``writes`` the W2 loads there too."""
    if not args.postgres:
        return [Row("H3", "the pages on PostgreSQL", "skipped: no --postgres URL "
                    "(or KURS_BENCH_POSTGRES_URL)", target="≥ 0.6 × SQLite", passed=None)]
    from tests.conftest import throwaway_postgres_database

    rows = []
    work = Path(tempfile.mkdtemp(prefix="kurs-bench-pg-"))
    with throwaway_postgres_database(args.postgres, "bench") as url:
        env = data.environment(url, work)
        print(f"building {args.employees} employees on PostgreSQL …", flush=True)
        data.build(env, args.employees)
        fixture = data.prepare(url, work)
        print("loading pages on PostgreSQL …", flush=True)
        pg = run_http(url, env, fixture, args, pages=pages, writes=writes, race=False)
    rows += [r for r in http_rows(pg, pages, "PostgreSQL") if r.id != "M1"]
    for name in pages:
        if PAGES[name][0] == "ref":
            continue
        mine, theirs = pg.series[name].median("rps"), sqlite.series[name].median("rps")
        if not theirs or not mine:
            rows.append(Row("H3", f"PostgreSQL ÷ SQLite: {PAGES[name][1]}",
                            f"{mine:,.1f} vs {theirs:,.1f} req/s", target="≥ 0.6",
                            passed=False))
            continue
        hello_ratio = (pg.series["hello"].median("rps") / sqlite.series["hello"].median("rps"))
        # Normalised by each run's own hello, so drift between the two runs cancels.
        ratio = (mine / theirs) / hello_ratio
        rows.append(Row("H3", f"PostgreSQL ÷ SQLite: {PAGES[name][1]}",
                        f"{mine:,.0f} vs {theirs:,.0f} req/s", "SQLite, hello-normalised",
                        f"{ratio:.2f}", "≥ 0.6", ratio >= 0.6))
    shutil.rmtree(work, ignore_errors=True)
    return rows


def national_rows(args) -> list[Row]:
    if not args.postgres:
        return [Row("S1", "national scale on PostgreSQL", "skipped: no --postgres URL",
                    passed=None)]
    from tests.conftest import throwaway_postgres_database

    work = Path(tempfile.mkdtemp(prefix="kurs-bench-national-"))
    rows = []
    with throwaway_postgres_database(args.postgres, "national") as url:
        env = data.environment(url, work)
        print(f"building {args.national_employees} employees on PostgreSQL …", flush=True)
        built = data.build(env, args.national_employees)
        print(built.output.splitlines()[-1] if built.output else "", flush=True)
        rows.append(Row("S1", f"flask demo scale --employees {args.national_employees}, "
                        "PostgreSQL", f"{built.seconds:.0f} s (peak RSS "
                        f"{built.peak_rss_mb:.0f} MB)", target="≤ 900 s",
                        passed=built.seconds <= 900))
        rows += report_rows(url, national=True)
    shutil.rmtree(work, ignore_errors=True)
    return rows


if __name__ == "__main__":
    sys.exit(main())

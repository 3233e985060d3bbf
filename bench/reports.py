"""Q2–Q4 (and Q5 on a national database) of design.md §9: the competence reports against
bare queries over the same rows, in-process, medians of interleaved runs; and the report
landing page (H2) under gunicorn and wrk beside a bare hello.

    rows(database_url, national=False) -> [(name, value, baseline, ratio, target, passed)]
    landing_rows(database_url, work) -> the same shape, for H2 (needs wrk)

``python -m bench.reports [--database URL] [--employees N] [--landing]`` builds a fresh
SQLite database (demo + ``flask demo scale``) unless a URL is given, and prints the rows.

What each figure compares (the reader is HR of the whole municipality):
- Q2: the coverage report (``parts.coverage``: three statements and the roll-up in Python)
  against a bare GROUP BY over the same people × required courses, without the completion
  check. Statements are counted too (≤ 3).
- Q3: one unit's gaps (a unit with its departments, ``parts.gaps``: two statements) against
  the bare tuple query of that unit's required pairs.
- Q4: the full per-person table (every person × required course with their completion)
  as CSV against iterating the same statement's tuples; XLSX (openpyxl write-only) of the
  same table against the CSV.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

REPEAT = 5


def _median_pair(first, second, repeat: int = REPEAT) -> tuple[float, float]:
    """Interleaved runs of two callables; median wall seconds of each."""
    a, b = [], []
    for _ in range(repeat):
        for fn, samples in ((first, a), (second, b)):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _row(name, value, baseline, limit, target) -> tuple:
    ratio = value / baseline if baseline else float("inf")
    return (name, _ms(value), _ms(baseline), f"{ratio:.2f}", target, ratio <= limit)


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, *_args):
        self.count += 1


def _statements(engine, fn) -> int:
    counter = _Counter()
    sa.event.listen(engine, "before_cursor_execute", counter)
    try:
        fn()
    finally:
        sa.event.remove(engine, "before_cursor_execute", counter)
    return counter.count


def rows(database_url: str, *, national: bool = False) -> list[tuple]:
    from app import create_app
    from app.accounts.models import Organisation, Unit, User
    from app.common.spreadsheet import Sheet, csv_stream, xlsx_write
    from app.extensions import db
    from app.orm import utcnow
    from app.reports import exports, parts, queries
    from app.reports.cli import OperatorReader
    from app.reports.scope import Filters
    from bench.prepare import bench_config

    work = Path(tempfile.mkdtemp(prefix="kurs-bench-reports-"))
    app = create_app(bench_config(database_url, work))
    found = []
    with app.test_request_context():
        session = db.session
        engine = db.engine
        org_ids = list(session.scalars(
            sa.select(Organisation.id).where(Organisation.slug == "trondheim")))
        reader, everything, now = OperatorReader(org_ids), Filters(), utcnow()
        employees = session.scalar(sa.select(sa.func.count()).select_from(User)
                                   .where(User.organisation_id.in_(org_ids)))

        # Q2: the whole organisation's coverage.
        def coverage():
            return parts.coverage(session, reader, everything, now=now)

        def bare_coverage():
            return session.execute(queries.bare_coverage_statement(reader, everything,
                                                                   now=now)).all()

        statements = _statements(engine, coverage)
        value, baseline = _median_pair(coverage, bare_coverage)
        q = "Q5" if national else "Q2"
        found.append(_row(f"{q} coverage, whole organisation ({employees} employees)",
                          value, baseline, 1.5, "≤ 1.5 × bare aggregate"))
        found.append((f"{q} coverage statements", str(statements), "", "", "≤ 3",
                      statements <= 3))
        if national:
            session.remove()
            return found

        # Q3: one unit's gaps (the unit with most people below the top level).
        unit = session.execute(  # the last unit of the synthetic municipality
            sa.select(Unit.id, Unit.name).where(Unit.organisation_id.in_(org_ids),
                                                Unit.depth == 1)
            .order_by(Unit.id.desc()).limit(1)).first()
        in_unit = Filters(unit_id=unit.id)

        def unit_gaps():
            return parts.gaps(session, reader, in_unit, now=now, limit=None)

        def bare_gaps():
            bound = queries.bindings(reader, in_unit)
            return session.execute(sa.select(bound.c.user_id, bound.c.course_id)).all()

        statements = _statements(engine, unit_gaps)
        value, baseline = _median_pair(unit_gaps, bare_gaps)
        found.append(_row(f"Q3 gaps of one unit ({unit.name}, "
                          f"{len(unit_gaps().rows)} gaps)", value, baseline, 2.0,
                          "≤ 2 × bare query"))
        found.append(("Q3 gaps statements", str(statements), "", "", "≤ 2", statements <= 2))

        # Q4: the full per-person export.
        sheet_rows = session.scalar(sa.select(sa.func.count()).select_from(
            queries.status_statement(reader, everything, now=now).order_by(None).subquery()))

        def bare_tuples():
            result = session.execute(queries.status_statement(reader, everything, now=now),
                                     execution_options={"yield_per": exports.BATCH})
            for _ in result:
                pass

        def as_csv():
            sheet = exports.people_sheet(session, reader, everything, now=now)
            for _chunk in csv_stream([c.title for c in sheet.columns], sheet.rows):
                pass

        def as_xlsx():
            sheet = exports.people_sheet(session, reader, everything, now=now)
            xlsx_write(io.BytesIO(), [Sheet(sheet.title, sheet.columns, sheet.rows)])

        csv_time, bare_time = _median_pair(as_csv, bare_tuples, 3)
        xlsx_time, csv_again = _median_pair(as_xlsx, as_csv, 3)
        found.append(_row(f"Q4 full export CSV ({sheet_rows} rows)", csv_time, bare_time,
                          1.5, "≤ 1.5 × bare tuple query"))
        found.append(_row(f"Q4 full export XLSX ({sheet_rows} rows)", xlsx_time, csv_again,
                          5.0, "≤ 5 × CSV"))
        session.remove()
    return found


def landing_rows(database_url: str, work: Path, *, seconds: int = 6,
                 rounds: int = 3) -> list[tuple]:
    """H2: the report landing page as HR under gunicorn -w 2 and wrk -c32, beside a bare
    hello measured in the same rounds."""
    from bench.harness import Series, gunicorn, wrk
    from bench.prepare import environment
    from bench.suite import HR, login_cookie

    env = environment(database_url, work)
    hello_s, page_s = Series("hello"), Series("report")
    with gunicorn("bench.hello:app", env, probe="/hello") as hello, \
            gunicorn("bench.wsgi:app", env) as app:
        cookie = {"Cookie": login_cookie(app.url, HR)}
        wrk(app.url + "/rapporter", duration="2s", headers=cookie)
        for _ in range(rounds):
            hello_s.loads.append(wrk(hello.url + "/hello", duration=f"{seconds}s"))
            page_s.loads.append(wrk(app.url + "/rapporter", duration=f"{seconds}s",
                                    headers=cookie))
    rps, base = page_s.median("rps"), hello_s.median("rps")
    p99, base_p99 = page_s.median("p99_ms"), hello_s.median("p99_ms")
    errors = sum(load.errors for load in page_s.loads)
    return [
        ("H2 report landing /rapporter (req/s)", f"{rps:.0f}", f"{base:.0f}",
         f"{rps / base:.3f}", "≥ 0.12 × hello", rps / base >= 0.12 and errors == 0),
        ("H2 report landing p99", f"{p99:.0f} ms", f"{base_p99:.0f} ms",
         f"{p99 / base_p99:.1f}", "≤ 10 × hello's p99", p99 <= 10 * base_p99),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Q2–Q4 and H2 of the competence reports")
    parser.add_argument("--database", help="an existing database URL (default: build one)")
    parser.add_argument("--employees", type=int, default=14000)
    parser.add_argument("--landing", action="store_true", help="also H2 (needs wrk)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kurs-bench-reports-"))
    url = args.database
    if url is None:
        from bench.prepare import build, environment

        url = f"sqlite:///{work / 'bench.db'}"
        print(f"building {args.employees} employees in {work} …", flush=True)
        print(build(environment(url, work), args.employees).output.splitlines()[-1],
              flush=True)
    found = rows(url)
    if args.landing:
        found += landing_rows(url, work)
    print("| figure | value | baseline | ratio | target | result |")
    print("|---|---|---|---|---|---|")
    for name, value, baseline, ratio, target, passed in found:
        print(f"| {name} | {value} | {baseline} | {ratio} | {target} | "
              f"{'pass' if passed else 'MISS'} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

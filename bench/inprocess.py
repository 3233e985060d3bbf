"""``python -m bench.inprocess``: the bench's pages timed, profiled or their statements
listed inside one process (the Flask test client, no HTTP), for finding where a page's
time goes before measuring it under load with ``python -m bench``.

    python -m bench.inprocess catalogue course           # fastest round of each, in ms
    python -m bench.inprocess --profile seminar          # cProfile of one page
    python -m bench.inprocess --statements home          # each statement with its time
    python -m bench.inprocess --keep /tmp/kb grid /kurs  # build once into /tmp/kb, reuse
    python -m bench.inprocess --database postgresql+psycopg://…/empty_db --keep /tmp/kb-pg home

Pages are named as in ``bench.suite.PAGES`` (floor, catalogue, course, home, seminar,
grid, report), each requested as the person the bench uses for it; a path is requested as
``--as`` (default the leader). The pages are interleaved round by round, so that drift
hits them alike; the fastest round counts (this machine's timings wander by ±10 %).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import json
import logging
import pstats
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench import prepare as data
from bench.suite import LEADER, PAGES, page_paths, test_client_as


def _dataset(database: str | None, keep: Path | None, employees: int) -> tuple[str, Path,
                                                                                data.Fixture]:
    """The bench database and its fixture: made once into ``keep`` (or a temporary
    directory) and reused from there."""
    work = keep or Path(tempfile.mkdtemp(prefix="kurs-inprocess-"))
    work.mkdir(parents=True, exist_ok=True)
    url = database or f"sqlite:///{work / 'bench.db'}"
    saved = work / "fixture.json"
    if saved.exists():
        return url, work, data.Fixture(**json.loads(saved.read_text()))
    print(f"building {employees} employees in {work} …", file=sys.stderr)
    data.build(data.environment(url, work), employees)
    fixture = data.prepare(url, work)
    saved.write_text(json.dumps(dataclasses.asdict(fixture)))
    return url, work, fixture


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", help="page names or paths")
    parser.add_argument("--database", help="a database URL (default: SQLite in --keep)")
    parser.add_argument("--keep", type=Path, help="where the data is built and reused")
    parser.add_argument("--employees", type=int, default=14000)
    parser.add_argument("--as", dest="who", default=LEADER, help="who requests paths")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200, help="per page and round")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--profile", action="store_true", help="cProfile the first page")
    mode.add_argument("--statements", action="store_true",
                      help="list the first page's statements with their times")
    args = parser.parse_args(argv)

    url, work, fixture = _dataset(args.database, args.keep, args.employees)
    from app import create_app
    from app.extensions import db

    app = create_app(data.bench_config(url, work))
    logging.disable(logging.INFO)
    paths = page_paths(fixture)
    clients: dict[str, object] = {}
    targets = []
    for name in args.pages:
        who = PAGES[name][2] if name in PAGES else args.who
        if who not in clients:
            clients[who] = test_client_as(app, who)
        targets.append((name, paths.get(name, name), clients[who]))
    for name, path, client in targets:
        status = client.get(path).status_code
        if status != 200:
            raise SystemExit(f"{name}: HTTP {status} for {path}")
        for _ in range(20):
            client.get(path)

    name, path, client = targets[0]
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            client.get(path)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        return 0
    if args.statements:
        with app.app_context():
            engine = db.engine
        spent: dict[str, list[float]] = {}

        def started(conn, *_args):
            conn.info["kurs_started"] = time.perf_counter()

        def ended(conn, _cursor, statement, *_args):
            took = time.perf_counter() - conn.info.pop("kurs_started")
            spent.setdefault(" ".join(statement.split())[:100], []).append(took)

        sa.event.listen(engine, "before_cursor_execute", started)
        sa.event.listen(engine, "after_cursor_execute", ended)
        begun = time.perf_counter()
        for _ in range(args.requests):
            client.get(path)
        whole = (time.perf_counter() - begun) / args.requests * 1000
        print(f"{name}: {whole:.2f} ms a request, of which in the driver's execute:")
        for statement, times in sorted(spent.items(), key=lambda item: -sum(item[1])):
            print(f"  {sum(times) / args.requests * 1000:7.3f} ms "
                  f"×{len(times) / args.requests:g}  {statement}")
        return 0
    best = {name: float("inf") for name, _path, _client in targets}
    for _ in range(args.rounds):
        for name, path, client in targets:
            begun = time.perf_counter()
            for _ in range(args.requests):
                client.get(path)
            took = (time.perf_counter() - begun) / args.requests * 1000
            best[name] = min(best[name], took)
    for name, path, _client in targets:
        print(f"{name:12s} {best[name]:7.3f} ms  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

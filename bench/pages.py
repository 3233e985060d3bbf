"""``python -m bench``: the catalogue, a course page and the home page against a bare
Flask endpoint, all under gunicorn ``-w 2 -k sync``, loaded by wrk (32 connections).

Targets (design.md §9): H1 catalogue ≥ 0.20 × hello req/s; H2 course page and home page
≥ 0.12 × hello req/s and p99 ≤ 10 × hello's p99; M1 worker RSS ≤ 150 MB after the load;
S1 ``flask demo scale --employees 14000`` ≤ 60 s. Figures on a shared two-core machine are
noisy; the ratios come from the same run, the median of the rounds.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOGIN = "leder@trondheim.example"
PASSWORD = "kurs-demo-2026"  # noqa: S105  (the printed demo password)

#: name -> (path, minimum ratio to hello's req/s); None: shown for reference only.
PAGES = {
    # The app's floor: a static page behind the login (session, user, menu, layout).
    "logged-in floor": ("/personvern", None),
    "catalogue": ("/kurs", 0.20),
    "course page": ("/kurs/it-i-hverdagen", 0.12),
    "home page": ("/", 0.12),
}
P99_LIMIT = 10.0
RSS_LIMIT_MB = 150
SCALE_LIMIT_S = 60


@dataclass
class Run:
    rps: float
    p50: float
    p99: float
    errors: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env: dict, *args: str) -> str:
    result = subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True)
    return result.stdout


def gunicorn(env: dict, target: str, port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", target],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/health", timeout=10)
            return process
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"gunicorn {target} did not start; see {log}")


def login_cookie(base: str) -> str:
    http = requests.Session()
    page = http.get(base + "/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = http.post(base + "/login", data={"csrf_token": token, "email": LOGIN,
                                                "password": PASSWORD, "next": ""},
                         allow_redirects=False)
    if response.status_code != 302:
        raise RuntimeError("the benchmark login failed")
    return f"kurs_session={http.cookies['kurs_session']}"


def _ms(value: str) -> float:
    number, unit = float(re.match(r"[\d.]+", value).group()), re.sub(r"[\d.]+", "", value)
    return number * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url: str, seconds: int, cookie: str | None) -> Run:
    command = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    latency = dict(re.findall(r"^ +(50|99)%\s+(\S+)\s*$", out, re.M))
    if "50" not in latency:
        raise RuntimeError(f"wrk gave no latency distribution for {url}:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                              r"timeout (\d+)", out)
    return Run(rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
               p50=_ms(latency["50"]), p99=_ms(latency["99"]),
               errors=(int(errors.group(1)) if errors else 0)
               + (sum(map(int, socket_errors.groups())) if socket_errors else 0))


def worker_rss_mb(master: subprocess.Popen) -> list[float]:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    sizes = []
    for pid in children.read_text().split() if children.exists() else []:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=14000)
    parser.add_argument("--seconds", type=int, default=8, help="per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="kurs-bench-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'bench.db'}",
           "KURS_STORAGE_DIR": str(work / "storage"), "SECRET_KEY": "bench-only-key",
           "FLASK_APP": "app:create_app", "KURS_ENV": "development",
           "KURS_LOGIN_MAX_FAILURES_PER_ADDRESS": "100000"}
    print(f"data in {work}")
    flask(env, "db", "upgrade")
    flask(env, "demo", "load")
    started = time.perf_counter()
    print(flask(env, "demo", "scale", "--employees", str(args.employees)).strip())
    scale_seconds = time.perf_counter() - started

    app_port, hello_port = free_port(), free_port()
    app = gunicorn(env, "app:create_app()", app_port, work / "app.log")
    hello = gunicorn(env, "bench.hello:app", hello_port, work / "hello.log")
    try:
        cookie = login_cookie(f"http://127.0.0.1:{app_port}")
        targets = {"hello": (f"http://127.0.0.1:{hello_port}/hello", None)}
        targets.update({name: (f"http://127.0.0.1:{app_port}{path}", cookie)
                                        for name, (path, _ratio) in PAGES.items()})
        for url, with_cookie in targets.values():  # warm up every worker and cache
            wrk(url, 2, with_cookie)
        runs: dict[str, list[Run]] = {name: [] for name in targets}
        for _ in range(args.rounds):  # interleaved, so drift hits every target alike
            for name, (url, with_cookie) in targets.items():
                runs[name].append(wrk(url, args.seconds, with_cookie))
        rss = worker_rss_mb(app)
    finally:
        for process in (app, hello):
            process.send_signal(signal.SIGTERM)
            process.wait(10)

    return report(runs, rss, scale_seconds, args)


def report(runs: dict[str, list[Run]], rss: list[float], scale_seconds: float, args) -> int:
    median = {name: Run(statistics.median(r.rps for r in rs), statistics.median(r.p50 for r in rs),
                        statistics.median(r.p99 for r in rs), sum(r.errors for r in rs))
              for name, rs in runs.items()}
    hello = median["hello"]
    failures = []
    print(f"\ngunicorn -w 2 -k sync, wrk -t2 -c32, {args.rounds} rounds of {args.seconds} s, "
          f"median; {args.employees} employees")
    print(f"{'page':<16} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} {'target':>7} "
          f"{'p99/hello':>9} {'errors':>6}")
    for name, run in median.items():
        ratio = run.rps / hello.rps
        target = PAGES[name][1] if name in PAGES else 1.0
        p99_ratio = run.p99 / hello.p99
        if target is None:
            print(f"{name:<16} {run.rps:>8.0f} {run.p50:>8.1f} {run.p99:>8.1f} {ratio:>6.2f} "
                  f"{'–':>7} {p99_ratio:>9.1f} {run.errors:>6}")
            continue
        ok = ratio >= target and (name == "hello" or p99_ratio <= P99_LIMIT) and not run.errors
        if not ok:
            failures.append(name)
        print(f"{name:<16} {run.rps:>8.0f} {run.p50:>8.1f} {run.p99:>8.1f} {ratio:>6.2f} "
              f"{'≥' + format(target, '.2f'):>7} {p99_ratio:>9.1f} {run.errors:>6}"
              f"{'' if ok else '  MISSED'}")
    worst = max(rss) if rss else 0.0
    print(f"worker RSS after the load: {', '.join(f'{x:.0f}' for x in rss)} MB "
          f"(target ≤ {RSS_LIMIT_MB})")
    print(f"flask demo scale --employees {args.employees}: {scale_seconds:.1f} s "
          f"(target ≤ {SCALE_LIMIT_S} s at 14,000)")
    if worst > RSS_LIMIT_MB:
        failures.append("rss")
    if args.employees >= 14000 and scale_seconds > SCALE_LIMIT_S:
        failures.append("scale")
    print("all targets met" if not failures else f"missed: {', '.join(failures)}")
    return 1 if failures and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m bench.soak --minutes 10 --connections 32``: a soak test.

gunicorn (``-w 2 -k sync``) serves the app on a throwaway PostgreSQL database with the demo
data, a job runner issues certificates beside it, and this process sends mixed traffic from
N connections (threads, each with its own keep-alive connection): browsing pages, enrolling
in and cancelling from a small offering (8 seats, so the seats are fought over), an
organiser marking attendance in bulk, and people taking a quiz. At the end it prints

- the requests per kind and status, and the server errors (any 5xx, any connection error,
  any traceback in gunicorn's log): the target is 0;
- invariants checked in SQL: no offering holds more people than its capacity and ``taken``
  equals the enrolled rows; one graded attempt per accepted submit; one certificate per
  completion; at most one open attempt per person and quiz;
- gunicorn's worker RSS, sampled after the warm-up, every minute, and at the end.

PostgreSQL: ``KURS_SOAK_POSTGRES_URL`` (default: the local server's ``test`` database; a
database ``kurs_soak_<random>`` is created there and dropped afterwards). Exit status 1 when
a server error happened or an invariant broke.
"""

from __future__ import annotations

import argparse
import collections
import logging
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
LEADER, PASSWORD = "leder@trondheim.example", "kurs-demo-2026"  # noqa: S105 (demo login)
SOAK_PEOPLE = 150
SEATS = 8


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def create_database(base_url: str) -> tuple[str, callable]:
    base = sa.make_url(base_url)
    name = f"kurs_soak_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop():
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


def flask(env: dict, *args: str) -> str:
    return subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout


def prepare(env: dict) -> dict:
    """Soak people with API tokens, an organiser, a small offering, a seminar session with
    the soak people on its list, and a quiz with unlimited attempts."""
    os.environ.update(env)
    from app import create_app
    from app.accounts.models import Organisation, RoleAssignment, User
    from app.accounts.services import create_token
    from app.catalogue.models import Course
    from app.enrolment.models import CourseSession, Enrolment, Offering
    from app.extensions import db
    from app.orm import utcnow
    from app.quizzes.models import Choice, Question, Quiz

    app = create_app()
    logging.getLogger().setLevel(logging.WARNING)  # one line per token would drown the report
    now = utcnow()
    with app.app_context():
        s = db.session
        org = s.scalar(sa.select(Organisation).where(Organisation.slug == "trondheim"))
        people = [User(organisation_id=org.id, email=f"soak{i}@trondheim.example",
                       name=f"Soak Person {i}", employee_number=f"S{i:05d}")
                  for i in range(SOAK_PEOPLE)]
        organiser = User(organisation_id=org.id, email="soak-arrangor@trondheim.example",
                         name="Soak Arrangør")
        s.add_all([*people, organiser])
        s.flush()
        s.add(RoleAssignment(user_id=organiser.id, role="organiser", organisation_id=org.id))
        course = Course(organisation_id=org.id, slug="soak-kurs", title="Soak-kurs",
                        status="published", completion_requires_quiz=True, validity_months=24)
        offering = Offering(course=course, organisation_id=org.id, title="Soak",
                            status="published", capacity=SEATS,
                            starts_at=now + timedelta(days=30))
        offering.sessions.append(CourseSession(title="Økt", starts_at=now + timedelta(days=30),
                                               ends_at=now + timedelta(days=30, hours=3)))
        seminar = Course(organisation_id=org.id, slug="soak-samling", title="Soak-samling",
                         kind="seminar", status="published",
                         completion_requires_attendance=True, validity_months=24)
        gathering = Offering(course=seminar, organisation_id=org.id, title="Soak",
                             status="published", starts_at=now - timedelta(hours=2),
                             taken=SOAK_PEOPLE)
        gathering.sessions.append(CourseSession(title="Dag", starts_at=now - timedelta(hours=2),
                                                ends_at=now - timedelta(hours=1)))
        s.add_all([offering, gathering])
        s.flush()
        s.add_all([Enrolment(offering_id=gathering.id, user_id=p.id, status="enrolled")
                   for p in people])
        quiz = Quiz(course=course, title="Soak-prøve", pass_percent=50, attempts_allowed=None,
                    paging="all")
        s.add(quiz)
        s.flush()
        for i in range(3):
            q = Question(quiz_id=quiz.id, position=i + 1, kind="single", prompt=f"Spørsmål {i}",
                         points=1)
            s.add(q)
            s.flush()
            s.add_all([Choice(question_id=q.id, position=j + 1, text=f"Svar {j}",
                              correct=j == 0) for j in range(3)])
        tokens = [create_token(s, user=p, name="soak", actor=p, now=now)[1] for p in people]
        organiser_token = create_token(s, user=organiser, name="soak", actor=organiser,
                                       now=now)[1]
        s.commit()
        setup = {"tokens": dict(zip([p.id for p in people], tokens, strict=True)),
                 "organiser": organiser_token, "offering": offering.id, "quiz": quiz.id,
                 "session": gathering.sessions[0].id, "course": course.id}
        db.engine.dispose()
    return setup


class Traffic:
    """What the connections did: counts per (kind, status), latencies, server errors."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.latency: list[float] = []
        self.errors: list[str] = []
        self.submits = 0
        self.enrolments: dict[int, int] = {}

    def record(self, kind: str, response: requests.Response | None, started: float,
               error: str | None = None) -> None:
        elapsed = time.perf_counter() - started
        with self.lock:
            if response is None:
                self.counts[(kind, "error")] += 1
                self.errors.append(f"{kind}: {error}")
                return
            self.counts[(kind, response.status_code)] += 1
            self.latency.append(elapsed)
            if response.status_code >= 500:
                self.errors.append(f"{kind}: {response.status_code} {response.url}")


def connection(base: str, setup: dict, cookie: str, traffic: Traffic, deadline: float,
               seed: int) -> None:
    rng = random.Random(seed)
    http = requests.Session()
    people = list(setup["tokens"])

    def call(kind, method, path, token=None, **kw):
        headers = {"Authorization": f"Bearer {token}"} if token else {"Cookie": cookie}
        started = time.perf_counter()
        try:
            response = http.request(method, base + path, headers=headers, timeout=60, **kw)
        except requests.RequestException as error:
            traffic.record(kind, None, started, repr(error))
            return None
        traffic.record(kind, response, started)
        return response

    while time.monotonic() < deadline:
        action = rng.choices(["browse", "enrol", "cancel", "attendance", "quiz"],
                             weights=[40, 20, 15, 10, 15])[0]
        person = rng.choice(people)
        token = setup["tokens"][person]
        if action == "browse":
            path = rng.choice(["/", "/kurs", "/kurs/soak-kurs", "/kurs/it-i-hverdagen",
                               "/personvern"])
            call("browse", "GET", path)
        elif action == "enrol":
            r = call("enrol", "POST", f"/api/v1/offerings/{setup['offering']}/enrolments",
                     token, json={})
            if r is not None and r.status_code == 201:
                with traffic.lock:
                    traffic.enrolments[person] = r.json()["id"]
        elif action == "cancel":
            with traffic.lock:
                enrolment = traffic.enrolments.get(person)
            if enrolment:
                call("cancel", "DELETE", f"/api/v1/enrolments/{enrolment}", token)
        elif action == "attendance":
            marked = rng.sample(people, 20)
            body = [{"user_id": u, "status": rng.choice(["present", "present", "late",
                                                         "absent", "excused"])}
                    for u in marked]
            call("attendance", "PUT", f"/api/v1/sessions/{setup['session']}/attendance",
                 setup["organiser"], json=body)
        else:
            r = call("quiz", "POST", f"/api/v1/quizzes/{setup['quiz']}/attempts", token)
            if r is None or r.status_code != 201:
                continue
            attempt = r.json()
            answers = {str(q["id"]): {"choice": rng.choice(q["choices"])["id"]}
                       for q in attempt["questions"]}
            r = call("submit", "POST", f"/api/v1/attempts/{attempt['id']}/submit", token,
                     json={"answers": answers, "sequence": attempt["sequence"]})
            if r is not None and r.status_code == 200:
                with traffic.lock:
                    traffic.submits += 1


def worker_rss_mb(master: subprocess.Popen) -> list[float]:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    sizes = []
    for pid in children.read_text().split() if children.exists() else []:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
    return sizes


def login_cookie(base: str) -> str:
    http = requests.Session()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      http.get(base + "/login").text).group(1)
    r = http.post(base + "/login", data={"csrf_token": token, "email": LEADER,
                                         "password": PASSWORD, "next": ""},
                  allow_redirects=False)
    if r.status_code != 302:
        raise RuntimeError("login failed")
    return f"kurs_session={http.cookies['kurs_session']}"


INVARIANTS = {
    "offerings over capacity": "SELECT count(*) FROM offering WHERE capacity IS NOT NULL "
                               "AND taken > capacity",
    "offerings whose taken differs from their enrolled rows": """
        SELECT count(*) FROM offering o WHERE o.taken <> (SELECT count(*) FROM enrolment e
        WHERE e.offering_id = o.id AND e.status = 'enrolled')
        AND o.id = :offering""",
    "people waitlisted while a seat is free": """
        SELECT count(*) FROM offering o WHERE o.id = :offering AND o.taken < o.capacity
        AND EXISTS (SELECT 1 FROM enrolment e WHERE e.offering_id = o.id
                    AND e.status = 'waitlisted')""",
    "completions with more than one valid certificate": """
        SELECT count(*) FROM (SELECT completion_id FROM certificate WHERE revoked_at IS NULL
        GROUP BY completion_id HAVING count(*) > 1) x""",
    "completions without a certificate": """
        SELECT count(*) FROM completion c WHERE c.course_id = :course AND NOT EXISTS
        (SELECT 1 FROM certificate k WHERE k.completion_id = c.id)""",
    "people with two completions of one course in force": """
        SELECT count(*) FROM (SELECT user_id, course_id FROM completion
        WHERE course_id = :course GROUP BY user_id, course_id HAVING count(*) > 1) x""",
    "people with more than one open attempt": """
        SELECT count(*) FROM (SELECT quiz_id, user_id FROM quiz_attempt
        WHERE status = 'in_progress' GROUP BY quiz_id, user_id HAVING count(*) > 1) x""",
    "gaps in attempt numbers": """
        SELECT count(*) FROM (SELECT quiz_id, user_id FROM quiz_attempt GROUP BY quiz_id,
        user_id HAVING max(number) <> count(*)) x""",
}


def check_invariants(url: str, setup: dict, submits: int) -> tuple[dict[str, int], dict]:
    engine = sa.create_engine(url)
    params = {"offering": setup["offering"], "course": setup["course"]}
    with engine.connect() as conn:
        broken = {name: conn.execute(sa.text(sql), {k: v for k, v in params.items()
                                                     if f":{k}" in sql}).scalar_one()
                  for name, sql in INVARIANTS.items()}
        graded = conn.execute(sa.text(
            "SELECT count(*) FROM quiz_attempt WHERE quiz_id = :q AND status = 'graded'"),
            {"q": setup["quiz"]}).scalar_one()
        figures = dict(conn.execute(sa.text("""
            SELECT 'enrolled', count(*) FROM enrolment WHERE offering_id = :o
                AND status = 'enrolled'
            UNION ALL SELECT 'waitlisted', count(*) FROM enrolment WHERE offering_id = :o
                AND status = 'waitlisted'
            UNION ALL SELECT 'attendance rows', count(*) FROM attendance WHERE session_id = :s
            UNION ALL SELECT 'completions', count(*) FROM completion
            UNION ALL SELECT 'certificates', count(*) FROM certificate
            UNION ALL SELECT 'graded attempts', count(*) FROM quiz_attempt
                WHERE status = 'graded'"""),
            {"o": setup["offering"], "s": setup["session"]}).all())
    engine.dispose()
    broken["graded attempts minus accepted submits"] = abs(graded - submits)
    return broken, figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kurs-soak-"))
    try:
        url, drop = create_database(os.environ.get("KURS_SOAK_POSTGRES_URL", DEFAULT_PG))
    except sa.exc.OperationalError as error:
        print(f"soak skipped: no PostgreSQL ({error.orig})")
        return 0
    env = {**os.environ, "DATABASE_URL": url, "KURS_STORAGE_DIR": str(work / "storage"),
           "SECRET_KEY": "soak-only-key", "FLASK_APP": "app:create_app",
           "KURS_ENV": "development", "KURS_LOGIN_MAX_FAILURES_PER_ADDRESS": "100000"}
    processes: list[subprocess.Popen] = []
    try:
        print(f"database {sa.make_url(url).database}, files in {work}", flush=True)
        flask(env, "db", "upgrade")
        flask(env, "demo", "load")
        setup = prepare(env)
        port = free_port()
        log = work / "gunicorn.log"
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", str(args.workers), "-k", "sync", "-b",
             f"127.0.0.1:{port}", "--timeout", "120", "bench.wsgi:app"],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        processes.append(server)
        jobs_log = work / "jobs.log"
        processes.append(subprocess.Popen([str(BIN / "flask"), "jobs", "run"], cwd=ROOT,
                                          env=env, stdout=jobs_log.open("w"),
                                          stderr=subprocess.STDOUT))
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                requests.get(base + "/health", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        cookie = login_cookie(base)
        traffic = Traffic()
        started = time.monotonic()
        deadline = started + args.minutes * 60
        threads = [threading.Thread(target=connection, daemon=True,
                                    args=(base, setup, cookie, traffic, deadline, i))
                   for i in range(args.connections)]
        for t in threads:
            t.start()
        rss_samples: list[tuple[float, list[float]]] = []
        time.sleep(min(15, args.minutes * 60 / 4))  # warm-up: every worker has served
        rss_samples.append((time.monotonic() - started, worker_rss_mb(server)))
        while any(t.is_alive() for t in threads):
            time.sleep(1)
            if time.monotonic() - started >= 60 * len(rss_samples):
                rss_samples.append((time.monotonic() - started, worker_rss_mb(server)))
                done = sum(traffic.counts.values())
                print(f"  {int(time.monotonic() - started):>4} s  {done} requests  "
                      f"errors {len(traffic.errors)}  RSS "
                      f"{', '.join(f'{x:.0f}' for x in rss_samples[-1][1])} MB", flush=True)
        elapsed = time.monotonic() - started
        rss_samples.append((elapsed, worker_rss_mb(server)))
        # Let the job runner finish the certificates the last attendance marks queued.
        subprocess.run([str(BIN / "flask"), "jobs", "run", "--once"], cwd=ROOT, env=env,
                       capture_output=True, check=False)
        flask(env, "jobs", "run", "--once")
        tracebacks = log.read_text().count("Traceback")
        broken, figures = check_invariants(url, setup, traffic.submits)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        drop()

    total = sum(traffic.counts.values())
    print(f"\nsoak: {args.minutes:g} min, {args.connections} connections, gunicorn -w "
          f"{args.workers} -k sync on PostgreSQL; {total} requests in {elapsed:.0f} s "
          f"({total / elapsed:.1f} req/s)")
    lat = sorted(traffic.latency)
    if lat:
        print(f"latency p50 {statistics.median(lat) * 1000:.0f} ms, "
              f"p99 {lat[int(len(lat) * 0.99) - 1] * 1000:.0f} ms")
    for (kind, status), n in sorted(traffic.counts.items(), key=lambda x: (x[0][0],
                                                                            str(x[0][1]))):
        print(f"  {kind:<11} {status!s:>5} {n:>7}")
    server_errors = len(traffic.errors) + tracebacks
    print(f"server errors: {server_errors} (5xx or connection errors {len(traffic.errors)}, "
          f"tracebacks in the log {tracebacks})")
    for line in traffic.errors[:10]:
        print(f"  {line}")
    print(f"accepted submits {traffic.submits}; " + ", ".join(
        f"{k} {v}" for k, v in figures.items()))
    print("invariants:")
    for name, count in broken.items():
        print(f"  {'ok  ' if count == 0 else 'BROKEN'} {name}: {count}")
    for at, sizes in (rss_samples[0], rss_samples[-1]):
        print(f"worker RSS at {at:>5.0f} s: {', '.join(f'{x:.0f}' for x in sizes)} MB")
    growth = [b - a for a, b in zip(rss_samples[0][1], rss_samples[-1][1], strict=False)]
    print(f"RSS growth per worker from the first to the last sample: "
          f"{', '.join(f'{g:+.1f}' for g in growth)} MB")
    return 1 if server_errors or any(broken.values()) else 0


if __name__ == "__main__":
    sys.exit(main())

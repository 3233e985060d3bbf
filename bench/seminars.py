"""Seminar benchmarks (design.md §9):

- H2: the attendance grid of a session with 200 people, and the seminar's programme page,
  each against a bare Flask "hello" served by the same gunicorn settings in the same run
  (target: ≥ 0.12 × hello's req/s, p99 ≤ 10 × hello's p99);
- W2: attendance writes (one person per PUT through the API, alternating status so that every
  request writes), target ≥ 0.08 × hello;
- P3: the sign-in sheet PDF for 200 people beside the floor, a bare one-string reportlab page
  (reported, no target).

Run with ``make bench`` (or ``python -m bench``); ``ROUNDS`` and ``DURATION`` tune it.
``KURS_BENCH_POSTGRES_URL`` (a server URL) also runs the pages on PostgreSQL (H3: ≥ 0.6 × the
SQLite throughput).
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import sqlalchemy as sa
from reportlab.pdfgen import canvas

from bench.harness import Series, gunicorn, timed, wrk

PEOPLE = 200
SECRET = "bench-secret-not-for-production"  # noqa: S105


def prepare(database_url: str) -> dict:
    """The demo plus a gathering with 200 people on its list, half of them marked.
    Returns what the load needs: URLs, the organiser's cookie, an API token, user ids."""
    from app import create_app
    from app.accounts.models import User
    from app.accounts.services import create_token
    from app.demo.services import load_demo
    from app.extensions import db
    from app.orm import utcnow
    from app.seminars import services
    from app.seminars.models import AttendanceStatus
    from config import DevelopmentConfig
    from tests.seminars.builders import enrol, make_seminar

    config = type("BenchConfig", (DevelopmentConfig,),
                  {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET})
    app = create_app(config)
    with app.app_context():
        db.create_all()
        load_demo(db.session)
        organiser = db.session.scalar(
            sa.select(User).where(User.email == "arrangor@trondheim.example"))
        offering = make_seminar(db.session, org=organiser.organisation, sessions=4,
                                title="Benchmarksamling")
        people = db.session.scalars(
            sa.select(User).where(User.organisation_id == organiser.organisation_id)
            .order_by(User.id).limit(PEOPLE)).all()
        for person in people:
            enrol(db.session, offering, person)
        grid_session = offering.sessions[0]
        services.bulk_set(db.session, actor=organiser, course_session=grid_session,
                          items=[(p.id, AttendanceStatus.PRESENT) for p in people[::2]],
                          now=utcnow())
        _token, raw = create_token(db.session, user=organiser, name="bench", actor=organiser,
                                   now=utcnow())
        db.session.commit()
        client = app.test_client()
        with client.session_transaction() as cookie:
            cookie["_user_id"] = organiser.get_id()
            cookie["_fresh"] = True
        session_cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
        result = {
            "grid": f"/samlinger/okter/{grid_session.id}/oppmote",
            "programme": f"/samlinger/{offering.id}",
            "write": f"/api/v1/sessions/{offering.sessions[1].id}/attendance",
            "cookie": f"{app.config['SESSION_COOKIE_NAME']}={session_cookie}",
            "token": raw,
            "user_ids": [p.id for p in people],
            "app": app,
            "session_id": grid_session.id,
        }
        db.session.remove()
        db.engine.dispose()
    return result


def write_script(token: str, user_ids: list[int]) -> str:
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


def measure_http(database_url: str, data: dict, rounds: int, duration: str) -> dict[str, Series]:
    env = {"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "KURS_ENV": "development"}
    series = {name: Series(name)
              for name in ("hello", "health", "layout", "layout_in", "grid", "programme",
                           "write")}
    with gunicorn("bench.wsgi:hello_app", env) as hello, gunicorn("bench.wsgi:app", env) as app:
        for _ in range(rounds):
            series["hello"].loads.append(wrk(hello + "/hello", duration=duration))
            # References: one query (/health) and the shared page layout alone (/personvern),
            # anonymous and logged in: the floor every logged-in page of the app starts from.
            series["health"].loads.append(wrk(app + "/health", duration=duration))
            series["layout"].loads.append(wrk(app + "/personvern", duration=duration))
            series["layout_in"].loads.append(wrk(app + "/personvern", duration=duration,
                                                 headers={"Cookie": data["cookie"]}))
            for page in ("grid", "programme"):
                series[page].loads.append(wrk(app + data[page], duration=duration,
                                              headers={"Cookie": data["cookie"]}))
            series["write"].loads.append(wrk(app + data["write"], duration=duration,
                                             script=write_script(data["token"],
                                                                 data["user_ids"])))
    return series


def measure_pdf(data: dict, repeat: int = 15) -> tuple[float, float]:
    """(sign-in sheet for 200, bare one-string page) in milliseconds, medians."""
    from app.enrolment.models import CourseSession
    from app.extensions import db
    from app.seminars.documents import signin_sheet_pdf

    app = data["app"]

    def floor():
        buffer = io.BytesIO()
        page = canvas.Canvas(buffer)
        page.drawString(100, 750, "Hello, World!")
        page.save()
        return buffer.getvalue()

    with app.test_request_context():
        course_session = db.session.get(CourseSession, data["session_id"])
        sheet = timed(lambda: signin_sheet_pdf(db.session, course_session), repeat)
        bare = timed(floor, repeat)
        db.session.remove()
    return sheet, bare


def report(label: str, series: dict[str, Series]) -> dict[str, float]:
    hello = series["hello"]
    print(f"\n{label}: medians of {len(hello.loads)} interleaved rounds, gunicorn -w 2 -k sync, "
          "wrk -t2 -c32")
    print(f"{'endpoint':<34}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'× hello':>9}"
          f"{'p99 × hello':>13}{'errors':>8}  target")
    targets = {"grid": ("H2", 0.12), "programme": ("H2", 0.12), "write": ("W2", 0.08)}
    names = {"hello": "bare Flask hello", "health": "ref: /health (one query)",
             "layout": "ref: /personvern (layout only)",
             "layout_in": "ref: /personvern, logged in",
             "grid": f"attendance grid ({PEOPLE} people)",
             "programme": "seminar programme page", "write": "attendance write (PUT)"}
    ratios = {}
    for key, s in series.items():
        ratio = s.median("rps") / hello.median("rps")
        p99 = s.median("p99_ms") / hello.median("p99_ms")
        errors = sum(load.errors for load in s.loads)
        ratios[key] = ratio
        verdict = ""
        if key in targets:
            name, floor = targets[key]
            ok = ratio >= floor and (key == "write" or p99 <= 10) and errors == 0
            verdict = f"{name} ≥ {floor}{' & p99 ≤ 10×' if key != 'write' else ''}: " + (
                "met" if ok else "NOT MET")
        print(f"{names[key]:<34}{s.median('rps'):>9.0f}{s.median('p50_ms'):>9.1f}"
              f"{s.median('p99_ms'):>9.1f}{ratio:>9.2f}{p99:>13.1f}{errors:>8}  {verdict}")
    return {key: series[key].median("rps") for key in series}


def main() -> None:
    rounds = int(os.environ.get("ROUNDS", "3"))
    duration = os.environ.get("DURATION", "6s")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        data = prepare(url)
        sheet, bare = measure_pdf(data)
        print(f"P3 sign-in sheet PDF, {PEOPLE} people: {sheet:.1f} ms; bare one-string "
              f"reportlab page: {bare:.2f} ms; ratio {sheet / bare:.0f}× (reported, no target)")
        sqlite = report("SQLite", measure_http(url, data, rounds, duration))
    pg_server = os.environ.get("KURS_BENCH_POSTGRES_URL")
    if pg_server:
        from tests.conftest import throwaway_postgres_database

        with throwaway_postgres_database(pg_server, "bench") as url:
            data = prepare(url)
            postgres = report("PostgreSQL", measure_http(url, data, rounds, duration))
        for key in ("grid", "programme"):
            print(f"H3 {key} on PostgreSQL: {postgres[key] / sqlite[key]:.2f} × its SQLite "
                  "throughput (target ≥ 0.6)")


if __name__ == "__main__":
    main()

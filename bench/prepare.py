"""The benchmark's data: ``flask db upgrade``, ``flask demo load`` and ``flask demo scale``
as subprocesses (S1 times the last one, M1 takes its peak RSS), then what the loads need
on top: a gathering of 200 people, offerings for the enrolment writes and races, an API
token for the organiser."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from bench.harness import ROOT, VENV_BIN

PEOPLE = 200
#: Offerings for the enrolment writes: one per wrk run, so that nobody enrols twice.
WRITE_OFFERINGS = 16
WRITE_CAPACITY = 500
#: The race of design.md §9 W1: 50 people for 10 seats, 20 times.
RACE_RUNS = 20
RACE_SEATS = 10
SECRET = "bench-secret-not-for-production"  # noqa: S105


def environment(database_url: str, work: Path) -> dict[str, str]:
    return {"DATABASE_URL": database_url, "KURS_STORAGE_DIR": str(work / "storage"),
            "SECRET_KEY": SECRET, "FLASK_APP": "app:create_app", "KURS_ENV": "development",
            "KURS_LOGIN_MAX_FAILURES_PER_ADDRESS": "100000", "PYTHONPATH": str(ROOT)}


@dataclass
class Timed:
    seconds: float
    peak_rss_mb: float
    output: str


def flask(env: dict, *args: str) -> Timed:
    """Run ``flask …`` and measure its wall time and peak resident memory (GNU time)."""
    started = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "peak-kb %M", str(VENV_BIN / "flask"),
                             *args], cwd=ROOT, env={**os.environ, **env},
                            capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    peak = [line for line in result.stderr.splitlines() if line.startswith("peak-kb ")]
    return Timed(seconds, int(peak[-1].split()[1]) / 1024 if peak else 0.0,
                 result.stdout.strip())


def build(env: dict, employees: int) -> Timed:
    """A fresh database with the demo and ``employees`` synthetic employees; returns the
    scale step's time and peak memory."""
    flask(env, "db", "upgrade")
    flask(env, "demo", "load")
    return flask(env, "demo", "scale", "--employees", str(employees))


@dataclass
class Fixture:
    grid: str = ""
    programme: str = ""
    attendance_write: str = ""
    enrol_urls: list[str] = field(default_factory=list)
    race_offerings: list[int] = field(default_factory=list)
    token: str = ""
    user_ids: list[int] = field(default_factory=list)
    people_ids: list[int] = field(default_factory=list)
    session_id: int = 0


def prepare(database_url: str, work: Path) -> Fixture:
    """What the loads need, added in-process to the built database."""
    from app import create_app
    from app.accounts.models import User
    from app.accounts.services import create_token
    from app.catalogue.models import Course
    from app.enrolment.models import Offering
    from app.extensions import db
    from app.orm import utcnow
    from app.seminars import services
    from app.seminars.models import AttendanceStatus
    from tests.seminars.builders import enrol, make_seminar

    app = create_app(bench_config(database_url, work))
    fixture = Fixture()
    with app.app_context():
        session = db.session
        organiser = session.scalar(
            sa.select(User).where(User.email == "arrangor@trondheim.example"))
        org = organiser.organisation
        offering = make_seminar(session, org=org, sessions=4, title="Benchmarksamling")
        people = session.scalars(
            sa.select(User).where(User.organisation_id == org.id, User.active.is_(True),
                                  User.is_service_account.is_(False))
            .order_by(User.id).limit(PEOPLE)).all()
        for person in people:
            enrol(session, offering, person)
        grid_session = offering.sessions[0]
        services.bulk_set(session, actor=organiser, course_session=grid_session,
                          items=[(p.id, AttendanceStatus.PRESENT) for p in people[::2]],
                          now=utcnow())
        _token, fixture.token = create_token(session, user=organiser, name="bench",
                                             actor=organiser, now=utcnow())
        course = session.scalar(sa.select(Course).where(Course.slug == "it-i-hverdagen"))
        now = utcnow()

        def new_offering(title: str, capacity: int) -> int:
            item = Offering(course_id=course.id, organisation_id=org.id, title=title,
                            status="published", capacity=capacity,
                            starts_at=now + timedelta(days=60),
                            ends_at=now + timedelta(days=60, hours=6),
                            enrol_opens_at=now - timedelta(days=1))
            session.add(item)
            session.flush()
            return item.id

        writes = [new_offering(f"Benchmark {i}", WRITE_CAPACITY) for i in range(WRITE_OFFERINGS)]
        fixture.race_offerings = [new_offering(f"Kappløp {i}", RACE_SEATS)
                                  for i in range(RACE_RUNS)]
        fixture.user_ids = list(session.scalars(
            sa.select(User.id).where(User.organisation_id == org.id, User.active.is_(True),
                                     User.is_service_account.is_(False))
            .order_by(User.id)))
        fixture.people_ids = [p.id for p in people]
        fixture.grid = f"/samlinger/okter/{grid_session.id}/oppmote"
        fixture.programme = f"/samlinger/{offering.id}"
        fixture.attendance_write = f"/api/v1/sessions/{offering.sessions[1].id}/attendance"
        fixture.enrol_urls = [f"/api/v1/offerings/{i}/enrolments" for i in writes]
        fixture.session_id = grid_session.id
        session.commit()
        session.remove()
        db.engine.dispose()
    return fixture


def bench_config(url: str, work: Path):
    """The app's settings for an in-process look at the bench database."""
    from config import DevelopmentConfig

    return type("BenchConfig", (DevelopmentConfig,), {
        "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET,
        "KURS_STORAGE_DIR": str(work / "storage"), "LOGIN_MAX_FAILURES_PER_ADDRESS": 100000})


def capacity_held(database_url: str, offering_urls: list[str]) -> tuple[bool, str]:
    """Every offering the writes hit: ``taken`` equals its enrolled rows and stays within
    capacity."""
    ids = [int(url.rstrip("/").split("/")[-2]) for url in offering_urls]
    engine = sa.create_engine(database_url)
    bad, total = [], 0
    with engine.connect() as connection:
        for offering_id in ids:
            capacity, taken = connection.execute(sa.text(
                "SELECT capacity, taken FROM offering WHERE id = :id"), {"id": offering_id}).one()
            enrolled = connection.execute(sa.text(
                "SELECT count(*) FROM enrolment WHERE offering_id = :id AND status = 'enrolled'"),
                {"id": offering_id}).scalar()
            total += connection.execute(sa.text(
                "SELECT count(*) FROM enrolment WHERE offering_id = :id"),
                {"id": offering_id}).scalar()
            if taken != enrolled or taken > capacity:
                bad.append(f"offering {offering_id}: taken {taken}, enrolled {enrolled}, "
                           f"capacity {capacity}")
    engine.dispose()
    return not bad, "; ".join(bad) or f"{total} enrolments, every seat count exact"

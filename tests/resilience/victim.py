"""A process that does one long piece of work against a real database, for the kill tests.

    python -m tests.resilience.victim URL STORAGE seed
    python -m tests.resilience.victim URL STORAGE import|attendance|certificates \
        [--pause-after N --marker FILE]

With ``--pause-after N`` the process writes FILE after the work's N-th writing SQL
statement (INSERT, UPDATE or DELETE; its transaction open, nothing committed) and waits
there to be killed with SIGKILL.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from app import create_app
from app.extensions import db
from config import TestConfig

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 200
CERTIFIED = 60


def make_app(url: str, storage: str):
    config = type("VictimConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": url, "KURS_STORAGE_DIR": storage,
        "KURS_BASE_URL": "http://kurs.test"})
    return create_app(config)


def seed() -> None:
    from app.accounts.models import Organisation, RoleAssignment, User
    from app.catalogue.models import Course
    from app.enrolment.models import CourseSession, Enrolment, Offering
    from app.orm import utcnow
    from app.seminars.models import Attendance

    db.create_all()
    now = utcnow()
    org = Organisation(slug="trondheim", name="Trondheim kommune", kind="municipality")
    db.session.add(org)
    db.session.flush()
    organiser = User(organisation_id=org.id, email="arrangor@kurs.test", name="Ola Arrangør")
    db.session.add(organiser)
    db.session.flush()
    db.session.add(RoleAssignment(user_id=organiser.id, role="organiser",
                                  organisation_id=org.id))
    people = [{"organisation_id": org.id, "email": f"p{i}@kurs.test", "name": f"Person {i}",
               "employee_number": f"K{i:05d}"} for i in range(PEOPLE)]
    db.session.execute(sa.insert(User), people)
    ids = db.session.scalars(sa.select(User.id).where(User.email.like("p%@kurs.test"))
                             .order_by(User.id)).all()
    # A gathering whose attendance is marked in bulk, and a course whose participants
    # have attended and get their certificates in one batch.
    for slug, requires in (("samling", False), ("it-kurs", True)):
        course = Course(organisation_id=org.id, slug=slug, title=f"Kurs {slug}",
                        status="published", kind="seminar" if slug == "samling" else "course",
                        completion_requires_attendance=requires, validity_months=36)
        start = now - timedelta(days=1)
        offering = Offering(course=course, organisation_id=org.id, title="Høst",
                            status="published", starts_at=start, taken=PEOPLE)
        offering.sessions.append(CourseSession(title="Dag 1", starts_at=start,
                                               ends_at=start + timedelta(hours=6)))
        db.session.add(offering)
        db.session.flush()
        db.session.execute(sa.insert(Enrolment), [
            {"offering_id": offering.id, "user_id": uid, "status": "enrolled"} for uid in ids])
        if requires:
            db.session.execute(sa.insert(Attendance), [
                {"session_id": offering.sessions[0].id, "user_id": uid, "status": "present"}
                for uid in ids[:CERTIFIED]])
    db.session.commit()


def work(operation: str) -> None:
    from app.accounts.models import User
    from app.catalogue.models import Course
    from app.certificates.services import check_completions
    from app.certificates.settings import current_settings
    from app.enrolment.models import CourseSession, Offering
    from app.orm import utcnow
    from app.seminars.services import bulk_set
    from app.sharing.services import import_path
    from app.sharing.storage import current_store

    now = utcnow()
    if operation == "import":
        import_path(db.session, path=ROOT / "kurs" / "it-i-hverdagen", store=current_store(),
                    now=now)
    elif operation == "attendance":
        course_session = db.session.scalar(
            sa.select(CourseSession).join(Offering).join(Course)
            .where(Course.slug == "samling"))
        organiser = db.session.scalar(sa.select(User).where(User.email == "arrangor@kurs.test"))
        people = db.session.scalars(sa.select(User.id).where(User.email.like("p%@kurs.test"))
                                    .order_by(User.id)).all()
        bulk_set(db.session, actor=organiser, course_session=course_session,
                 items=[(uid, "present") for uid in people], now=now)
    elif operation == "certificates":
        course = db.session.scalar(sa.select(Course).where(Course.slug == "it-kurs"))
        people = db.session.scalars(sa.select(User.id).where(User.email.like("p%@kurs.test"))
                                    .order_by(User.id)).all()
        check_completions(db.session, course=course, user_ids=people, now=now,
                          source="attendance", settings=current_settings())
    else:
        raise SystemExit(f"unknown operation {operation}")
    db.session.commit()


def pause_after(count: int, marker: Path) -> None:
    seen = [0]

    def hook(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            return
        seen[0] += 1
        if seen[0] == count:
            # Written beside it and renamed: the test polls for the marker and reads it at
            # once, and must never find it created but still empty.
            partial = marker.with_suffix(".partial")
            partial.write_text(statement[:200])
            partial.replace(marker)
            time.sleep(120)  # killed here, in the middle of the transaction

    sa.event.listen(db.engine, "after_cursor_execute", hook)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("storage")
    parser.add_argument("operation")
    parser.add_argument("--pause-after", type=int)
    parser.add_argument("--marker", type=Path)
    args = parser.parse_args(argv)
    app = make_app(args.url, args.storage)
    with app.test_request_context():
        if args.operation == "seed":
            seed()
            return
        if args.pause_after:
            pause_after(args.pause_after, args.marker)
        work(args.operation)
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

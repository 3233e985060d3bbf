"""An admin anonymises a leaver: name, address, employee number and free text are gone,
statistics and certificate counts stay, and the certificate check says "anonymised"."""

from __future__ import annotations

import json
import os

import sqlalchemy as sa

from app.accounts.models import User
from app.certificates.models import Certificate, Completion
from app.enrolment.models import Enrolment
from app.evaluation.models import Evaluation
from app.orm import utcnow
from app.privacy.anonymise import anonymise_person
from app.quizzes.models import Attempt
from app.seminars.models import Attendance
from tests.factories import make_user
from tests.privacy.builders import EMPLOYEE_NO, build_world


def dump_database(session) -> list[tuple[str, str, str]]:
    """Every value of every column of every table in the database (read back with SELECT,
    as pg_dump would write it), as (table, column, text)."""
    connection = session.connection()
    out = []
    for table_name in sa.inspect(connection).get_table_names():
        table = sa.Table(table_name, sa.MetaData(), autoload_with=connection)
        for record in connection.execute(sa.select(table)).mappings():
            for column, value in record.items():
                if value is None:
                    continue
                if isinstance(value, dict | list):
                    text = json.dumps(value, ensure_ascii=False) + json.dumps(value)
                elif isinstance(value, bytes | memoryview):
                    text = bytes(value).decode("utf-8", "replace")
                else:
                    text = str(value)
                out.append((table_name, column, text))
    return out


def traces(session, needles) -> list[tuple[str, str, str]]:
    lowered = [n.lower() for n in needles]
    return [(t, c, v) for t, c, v in dump_database(session)
            if any(n in v.lower() for n in lowered)]


def figures(session, user_id: int) -> dict:
    def count(model, *where):
        return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))

    return {
        "completions": count(Completion, Completion.user_id == user_id),
        "certificates": count(Certificate, Certificate.completion_id.in_(
            sa.select(Completion.id).where(Completion.user_id == user_id))),
        "attendance": count(Attendance, Attendance.user_id == user_id),
        "enrolments": count(Enrolment, Enrolment.user_id == user_id),
        "attempts": count(Attempt, Attempt.user_id == user_id, Attempt.passed.is_(True)),
        "evaluations": count(Evaluation, Evaluation.relevance == 5),
    }


def test_the_dump_finds_the_person_before_anonymisation(app, session):
    world = build_world(app, session)
    found = {(t, c) for t, c, _ in traces(session, world.needles)}
    # The test world really spreads her across the database (so the next test means it).
    assert {("user_account", "name"), ("registration_answer", "free_text"),
            ("outbox_email", "body_text"), ("audit_event", "detail"),
            ("access_log", "filters"), ("certificate", "person_name"),
            ("evaluation", "comment"), ("quiz_answer", "response"),
            ("login_attempt", "email"), ("it_project", "contact_email")} <= found


def test_after_anonymisation_no_table_holds_her_name_address_or_number(app, session):
    world = build_world(app, session)
    before = figures(session, world.leaver.id)
    pdf = app.config["KURS_STORAGE_DIR"] + "/" + world.certificate.pdf_path
    changed = anonymise_person(session, actor=world.admin, user=world.leaver, now=utcnow(),
                               storage_dir=app.config["KURS_STORAGE_DIR"])
    session.flush()
    session.expire_all()
    assert changed is True
    assert traces(session, world.needles) == []
    assert figures(session, world.leaver.id) == before
    leaver = session.get(User, world.leaver.id)
    assert leaver.name == "Anonymisert" and leaver.anonymised_at is not None
    assert not leaver.active and leaver.password_hash is None and leaver.roles == []
    assert not os.path.exists(pdf)
    # A second run changes nothing.
    assert anonymise_person(session, actor=world.admin, user=leaver, now=utcnow(),
                            storage_dir=app.config["KURS_STORAGE_DIR"]) is False


def test_the_admin_anonymises_from_the_person_page_with_confirmation(app, client, session,
                                                                      login_as, web):
    world = build_world(app, session)
    login_as(world.admin)
    url = f"/admin/personer/{world.leaver.id}"
    page = client.get(url).get_data(as_text=True)
    assert f'action="{url}/anonymiser"' in page
    # Without the confirmation box nothing happens.
    response = web.post(f"{url}/anonymiser", {}, page=url)
    assert response.status_code == 302
    session.expire_all()
    assert session.get(User, world.leaver.id).anonymised_at is None
    # Without a CSRF token: refused.
    assert client.post(f"{url}/anonymiser", data={"confirm": "yes"}).status_code == 400
    response = web.post(f"{url}/anonymiser", {"confirm": "yes"}, page=url,
                        follow_redirects=True)
    assert response.status_code == 200
    assert "Personen er anonymisert" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, world.leaver.id).anonymised_at is not None
    assert traces(session, world.needles) == []


def test_an_admin_of_another_organisation_cannot_anonymise(app, client, session, login_as,
                                                           web):
    world = build_world(app, session)
    login_as(make_user(session, roles=["admin"]))
    url = f"/admin/personer/{world.leaver.id}/anonymiser"
    assert web.post(url, {"confirm": "yes"}).status_code == 404
    assert login_as(world.hr) and web.post(url, {"confirm": "yes"}).status_code == 403
    session.expire_all()
    assert session.get(User, world.leaver.id).anonymised_at is None


def test_the_certificate_check_says_anonymised(app, client, session):
    world = build_world(app, session)
    anonymise_person(session, actor=world.admin, user=world.leaver, now=utcnow(),
                     storage_dir=app.config["KURS_STORAGE_DIR"])
    session.flush()
    page = client.get(f"/verify/{world.certificate.code}").get_data(as_text=True)
    assert "anonymisert" in page and "Gyldig" in page
    assert "Østgård" not in page
    english = client.get(f"/verify/{world.certificate.code}",
                         headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "anonymised" in english


def test_the_command_anonymises_by_employee_number(app, runner, session):
    world = build_world(app, session)
    result = runner.invoke(args=["privacy", "anonymise", EMPLOYEE_NO, "--yes"])
    assert result.exit_code == 0, result.output
    assert f"Person {world.leaver.id} is anonymised" in result.output
    session.expire_all()
    assert traces(session, world.needles) == []
    missing = runner.invoke(args=["privacy", "anonymise", EMPLOYEE_NO, "--yes"])
    assert missing.exit_code == 1 and "No person" in missing.output

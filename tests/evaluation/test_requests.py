"""Who is asked for an evaluation, when, and how often they are reminded; the clock is
moved by passing ``now``."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.evaluation import rules
from app.evaluation.emails import answer_path
from app.evaluation.models import EvaluationKind, EvaluationRequest
from app.evaluation.services import send_evaluation_requests
from app.outbox.models import OutboxEmail
from tests.evaluation.builders import NOW, answer, ask, enrol, make_course, make_offering
from tests.factories import make_user


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def run(session, now=NOW) -> int:
    return send_evaluation_requests(
        session, now=now, base_url="https://kurs.example", domain="kurs.example"
    )


def mails(session, user=None):
    query = sa.select(OutboxEmail).order_by(OutboxEmail.id)
    if user is not None:
        query = query.where(OutboxEmail.user_id == user.id)
    return session.scalars(query).all()


def requests_of(session, enrolment):
    return session.scalars(
        sa.select(EvaluationRequest).where(EvaluationRequest.enrolment_id == enrolment.id)
    ).all()


def test_a_person_who_attended_an_ended_offering_is_asked_once_by_email(session, ctx):
    course = make_course(session, title="IT i hverdagen")
    offering = make_offering(session, course, title="Høst 2026")
    enrolment = enrol(session, offering)

    assert run(session) == 1
    assert run(session) == 0, "running again asks nobody twice"

    (request,) = requests_of(session, enrolment)
    assert request.kind == EvaluationKind.FIRST
    assert request.opens_at == offering.ends_at
    assert request.closes_at == offering.ends_at + rules.ANSWER_WINDOW
    (mail,) = mails(session)
    assert mail.recipient == enrolment.user.email
    assert mail.subject == "Hva syntes du om «IT i hverdagen»?"
    assert f"https://kurs.example/evalueringer/{request.id}" in mail.body_text
    assert "Høst 2026" in mail.body_text
    assert mail.reason == "evaluation.request.first"


def test_the_email_is_written_in_the_recipients_language(session, ctx):
    offering = make_offering(session, make_course(session, title="IT i hverdagen"))
    person = make_user(session, org=offering.organisation, locale="en", name="Kari Nordmann")
    enrol(session, offering, person)
    run(session)
    (mail,) = mails(session, person)
    assert mail.subject == "What did you think of “IT i hverdagen”?"
    assert mail.body_text.startswith("Hi, Kari!")


def test_late_counts_as_attended_but_absence_or_a_cancelled_seat_does_not(session, ctx):
    offering = make_offering(session, make_course(session))
    late = enrol(session, offering, attendance="late")
    not_asked = [
        enrol(session, offering, attendance="absent"),
        enrol(session, offering, attendance="excused"),
        enrol(session, offering, attendance=None),
        enrol(session, offering, status="cancelled"),
        enrol(session, offering, status="no_show"),
        enrol(session, offering, status="waitlisted"),
    ]
    run(session)
    assert len(requests_of(session, late)) == 1
    assert all(requests_of(session, e) == [] for e in not_asked)


def test_nobody_is_asked_before_the_offering_has_ended(session, ctx):
    offering = make_offering(session, make_course(session), ends_at=NOW + timedelta(hours=2))
    enrolment = enrol(session, offering)
    assert run(session) == 0
    assert run(session, now=NOW + timedelta(hours=3)) == 1
    assert len(requests_of(session, enrolment)) == 1


def test_offerings_that_ended_long_ago_or_were_cancelled_send_nothing(session, ctx):
    course = make_course(session)
    old = enrol(session, make_offering(session, course, ends_at=NOW - timedelta(days=45)))
    cancelled = enrol(session, make_offering(session, course, status="cancelled"))
    inactive = enrol(session, make_offering(session, course))
    inactive.user.active = False
    assert run(session) == 0
    assert requests_of(session, old) == requests_of(session, cancelled) == []
    assert requests_of(session, inactive) == []


def test_an_unanswered_request_is_reminded_weekly_at_most_twice(session, ctx):
    enrolment = enrol(session, make_offering(session, make_course(session)))
    run(session)
    assert run(session, now=NOW + timedelta(days=6)) == 0
    assert run(session, now=NOW + timedelta(days=7)) == 1
    assert run(session, now=NOW + timedelta(days=8)) == 0
    assert run(session, now=NOW + timedelta(days=14)) == 1
    assert run(session, now=NOW + timedelta(days=30)) == 0, "two reminders at most"
    subjects = [m.subject for m in mails(session)]
    assert subjects[1].startswith("Påminnelse: ")
    (request,) = requests_of(session, enrolment)
    assert request.reminders_sent == 2


def test_reminders_stop_when_the_person_answers(session, ctx):
    enrolment = enrol(session, make_offering(session, make_course(session)))
    run(session)
    (request,) = requests_of(session, enrolment)
    request.answered_at = NOW + timedelta(days=2)
    session.flush()
    assert run(session, now=NOW + timedelta(days=7)) == 0
    assert len(mails(session)) == 1


def test_reminders_stop_when_the_request_closes(session, ctx):
    offering = make_offering(session, make_course(session), ends_at=NOW - timedelta(days=40))
    request = ask(session, enrol(session, offering))
    assert run(session, now=request.closes_at) == 0
    assert run(session, now=request.closes_at - timedelta(minutes=1)) == 1


def test_the_follow_up_is_sent_three_months_later_to_everyone_asked_first(session, ctx):
    offering = make_offering(session, make_course(session, title="IT i hverdagen"))
    answered = enrol(session, offering)
    silent = enrol(session, offering)
    run(session)
    answer_request = requests_of(session, answered)[0]
    answer_request.answered_at = NOW
    session.flush()

    three_months = rules.add_months(offering.ends_at, 3)
    assert run(session, now=three_months - timedelta(minutes=1)) == 0
    queued = run(session, now=three_months)
    assert queued == 2
    for enrolment in (answered, silent):
        kinds = {str(r.kind) for r in requests_of(session, enrolment)}
        assert kinds == {"first", "follow_up"}
    follow_up = next(r for r in requests_of(session, answered) if r.kind == "follow_up")
    assert follow_up.opens_at == three_months
    assert mails(session)[-1].subject == "Tre måneder etter «IT i hverdagen»: ett spørsmål"
    assert run(session, now=three_months + timedelta(days=1)) == 0


def test_a_follow_up_that_is_more_than_a_month_overdue_is_not_sent(session, ctx):
    offering = make_offering(session, make_course(session))
    enrolment = enrol(session, offering)
    ask(session, enrolment, opens_at=NOW - timedelta(days=140))
    assert run(session) == 0
    assert {str(r.kind) for r in requests_of(session, enrolment)} == {"first"}


def test_the_link_in_the_email_is_the_answering_page(app):
    with app.test_request_context():
        from flask import url_for

        assert url_for("evaluation.answer", request_id=42) == answer_path(42)


def test_three_months_after_the_last_day_of_november_is_the_end_of_february():
    from datetime import datetime

    assert rules.add_months(datetime(2026, 11, 30, 15), 3) == datetime(2027, 2, 28, 15)
    assert rules.add_months(datetime(2027, 11, 30), 3) == datetime(2028, 2, 29)
    assert rules.add_months(datetime(2026, 10, 15), 3) == datetime(2027, 1, 15)


def test_remind_command_sends_the_follow_up_when_the_clock_says_so(session, runner, ctx):
    offering = make_offering(session, make_course(session))
    enrolment = enrol(session, offering)
    answer(session, enrolment)
    session.commit()
    later = rules.add_months(offering.ends_at, 3) + timedelta(hours=1)
    result = runner.invoke(args=["outbox", "remind", "--now", later.isoformat()])
    assert result.exit_code == 0, result.output
    assert "1 e-mail(s) queued" in result.output
    result = runner.invoke(args=["outbox", "remind", "--now", "i morgen"])
    assert result.exit_code != 0
    assert "--now" in result.output

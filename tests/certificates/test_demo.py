"""The demo quiz (the one in kurs/it-i-hverdagen) and demo certificates for "IT i hverdagen"."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.catalogue.models import Course
from app.certificates.models import Certificate, Completion
from app.demo.services import load_demo
from app.orm import utcnow
from app.quizzes.models import Quiz
from app.quizzes.scoring import grade
from app.quizzes.services import spec_of
from app.quizzes.types import question_type
from app.reports.demo import MARKER as REPORTS_MARKER
from app.sharing.demo import KURS
from app.sharing.package import load_package


def test_the_demo_quiz_is_the_packages_complete_and_its_right_answers_pass(app, session):
    with app.test_request_context():
        load_demo(session, today=date.today())
        load_demo(session, today=date.today())  # idempotent
    course = session.scalar(sa.select(Course).where(Course.slug == "it-i-hverdagen"))
    quiz = session.scalar(sa.select(Quiz).where(Quiz.course_id == course.id))
    package = load_package(KURS / "it-i-hverdagen")
    assert quiz.title == package.quiz.title and quiz.pass_percent == package.quiz.pass_mark
    assert [q.source_key for q in quiz.questions] == [q.id for q in package.quiz.questions]
    kinds = {str(q.kind) for q in quiz.questions}
    assert kinds == {"single", "multiple", "true_false", "numeric", "short_text", "ordering"}
    specs = [spec_of(q) for q in quiz.questions]
    assert all(question_type(s.kind).problems(s) == [] for s in specs)
    right = {}
    for s in specs:
        answer = question_type(s.kind).right_response(s)
        right[s.id] = ({"text": str(answer["value"])} if s.kind == "numeric"
                       else {"text": answer["texts"][0]} if s.kind == "short_text" else answer)
    assert grade(specs, right, quiz.pass_percent).passed

    # (The reports' demo adds a history of completions without certificates.)
    completions = session.scalars(sa.select(Completion).where(
        Completion.course_id == course.id,
        sa.or_(Completion.evidence.is_(None), Completion.evidence != REPORTS_MARKER))).all()
    assert len(completions) == 4
    soon = [c for c in completions if c.expires_at - utcnow() < timedelta(days=30)]
    assert len(soon) == 1
    assert session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 4

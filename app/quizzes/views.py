"""Taking a quiz: the quiz page, one page or one question at a time, the result."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.scope import organisation_ids
from app.certificates.models import Certificate, Completion
from app.common.numbers import whole_number
from app.errors import ConflictError, DomainError
from app.extensions import db
from app.orm import utcnow
from app.quizzes import services
from app.quizzes.forms import StartForm
from app.quizzes.models import Answer, Attempt, AttemptStatus, Quiz
from app.quizzes.types import question_type
from app.security import AUTHENTICATED, permission

bp = Blueprint("quizzes", __name__, template_folder="templates")

AUTHORS = ("admin", "organiser", "editor")


def is_author(user, quiz: Quiz) -> bool:
    return quiz.course.organisation_id in organisation_ids(user, *AUTHORS)


def _visible_quiz(quiz_id: int) -> Quiz:
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or not (is_author(current_user, quiz)
                            or services.may_take(db.session, user=current_user, quiz=quiz)):
        abort(404)
    return quiz


def _own_attempt(attempt_id: int) -> Attempt:
    attempt = db.session.scalar(sa.select(Attempt).where(Attempt.id == attempt_id,
                                                         Attempt.user_id == current_user.id))
    if attempt is None:
        abort(404)
    return attempt


@bp.route("/prover/<int:quiz_id>")
@permission(AUTHENTICATED)
def show(quiz_id: int):
    quiz = _visible_quiz(quiz_id)
    attempts = db.session.scalars(
        sa.select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.user_id == current_user.id)
        .order_by(Attempt.number)
    ).all()
    current = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
    left = None if quiz.attempts_allowed is None else max(quiz.attempts_allowed
                                                          - len(attempts), 0)
    return render_template("quizzes/show.html", quiz=quiz, attempts=attempts, current=current,
                           left=left, form=StartForm(), author=is_author(current_user, quiz),
                           question_count=len(quiz.questions))


@bp.route("/prover/<int:quiz_id>/start", methods=["POST"])
@permission(AUTHENTICATED)
def start(quiz_id: int):
    quiz = _visible_quiz(quiz_id)
    if not StartForm().validate_on_submit():
        abort(400)
    try:
        attempt = services.start_attempt(db.session, user=current_user, quiz=quiz, now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for(".show", quiz_id=quiz.id))
    db.session.commit()
    return redirect(url_for(".take", attempt_id=attempt.id))


def _pages(attempt: Attempt, questions: list) -> list[list]:
    if attempt.quiz.paging == "all":
        return [questions]
    return [[q] for q in questions]


def _shown_choices(attempt: Attempt, question) -> list:
    order = attempt.choice_order.get(str(question.id)) or [c.id for c in question.choices]
    by_id = {c.id: c for c in question.choices}
    return [by_id[cid] for cid in order if cid in by_id]


def _render_page(attempt: Attempt, page: int, *, responses=None, status=200, notice=None):
    questions = services.attempt_questions(db.session, attempt)
    pages = _pages(attempt, questions)
    page = min(max(page, 0), len(pages) - 1)
    saved = {a.question_id: a.response for a in db.session.scalars(
        sa.select(Answer).where(Answer.attempt_id == attempt.id))}
    if responses:
        saved.update(responses)
    now = utcnow()
    items = [{"q": q, "number": questions.index(q) + 1, "choices": _shown_choices(attempt, q),
              "response": saved.get(q.id), "type": question_type(q.kind)}
             for q in pages[page]]
    return render_template(
        "quizzes/take.html", attempt=attempt, quiz=attempt.quiz, items=items, page=page,
        pages=len(pages), total=len(questions), answered=len([q for q in questions
                                                              if saved.get(q.id)]),
        time_up=services.time_is_up(attempt, now), now=now, notice=notice,
        form=StartForm(),
    ), status


@bp.route("/forsok/<int:attempt_id>")
@permission(AUTHENTICATED)
def take(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if attempt.status == AttemptStatus.GRADED:
        return redirect(url_for(".result", attempt_id=attempt.id))
    return _render_page(attempt, request.args.get("side", 1, type=int) - 1)


@bp.route("/forsok/<int:attempt_id>", methods=["POST"])
@permission(AUTHENTICATED)
def answer(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if not StartForm().validate_on_submit():
        abort(400)
    questions = services.attempt_questions(db.session, attempt)
    pages = _pages(attempt, questions)
    page = min(max(request.form.get("page", 0, type=int), 0), len(pages) - 1)
    form = request.form.to_dict(flat=False)
    responses = {}
    for q in pages[page]:
        spec = services.spec_of(q)
        responses[q.id] = question_type(q.kind).from_form(spec, form)
    action = request.form.get("action", "next")
    sequence = whole_number(request.form.get("sequence", ""))
    service = services.submit_attempt if action == "submit" else services.save_answers
    try:
        attempt = service(db.session, attempt=attempt, user=current_user, responses=responses,
                          sequence=sequence if sequence is not None else -1, now=utcnow())
    except services.StaleForm as error:
        db.session.rollback()
        attempt = _own_attempt(attempt_id)
        return _render_page(attempt, page, responses=responses, status=409,
                            notice=error.message)
    except ConflictError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(url_for(".result", attempt_id=attempt_id))
    db.session.commit()
    if attempt.status == AttemptStatus.GRADED:
        if attempt.timed_out:
            flash(_("Tiden var ute. Forsøket er levert med svarene som var lagret."), "warning")
        return redirect(url_for(".result", attempt_id=attempt.id))
    target = page - 1 if action == "prev" else page + 1 if action == "next" else page
    return redirect(url_for(".take", attempt_id=attempt.id,
                            side=min(max(target, 0), len(pages) - 1) + 1))


@bp.route("/forsok/<int:attempt_id>/resultat")
@permission(AUTHENTICATED)
def result(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if attempt.status != AttemptStatus.GRADED:
        return redirect(url_for(".take", attempt_id=attempt.id))
    questions = services.attempt_questions(db.session, attempt)
    answers = {a.question_id: a for a in db.session.scalars(
        sa.select(Answer).where(Answer.attempt_id == attempt.id))}
    certificate = None
    if attempt.passed:
        certificate = db.session.scalar(
            sa.select(Certificate).join(Completion, Completion.id == Certificate.completion_id)
            .where(Completion.user_id == current_user.id,
                   Completion.course_id == attempt.quiz.course_id,
                   Certificate.revoked_at.is_(None))
            .order_by(Certificate.issued_at.desc()).limit(1)
        )
    items = [{"q": q, "number": i + 1, "choices": _shown_choices(attempt, q),
              "answer": answers.get(q.id), "type": question_type(q.kind),
              "right": question_type(q.kind).right_response(services.spec_of(q))}
             for i, q in enumerate(questions)]
    return render_template("quizzes/result.html", attempt=attempt, quiz=attempt.quiz,
                           items=items, certificate=certificate)


from app.quizzes import authoring_views  # noqa: E402, F401  (registers the authoring routes)

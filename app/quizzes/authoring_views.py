"""Authoring pages: the courses' quizzes, settings, questions and a preview."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.scope import organisation_ids
from app.catalogue.models import Course
from app.errors import DomainError
from app.extensions import db
from app.orm import utcnow
from app.quizzes import authoring
from app.quizzes.forms import DeleteForm, QuestionForm, QuizSettingsForm, StartForm
from app.quizzes.models import Question, Quiz
from app.quizzes.services import spec_of
from app.quizzes.types import REGISTRY, question_type, read_number
from app.quizzes.views import AUTHORS, bp
from app.security import permission
from app.sharing.models import Package


def _orgs() -> set[int]:
    return organisation_ids(current_user, *AUTHORS)


def _authored_quiz(quiz_id: int, *, edit: bool = True) -> Quiz:
    """The quiz, for an author of its course's organisation; to edit it, the course must
    not be a partner's (QuizReadOnly: a redirect to the package)."""
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or quiz.course.organisation_id not in _orgs():
        abort(404)
    if edit:
        authoring.refuse_read_only(db.session, quiz.course)
    return quiz


def _authored_question(question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.quiz.course.organisation_id not in _orgs():
        abort(404)
    if question.retired_at is not None:
        abort(404)
    authoring.refuse_read_only(db.session, question.quiz.course)
    return question


@bp.errorhandler(authoring.QuizReadOnly)
def read_only(error: authoring.QuizReadOnly):
    db.session.rollback()
    flash(error.message, "warning")
    return redirect(url_for(".index"))


@bp.route("/prover")
@permission("quizzes.author")
def index():
    partner = sa.and_(Package.publisher_organisation_id.is_not(None),
                      Package.publisher_organisation_id != Course.organisation_id)
    rows = db.session.execute(
        sa.select(Course, Quiz.id, sa.func.count(Question.id),
                  sa.case((partner, True), else_=False))
        .outerjoin(Quiz, Quiz.course_id == Course.id)
        .outerjoin(Question, sa.and_(Question.quiz_id == Quiz.id,
                                     Question.retired_at.is_(None)))
        .outerjoin(Package, Package.uid == Course.source_package_uid)
        .where(Course.organisation_id.in_(_orgs()))
        .group_by(Course.id, Quiz.id, Package.publisher_organisation_id)
        .order_by(Course.title)
    ).all()
    return render_template("quizzes/index.html", rows=rows, form=StartForm())


@bp.route("/prover/ny/<int:course_id>", methods=["POST"])
@permission("quizzes.author")
def create(course_id: int):
    course = db.session.get(Course, course_id)
    if course is None or course.organisation_id not in _orgs():
        abort(404)
    authoring.refuse_read_only(db.session, course)
    if not StartForm().validate_on_submit():
        abort(400)
    try:
        quiz = authoring.create_quiz(db.session, actor=current_user, course=course,
                                     now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for(".index"))
    db.session.commit()
    return redirect(url_for(".edit", quiz_id=quiz.id))


@bp.route("/prover/<int:quiz_id>/rediger", methods=["GET", "POST"])
@permission("quizzes.author")
def edit(quiz_id: int):
    quiz = _authored_quiz(quiz_id)
    form = QuizSettingsForm(obj=quiz)
    if form.validate_on_submit():
        try:
            authoring.update_settings(db.session, actor=current_user, quiz=quiz,
                                      values={k: getattr(form, k).data
                                              for k in authoring.SETTINGS}, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "title").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Innstillingene er lagret."), "success")
            return redirect(url_for(".edit", quiz_id=quiz.id))
    return render_template("quizzes/edit.html", quiz=quiz, form=form, kinds=REGISTRY,
                           delete_form=DeleteForm())


def _data_from(form: QuestionForm, kind: str) -> authoring.QuestionData:
    correct = {"true": True, "false": False}.get(form.correct_true.data or "")
    return authoring.QuestionData(
        kind=kind, prompt=form.prompt.data or "", points=form.points.data or 1,
        explanation=form.explanation.data or "", partial_credit=form.partial_credit.data,
        correct_true=correct, numeric_answer=read_number(form.numeric_answer.data),
        tolerance=read_number(form.tolerance.data), unit=form.unit.data,
        accepted_answers=(form.accepted_answers.data or "").splitlines(),
        choices=[authoring.ChoiceData(entry.form.text.data or "", entry.form.correct.data)
                 for entry in form.choices],
    )


def _question_page(quiz: Quiz, form: QuestionForm, kind: str, question: Question | None):
    if form.validate_on_submit():
        try:
            authoring.save_question(db.session, actor=current_user, quiz=quiz,
                                    data=_data_from(form, kind), question=question,
                                    now=utcnow())
        except DomainError as error:
            db.session.rollback()
            target = getattr(form, error.field, None) if error.field else None
            (target.errors if target is not None else form.form_errors).append(error.message)
        else:
            db.session.commit()
            flash(_("Spørsmålet er lagret."), "success")
            return redirect(url_for(".edit", quiz_id=quiz.id))
    return render_template("quizzes/question.html", quiz=quiz, form=form, kind=kind,
                           kind_label=question_type(kind).label, question=question)


@bp.route("/prover/<int:quiz_id>/sporsmal/ny", methods=["GET", "POST"])
@permission("quizzes.author")
def new_question(quiz_id: int):
    quiz = _authored_quiz(quiz_id)
    kind = request.values.get("type", "single")
    if kind not in REGISTRY:
        abort(404)
    return _question_page(quiz, QuestionForm(kind=kind), kind, None)


@bp.route("/sporsmal/<int:question_id>/rediger", methods=["GET", "POST"])
@permission("quizzes.author")
def edit_question(question_id: int):
    question = _authored_question(question_id)
    form = QuestionForm(obj=question) if request.method == "GET" else QuestionForm()
    if request.method == "GET":
        form.correct_true.data = {True: "true", False: "false"}.get(question.correct_true, "")
        form.numeric_answer.data = ("" if question.numeric_answer is None
                                    else f"{question.numeric_answer:g}")
        form.tolerance.data = "" if question.tolerance is None else f"{question.tolerance:g}"
        form.accepted_answers.data = "\n".join(question.accepted_answers or [])
        for entry, choice in zip(form.choices, question.choices, strict=False):
            entry.form.text.data, entry.form.correct.data = choice.text, choice.correct
    return _question_page(question.quiz, form, str(question.kind), question)


@bp.route("/sporsmal/<int:question_id>/slett", methods=["POST"])
@permission("quizzes.author")
def delete_question(question_id: int):
    question = _authored_question(question_id)
    quiz_id = question.quiz_id
    if not DeleteForm().validate_on_submit():
        abort(400)
    authoring.delete_question(db.session, actor=current_user, question=question, now=utcnow())
    db.session.commit()
    flash(_("Spørsmålet er slettet."), "success")
    return redirect(url_for(".edit", quiz_id=quiz_id))


@bp.route("/prover/<int:quiz_id>/forhandsvis")
@permission("quizzes.author")
def preview(quiz_id: int):
    quiz = _authored_quiz(quiz_id, edit=False)
    items = []
    for i, q in enumerate(quiz.questions):
        qtype, spec = question_type(q.kind), spec_of(q)
        items.append({"q": q, "number": i + 1, "choices": list(q.choices), "type": qtype,
                      "response": None, "right": qtype.right_response(spec),
                      "problems": qtype.problems(spec)})
    return render_template("quizzes/preview.html", quiz=quiz, items=items)


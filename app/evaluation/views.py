"""Answering an evaluation, one's own list of them, and a course's own questions.

The results pages are in ``results_views`` (same blueprint).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.catalogue.models import Course
from app.errors import DomainError
from app.evaluation import queries, questions
from app.evaluation.forms import ActionForm, FollowUpForm, QuestionForm, first_form
from app.evaluation.models import Evaluation, EvaluationKind, EvaluationQuestion
from app.evaluation.scope import manages_questions
from app.evaluation.services import Answers, submit_evaluation
from app.extensions import db
from app.orm import utcnow
from app.security import AUTHENTICATED, permission

bp = Blueprint("evaluation", __name__, url_prefix="/evalueringer", template_folder="templates")


@bp.app_context_processor
def inject_prompts():
    def evaluation_prompts():
        """The person's open requests, for the home page (queried only when shown)."""
        if not current_user.is_authenticated:
            return []
        return queries.my_requests(db.session, current_user, now=utcnow(), open_only=True)

    return {"evaluation_prompts": evaluation_prompts}


@bp.route("/")
@permission(AUTHENTICATED)
def mine():
    lines = queries.my_requests(db.session, current_user, now=utcnow())
    return render_template("evaluation/mine.html", lines=lines, now=utcnow())


@bp.route("/<int:request_id>", methods=["GET", "POST"])
@permission(AUTHENTICATED)
def answer(request_id: int):
    user = current_user._get_current_object()
    found = queries.request_for(db.session, user, request_id)
    if found is None:
        abort(404)
    request_, enrolment, offering, course = found
    now = utcnow()
    if request_.answered_at is not None:
        evaluation = db.session.scalar(
            sa.select(Evaluation).where(
                Evaluation.enrolment_id == enrolment.id, Evaluation.kind == request_.kind
            )
        )
        return render_template(
            "evaluation/answered.html",
            request_=request_,
            offering=offering,
            course=course,
            evaluation=evaluation,
        )
    own = (
        questions.active_questions(db.session, course.id)
        if request_.kind == EvaluationKind.FIRST
        else []
    )
    form = first_form(own) if request_.kind == EvaluationKind.FIRST else FollowUpForm()
    status = 200
    if form.validate_on_submit():
        try:
            submit_evaluation(
                db.session, user=user, request=request_, answers=_answers(form, own), now=now
            )
        except DomainError as error:
            db.session.rollback()
            target = getattr(form, error.field, None) if error.field else None
            if target is not None:
                target.errors = [*target.errors, error.message]
            else:
                form.form_errors.append(error.message)
            status = 409 if error.status == 409 else 200
        else:
            db.session.commit()
            flash(_("Takk for svaret! Det teller med når minst fem har svart."), "success")
            return redirect(url_for("evaluation.answer", request_id=request_id))
    return render_template(
        "evaluation/answer.html",
        form=form,
        request_=request_,
        offering=offering,
        course=course,
        own=own,
        now=now,
        scales=_scale_fields(form, own),
    ), status


def _scale_fields(form, own) -> set[str]:
    names = {"relevance", "usefulness", "teaching", "recommend", "follow_up"}
    return names | {f"own_{q.id}" for q in own if q.kind == "scale"}


def _answers(form, own) -> Answers:
    data = form.data
    answers = Answers(comment=data.get("comment"), follow_up=data.get("follow_up"))
    for name in ("relevance", "usefulness", "teaching", "recommend"):
        setattr(answers, name, data.get(name))
    answers.own = {q.id: data.get(f"own_{q.id}") for q in own}
    return answers


# A course's own questions --------------------------------------------------------------


def _managed_course(slug: str) -> Course:
    course = db.one_or_404(sa.select(Course).where(Course.slug == slug))
    if not manages_questions(current_user, course):
        abort(404)
    return course


def _managed_question(question_id: int) -> EvaluationQuestion:
    question = db.get_or_404(EvaluationQuestion, question_id)
    if not manages_questions(current_user, question.course):
        abort(404)
    return question


@bp.route("/kurs/<slug>/sporsmal", methods=["GET", "POST"])
@permission("evaluation.questions")
def course_questions(slug: str):
    course = _managed_course(slug)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            questions.add_question(
                db.session,
                actor=current_user,
                course=course,
                text=form.text.data,
                kind=form.kind.data,
                now=utcnow(),
            )
        except DomainError as error:
            db.session.rollback()
            form.text.errors = [*form.text.errors, error.message]
        else:
            db.session.commit()
            flash(_("Spørsmålet er lagt til."), "success")
            return redirect(url_for("evaluation.course_questions", slug=slug))
    return _questions_page(course, form)


def _questions_page(
    course: Course,
    form: QuestionForm,
    failed: QuestionForm | None = None,
    failed_id: int | None = None,
):
    all_questions = queries.course_questions(db.session, course.id)
    answered = queries.question_answer_counts(db.session, [q.id for q in all_questions])
    edit_forms = {
        q.id: QuestionForm(prefix=f"q{q.id}", formdata=None, obj=q)
        for q in all_questions
        if q.active and not answered.get(q.id)
    }
    if failed is not None:
        edit_forms[failed_id] = failed
    return render_template(
        "evaluation/questions.html",
        course=course,
        form=form,
        questions=all_questions,
        active=[q for q in all_questions if q.active],
        answered=answered,
        edit_forms=edit_forms,
        action=ActionForm(),
        failed_id=failed_id,
    )


@bp.route("/sporsmal/<int:question_id>", methods=["POST"])
@permission("evaluation.questions")
def edit_question(question_id: int):
    question = _managed_question(question_id)
    form = QuestionForm(prefix=f"q{question.id}")
    if form.validate_on_submit():
        try:
            questions.update_question(
                db.session,
                actor=current_user,
                question=question,
                text=form.text.data,
                kind=form.kind.data,
                now=utcnow(),
            )
        except DomainError as error:
            db.session.rollback()
            form.text.errors = [*form.text.errors, error.message]
        else:
            db.session.commit()
            flash(_("Spørsmålet er endret."), "success")
            return redirect(url_for("evaluation.course_questions", slug=question.course.slug))
    return _questions_page(question.course, QuestionForm(formdata=None), form, question.id)


@bp.route("/sporsmal/<int:question_id>/ta-ut", methods=["POST"])
@permission("evaluation.questions")
def retire_question(question_id: int):
    question = _managed_question(question_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    questions.retire_question(db.session, actor=current_user, question=question, now=utcnow())
    db.session.commit()
    flash(_("Spørsmålet er tatt ut. Svarene som er gitt, vises fortsatt."), "success")
    return redirect(url_for("evaluation.course_questions", slug=question.course.slug))

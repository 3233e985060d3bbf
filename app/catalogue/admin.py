"""Course and module authoring for organisers, admins and editors (/forvaltning/kurs)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.catalogue import services
from app.catalogue.forms import ActionForm, CourseForm, ModuleForm
from app.catalogue.models import Course, CourseStatus, Module
from app.enrolment.access import OFFERING_ROLES
from app.enrolment.models import Offering
from app.errors import DomainError
from app.extensions import db
from app.orm import utcnow
from app.security import permission

bp = Blueprint("course_admin", __name__, url_prefix="/forvaltning/kurs",
               template_folder="templates")

PERMISSION = "catalogue.manage"


def _course_or_404(slug: str) -> Course:
    course = db.session.scalar(sa.select(Course).where(
        Course.slug == slug,
        Course.organisation_id.in_(services.manageable_organisations(current_user))))
    if course is None:
        abort(404)
    return course


def _module_or_404(module_id: int) -> Module:
    module = db.session.get(Module, module_id)
    if module is None or module.course.organisation_id not in \
            services.manageable_organisations(current_user):
        abort(404)
    return module


def _apply_error(form, error: DomainError) -> None:
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*target.errors, error.message]
    else:
        form.form_errors.append(error.message)


@bp.route("/")
@permission(PERMISSION)
def index():
    orgs = services.manageable_organisations(current_user)
    courses = db.session.execute(
        sa.select(Course, sa.func.count(Offering.id))
        .outerjoin(Offering, Offering.course_id == Course.id)
        .where(Course.organisation_id.in_(orgs))
        .group_by(Course.id)
        .order_by(Course.title)
    ).all()
    return render_template("catalogue/admin/index.html", courses=courses)


def _organisation_choice() -> int:
    orgs = services.manageable_organisations(current_user)
    own = current_user.organisation_id
    return own if own in orgs else min(orgs)


@bp.route("/ny", methods=["GET", "POST"])
@permission(PERMISSION)
def new_course():
    form = CourseForm()
    if form.validate_on_submit():
        try:
            course = services.create_course(
                db.session, actor=current_user, organisation_id=_organisation_choice(),
                values=form.values(), audiences=form.audiences.data, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            _apply_error(form, error)
        else:
            db.session.commit()
            flash(_("Kurset er opprettet som utkast."), "success")
            return redirect(url_for("course_admin.edit_course", slug=course.slug))
    return render_template("catalogue/admin/course_form.html", form=form, course=None)


@bp.route("/<slug>", methods=["GET", "POST"])
@permission(PERMISSION)
def edit_course(slug: str):
    course = _course_or_404(slug)
    form = CourseForm(obj=course if request.method == "GET" else None)
    if request.method == "GET":
        form.audiences.data = sorted(course.audience_values)
    if form.validate_on_submit():
        try:
            services.update_course(db.session, actor=current_user, course=course,
                                   values=form.values(), audiences=form.audiences.data,
                                   now=utcnow())
        except DomainError as error:
            db.session.rollback()
            _apply_error(form, error)
        else:
            db.session.commit()
            flash(_("Endringene er lagret."), "success")
            return redirect(url_for("course_admin.edit_course", slug=course.slug))
    offerings = db.session.scalars(
        sa.select(Offering).where(Offering.course_id == course.id)
        .order_by(Offering.starts_at.desc().nulls_last(), Offering.id.desc())
    ).all()
    return render_template(
        "catalogue/admin/course_form.html", form=form, course=course, offerings=offerings,
        action=ActionForm(), can_offer=bool(set(OFFERING_ROLES) & current_user.role_names()),
    )


@bp.route("/<slug>/status", methods=["POST"])
@permission(PERMISSION)
def course_status(slug: str):
    course = _course_or_404(slug)
    status = request.form.get("status", "")
    if status not in {s.value for s in CourseStatus}:
        abort(400)
    services.set_course_status(db.session, actor=current_user, course=course, status=status,
                               now=utcnow())
    db.session.commit()
    flash({"published": _("Kurset er publisert og vises i katalogen."),
           "draft": _("Kurset er trukket tilbake til utkast."),
           "archived": _("Kurset er arkivert.")}[status], "success")
    return redirect(url_for("course_admin.edit_course", slug=slug))


@bp.route("/<slug>/moduler/ny", methods=["GET", "POST"])
@permission(PERMISSION)
def new_module(slug: str):
    course = _course_or_404(slug)
    form = ModuleForm()
    if form.validate_on_submit():
        services.add_module(db.session, actor=current_user, course=course,
                            values=form.values(), now=utcnow())
        db.session.commit()
        flash(_("Modulen er lagt til."), "success")
        return redirect(url_for("course_admin.edit_course", slug=slug) + "#moduler")
    return render_template("catalogue/admin/module_form.html", form=form, course=course,
                           module=None)


@bp.route("/moduler/<int:module_id>", methods=["GET", "POST"])
@permission(PERMISSION)
def edit_module(module_id: int):
    module = _module_or_404(module_id)
    form = ModuleForm(obj=module if request.method == "GET" else None)
    if form.validate_on_submit():
        services.update_module(db.session, actor=current_user, module=module,
                               values=form.values(), now=utcnow())
        db.session.commit()
        flash(_("Modulen er lagret."), "success")
        return redirect(url_for("course_admin.edit_course", slug=module.course.slug)
                        + "#moduler")
    return render_template("catalogue/admin/module_form.html", form=form,
                           course=module.course, module=module, delete_form=ActionForm())


@bp.route("/moduler/<int:module_id>/flytt", methods=["POST"])
@permission(PERMISSION)
def move_module(module_id: int):
    module = _module_or_404(module_id)
    direction = -1 if request.form.get("retning") == "opp" else 1
    services.move_module(db.session, actor=current_user, module=module, direction=direction,
                         now=utcnow())
    db.session.commit()
    return redirect(url_for("course_admin.edit_course", slug=module.course.slug) + "#moduler")


@bp.route("/moduler/<int:module_id>/slett", methods=["POST"])
@permission(PERMISSION)
def delete_module(module_id: int):
    module = _module_or_404(module_id)
    slug = module.course.slug
    services.delete_module(db.session, actor=current_user, module=module, now=utcnow())
    db.session.commit()
    flash(_("Modulen er slettet."), "success")
    return redirect(url_for("course_admin.edit_course", slug=slug) + "#moduler")

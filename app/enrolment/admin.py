"""Organisers' pages for offerings and their sessions (/forvaltning/tilbud)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.scope import organisation_ids
from app.catalogue.forms import ActionForm
from app.catalogue.models import Course
from app.enrolment import offerings as services
from app.enrolment.access import OFFERING_ROLES, manages_offering, manages_participants
from app.enrolment.forms import CopyForm, OfferingForm, RequiredReasonForm, SessionForm
from app.enrolment.models import CourseSession, Offering, OfferingStatus
from app.enrolment.queries import status_counts
from app.errors import DomainError
from app.extensions import db
from app.orm import utcnow
from app.security import permission

bp = Blueprint("offering_admin", __name__, url_prefix="/forvaltning",
               template_folder="templates")

PERMISSION = "offering.manage"


def _offering_or_404(offering_id: int) -> Offering:
    offering = db.session.get(Offering, offering_id)
    if offering is None or not manages_offering(current_user, offering):
        abort(404)
    return offering


def _session_or_404(session_id: int) -> CourseSession:
    item = db.session.get(CourseSession, session_id)
    if item is None or not manages_offering(current_user, item.offering):
        abort(404)
    return item


def _apply_error(form, error: DomainError) -> None:
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*target.errors, error.message]
    else:
        form.form_errors.append(error.message)


@bp.route("/kurs/<slug>/tilbud/ny", methods=["GET", "POST"])
@permission(PERMISSION)
def new_offering(slug: str):
    course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    # An organisation runs its own courses (a partner's course is imported as a copy first).
    if course is None or course.organisation_id not in organisation_ids(current_user,
                                                                        *OFFERING_ROLES):
        abort(404)
    organisation_id = course.organisation_id
    form = OfferingForm()
    if request.method == "GET":
        form.contact_name.data = current_user.name
        form.contact_email.data = current_user.email
    if form.validate_on_submit():
        try:
            offering = services.create_offering(
                db.session, actor=current_user, course=course, organisation_id=organisation_id,
                values=form.values(), now=utcnow())
        except DomainError as error:
            db.session.rollback()
            _apply_error(form, error)
        else:
            db.session.commit()
            flash(_("Tilbudet er opprettet som utkast. Legg til øktene, og publiser det."),
                  "success")
            return redirect(url_for("offering_admin.edit_offering", offering_id=offering.id))
    return render_template("enrolment/admin/offering_form.html", form=form, course=course,
                           offering=None)


@bp.route("/tilbud/<int:offering_id>", methods=["GET", "POST"])
@permission(PERMISSION)
def edit_offering(offering_id: int):
    offering = _offering_or_404(offering_id)
    form = OfferingForm()
    if request.method == "GET":
        form.fill(offering)
    if form.validate_on_submit():
        try:
            promoted = services.update_offering(db.session, actor=current_user,
                                                offering=offering, values=form.values(),
                                                now=utcnow())
        except DomainError as error:
            db.session.rollback()
            _apply_error(form, error)
        else:
            db.session.commit()
            flash(_("Endringene er lagret."), "success")
            if promoted:
                flash(_("%(n)s personer fikk plass fra ventelisten og har fått beskjed.",
                        n=len(promoted)), "info")
            return redirect(url_for("offering_admin.edit_offering", offering_id=offering_id))
    return render_template(
        "enrolment/admin/offering_form.html", form=form, course=offering.course,
        offering=offering, action=ActionForm(), counts=status_counts(db.session, offering),
        participants=manages_participants(current_user, offering),
    )


@bp.route("/tilbud/<int:offering_id>/status", methods=["POST"])
@permission(PERMISSION)
def offering_status(offering_id: int):
    offering = _offering_or_404(offering_id)
    status = request.form.get("status", "")
    if status not in (OfferingStatus.PUBLISHED, OfferingStatus.DRAFT):
        abort(400)
    try:
        services.set_status(db.session, actor=current_user, offering=offering,
                            status=OfferingStatus(status), now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("Tilbudet er publisert.") if status == "published"
              else _("Tilbudet er trukket tilbake til utkast."), "success")
    return redirect(url_for("offering_admin.edit_offering", offering_id=offering_id))


@bp.route("/tilbud/<int:offering_id>/kopier", methods=["GET", "POST"])
@permission(PERMISSION)
def copy_offering(offering_id: int):
    offering = _offering_or_404(offering_id)
    form = CopyForm()
    if form.validate_on_submit():
        copy = services.copy_offering(db.session, actor=current_user, offering=offering,
                                      starts_on=form.starts_on.data, now=utcnow())
        db.session.commit()
        flash(_("Kopien er laget som utkast. Se over tidene, og publiser den."), "success")
        return redirect(url_for("offering_admin.edit_offering", offering_id=copy.id))
    return render_template("enrolment/admin/copy.html", form=form, offering=offering,
                           course=offering.course)


@bp.route("/tilbud/<int:offering_id>/avlys", methods=["GET", "POST"])
@permission(PERMISSION)
def cancel_offering(offering_id: int):
    offering = _offering_or_404(offering_id)
    form = RequiredReasonForm()
    if form.validate_on_submit():
        try:
            told = services.cancel_offering(db.session, actor=current_user, offering=offering,
                                            reason=form.reason.data, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            _apply_error(form, error)
        else:
            db.session.commit()
            flash(_("Tilbudet er avlyst, og %(n)s personer har fått beskjed.", n=told),
                  "success")
            return redirect(url_for("offering_admin.edit_offering", offering_id=offering_id))
    return render_template("enrolment/admin/cancel_offering.html", form=form,
                           offering=offering, course=offering.course,
                           counts=status_counts(db.session, offering))


@bp.route("/tilbud/<int:offering_id>/okter/ny", methods=["GET", "POST"])
@permission(PERMISSION)
def new_session(offering_id: int):
    offering = _offering_or_404(offering_id)
    form = SessionForm()
    if request.method == "GET":
        form.room.data = offering.location
    if form.validate_on_submit():
        try:
            services.add_session(db.session, actor=current_user, offering=offering,
                                 values=form.values(), now=utcnow())
        except DomainError as error:
            db.session.rollback()
            _apply_error(form, error)
        else:
            db.session.commit()
            flash(_("Økten er lagt til."), "success")
            return redirect(url_for("offering_admin.edit_offering", offering_id=offering_id)
                            + "#okter")
    return render_template("enrolment/admin/session_form.html", form=form, offering=offering,
                           course=offering.course, item=None)


@bp.route("/okter/<int:session_id>", methods=["GET", "POST"])
@permission(PERMISSION)
def edit_session(session_id: int):
    item = _session_or_404(session_id)
    offering = item.offering
    form = SessionForm()
    if request.method == "GET":
        form.fill(item)
    if form.validate_on_submit():
        try:
            told = services.update_session(db.session, actor=current_user, item=item,
                                           values=form.values(), now=utcnow())
        except DomainError as error:
            db.session.rollback()
            _apply_error(form, error)
        else:
            db.session.commit()
            flash(_("Økten er lagret."), "success")
            if told:
                flash(_("%(n)s deltakere har fått oppdatert kalenderinvitasjon.", n=told),
                      "info")
            return redirect(url_for("offering_admin.edit_offering", offering_id=offering.id)
                            + "#okter")
    return render_template("enrolment/admin/session_form.html", form=form, offering=offering,
                           course=offering.course, item=item, delete_form=ActionForm())


@bp.route("/okter/<int:session_id>/slett", methods=["POST"])
@permission(PERMISSION)
def delete_session(session_id: int):
    item = _session_or_404(session_id)
    offering_id = item.offering_id
    services.delete_session(db.session, actor=current_user, item=item, now=utcnow())
    db.session.commit()
    flash(_("Økten er slettet."), "success")
    return redirect(url_for("offering_admin.edit_offering", offering_id=offering_id) + "#okter")

"""A participant's side of enrolment: the offering page, enrolling and cancelling, the
calendar file, a leader enrolling their people, and approvals."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import User
from app.catalogue.forms import ActionForm
from app.common.numbers import whole_number
from app.enrolment import queries, rules, services
from app.enrolment.access import manages_offering, may_decide, may_see_enrolment
from app.enrolment.forms import RequiredReasonForm
from app.enrolment.mail import calendar_for
from app.enrolment.models import Enrolment, EnrolmentStatus
from app.enrolment.seats import waitlist_position
from app.errors import DomainError
from app.extensions import db
from app.orm import utcnow
from app.security import AUTHENTICATED, is_safe_redirect, permission

bp = Blueprint("enrolment", __name__, template_folder="templates")


def register_blueprints(app: Flask) -> None:
    from app.enrolment.admin import bp as admin_bp
    from app.enrolment.participants import bp as participants_bp

    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(participants_bp)


def _me() -> User:
    return current_user._get_current_object()


def _back(default: str) -> str:
    target = request.form.get("next", "")
    return target if is_safe_redirect(target) else default


def outcome_message(enrolment: Enrolment, position: int | None) -> str:
    if enrolment.status == EnrolmentStatus.ENROLLED:
        return _("Du er påmeldt. Du får en e-post med kalenderinvitasjon.")
    if enrolment.status == EnrolmentStatus.WAITLISTED:
        return _("Tilbudet er fullt. Du står som nummer %(n)s på ventelisten, og får "
                 "beskjed hvis du får plass.", n=position)
    return _("Forespørselen er sendt til lederen din for godkjenning.")


@bp.route("/tilbud/<int:offering_id>")
@permission(AUTHENTICATED)
def offering(offering_id: int):
    user = _me()
    view = queries.offering_view(db.session, user, offering_id)
    if view is None:
        abort(404)
    now = utcnow()
    offer = view.offering
    window = rules.enrol_window(status=offer.status, opens_at=offer.enrol_opens_at,
                                closes_at=offer.enrol_closes_at, starts_at=offer.starts_at,
                                now=now)
    deadline = rules.cancel_deadline(cancel_deadline_at=offer.cancel_deadline_at,
                                     starts_at=offer.starts_at)
    return render_template(
        "enrolment/offering.html", view=view, offering=offer, course=offer.course,
        window=window, deadline=deadline, now=now, form=ActionForm(),
        may_cancel=rules.may_cancel_self(cancel_deadline_at=offer.cancel_deadline_at,
                                         starts_at=offer.starts_at, now=now),
        leads=view.leads,
        manages=manages_offering(user, offer),
        contact=services.contact_for(offer, current_app.config["KURS_SUPPORT_EMAIL"]),
    )


@bp.route("/tilbud/<int:offering_id>/pamelding", methods=["POST"])
@permission(AUTHENTICATED)
def enrol(offering_id: int):
    offering = queries.offering_to_enrol(db.session, offering_id)
    if offering is None:
        abort(404)
    back = _back(url_for("enrolment.offering", offering_id=offering_id))
    try:
        enrolment = services.enrol(db.session, actor=_me(), offering=offering, now=utcnow())
    except DomainError as error:
        db.session.rollback()
        if error.status == 404:
            abort(404)
        flash(error.message, "danger")
        return redirect(back)
    position = waitlist_position(db.session, enrolment)
    message = outcome_message(enrolment, position)
    db.session.commit()
    flash(message, "success" if enrolment.status == EnrolmentStatus.ENROLLED else "info")
    return redirect(back)


def _own_or_404(enrolment_id: int) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or not may_see_enrolment(db.session, _me(), enrolment):
        abort(404)
    return enrolment


@bp.route("/pameldinger/<int:enrolment_id>/avmelding", methods=["POST"])
@permission(AUTHENTICATED)
def cancel(enrolment_id: int):
    enrolment = _own_or_404(enrolment_id)
    back = _back(url_for("enrolment.offering", offering_id=enrolment.offering_id))
    try:
        services.cancel(db.session, actor=_me(), enrolment=enrolment, now=utcnow(),
                        support_email=current_app.config["KURS_SUPPORT_EMAIL"])
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(back)
    db.session.commit()
    flash(_("Du er avmeldt. Plassen går til den første på ventelisten."), "success")
    return redirect(back)


@bp.route("/pameldinger/<int:enrolment_id>/kalender.ics")
@permission(AUTHENTICATED)
def calendar(enrolment_id: int):
    enrolment = _own_or_404(enrolment_id)
    if enrolment.user_id != _me().id or enrolment.status != EnrolmentStatus.ENROLLED:
        abort(404)
    text = calendar_for(enrolment, method="REQUEST", now=utcnow())
    if text is None:
        abort(404)
    name = f"kurs-{enrolment.offering_id}.ics"
    return Response(text, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/tilbud/<int:offering_id>/medarbeidere", methods=["GET", "POST"])
@permission(AUTHENTICATED)
def my_people(offering_id: int):
    """A leader enrols people of the units they lead."""
    user = _me()
    view = queries.offering_view(db.session, user, offering_id)
    if view is None or not view.leads:
        abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        ids = [n for x in request.form.getlist("person")
               if (n := whole_number(x)) is not None][:300]
        people = db.session.scalars(sa.select(User).where(User.id.in_(ids))).all()
        done, errors = 0, []
        for person in people:
            try:
                with db.session.begin_nested():
                    services.enrol(db.session, actor=user, offering=view.offering,
                                   person=person, now=utcnow())
                done += 1
            except DomainError as error:
                errors.append(f"{person.name}: {error.message}")
        db.session.commit()
        if done:
            flash(_("%(n)s personer er meldt på.", n=done), "success")
        for message in errors:
            flash(message, "danger")
        return redirect(url_for("enrolment.my_people", offering_id=offering_id))
    q = request.args.get("q", "").strip()[:100]
    people = queries.people_led_by(db.session, user, view.offering, q=q)
    return render_template("enrolment/my_people.html", view=view, offering=view.offering,
                           course=view.offering.course, people=people, form=form, q=q)


@bp.route("/godkjenninger")
@permission(AUTHENTICATED)
def approvals():
    requests = queries.decidable_requests(db.session, _me())
    return render_template("enrolment/approvals.html", requests=requests, form=ActionForm())


def _request_or_404(enrolment_id: int) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or not may_decide(db.session, _me(), enrolment):
        abort(404)
    return enrolment


@bp.route("/godkjenninger/<int:enrolment_id>")
@permission(AUTHENTICATED)
def decide(enrolment_id: int):
    enrolment = _request_or_404(enrolment_id)
    return render_template("enrolment/decide.html", enrolment=enrolment,
                           offering=enrolment.offering, course=enrolment.offering.course,
                           form=ActionForm(), decline_form=RequiredReasonForm())


@bp.route("/godkjenninger/<int:enrolment_id>/godkjenn", methods=["POST"])
@permission(AUTHENTICATED)
def approve(enrolment_id: int):
    enrolment = _request_or_404(enrolment_id)
    try:
        services.approve(db.session, actor=_me(), enrolment=enrolment, now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("enrolment.decide", enrolment_id=enrolment_id))
    name, status = enrolment.user.name, enrolment.status
    db.session.commit()
    if status == EnrolmentStatus.ENROLLED:
        flash(_("Godkjent: %(name)s har fått plass.", name=name), "success")
    else:
        flash(_("Godkjent: tilbudet er fullt, så %(name)s står på ventelisten.", name=name),
              "info")
    return redirect(_back(url_for("enrolment.approvals")))


@bp.route("/godkjenninger/<int:enrolment_id>/avslaa", methods=["POST"])
@permission(AUTHENTICATED)
def decline(enrolment_id: int):
    enrolment = _request_or_404(enrolment_id)
    form = RequiredReasonForm()
    if form.validate_on_submit():
        try:
            services.decline(db.session, actor=_me(), enrolment=enrolment,
                             reason=form.reason.data, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            form.reason.errors = [error.message]
        else:
            db.session.commit()
            flash(_("Forespørselen er avslått, og %(name)s har fått beskjed.",
                    name=enrolment.user.name), "success")
            return redirect(url_for("enrolment.approvals"))
    return render_template("enrolment/decide.html", enrolment=enrolment,
                           offering=enrolment.offering, course=enrolment.offering.course,
                           form=ActionForm(), decline_form=form), 200

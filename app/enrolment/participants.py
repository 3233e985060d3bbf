"""An offering's participant list for organisers, admins and HR: enrol on someone's behalf,
enrol many at once, move between the waitlist and the seats, cancel with a reason,
export, and e-mail everyone."""

from __future__ import annotations

import hashlib
import logging

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.services import find_user_by_email
from app.catalogue.forms import ActionForm
from app.common.labels import leader_level_label
from app.enrolment import bulk, exports, mail, queries, services
from app.enrolment.access import decidable_among, manages_participants
from app.enrolment.forms import BulkForm, EnrolPersonForm, MessageForm, ReasonForm
from app.enrolment.labels import STATUS_LABELS
from app.enrolment.models import Enrolment, EnrolmentStatus, Offering
from app.errors import DomainError
from app.extensions import db
from app.orm import utcnow
from app.security import audit, permission

log = logging.getLogger(__name__)

bp = Blueprint("participants", __name__, url_prefix="/forvaltning",
               template_folder="templates")

PERMISSION = "enrolment.manage"


def _offering_or_404(offering_id: int) -> Offering:
    offering = db.session.get(Offering, offering_id)
    if offering is None or not manages_participants(current_user, offering):
        abort(404)
    return offering


def _enrolment_or_404(enrolment_id: int) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or not manages_participants(current_user, enrolment.offering):
        abort(404)
    return enrolment


def _list_url(offering_id: int) -> str:
    return url_for("participants.index", offering_id=offering_id)


@bp.route("/tilbud/<int:offering_id>/deltakere", methods=["GET", "POST"])
@permission(PERMISSION)
def index(offering_id: int):
    offering = _offering_or_404(offering_id)
    form = EnrolPersonForm()
    if form.validate_on_submit():
        text = form.person.data.strip()
        person = find_user_by_email(db.session, text) if "@" in text else None
        if person is None and "@" not in text:
            preview = bulk.preview_list(db.session, actor=current_user, offering=offering,
                                        text=text)
            person = preview.rows[0].user if preview.rows else None
        if person is None:
            form.person.errors = [_("Fant ingen med den e-postadressen eller det "
                                    "ansattnummeret.")]
        else:
            try:
                enrolment = services.enrol(db.session, actor=current_user, offering=offering,
                                           person=person, now=utcnow())
            except DomainError as error:
                db.session.rollback()
                form.person.errors = [error.message]
            else:
                status = enrolment.status
                db.session.commit()
                flash(_("%(name)s: %(status)s.", name=person.name,
                        status=STATUS_LABELS[str(status)]), "success")
                return redirect(_list_url(offering_id))
    rows = queries.participants(db.session, offering)
    decidable = decidable_among(db.session, current_user, offering,
                                [row.enrolment for row in rows])
    return render_template("enrolment/admin/participants.html", offering=offering,
                           course=offering.course, rows=rows, form=form, action=ActionForm(),
                           counts=queries.status_counts(db.session, offering), now=utcnow(),
                           decidable=decidable)


def _move(enrolment_id: int, move, success: str):
    enrolment = _enrolment_or_404(enrolment_id)
    try:
        move(db.session, actor=current_user, enrolment=enrolment, now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(success, "success")
    return redirect(_list_url(enrolment.offering_id))


@bp.route("/pameldinger/<int:enrolment_id>/plass", methods=["POST"])
@permission(PERMISSION)
def give_seat(enrolment_id: int):
    return _move(enrolment_id, services.give_seat, _("Personen har fått plass og beskjed."))


@bp.route("/pameldinger/<int:enrolment_id>/venteliste", methods=["POST"])
@permission(PERMISSION)
def to_waitlist(enrolment_id: int):
    return _move(enrolment_id, services.move_to_waitlist,
                 _("Personen er flyttet til ventelisten; plassen gikk til den første som "
                   "ventet."))


@bp.route("/pameldinger/<int:enrolment_id>/ikke-mott", methods=["POST"])
@permission(PERMISSION)
def no_show(enrolment_id: int):
    return _move(enrolment_id, services.mark_no_show, _("Registrert som ikke møtt."))


@bp.route("/pameldinger/<int:enrolment_id>/avmeld", methods=["GET", "POST"])
@permission(PERMISSION)
def cancel(enrolment_id: int):
    enrolment = _enrolment_or_404(enrolment_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            services.cancel(db.session, actor=current_user, enrolment=enrolment, now=utcnow(),
                            reason=form.reason.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("%(name)s er avmeldt og har fått beskjed.", name=enrolment.user.name),
                  "success")
        return redirect(_list_url(enrolment.offering_id))
    return render_template("enrolment/admin/cancel_enrolment.html", form=form,
                           enrolment=enrolment, offering=enrolment.offering,
                           course=enrolment.offering.course)


@bp.route("/tilbud/<int:offering_id>/masseinnmelding", methods=["GET", "POST"])
@permission(PERMISSION)
def bulk_enrol(offering_id: int):
    offering = _offering_or_404(offering_id)
    form = BulkForm()
    preview = None
    if form.validate_on_submit():
        now = utcnow()
        if form.new_leaders.data:
            preview = bulk.new_leaders_without_course(
                db.session, actor=current_user, offering=offering,
                months=form.months.data or 12, now=now)
        else:
            preview = bulk.preview_list(db.session, actor=current_user, offering=offering,
                                        text=form.identifiers.data or "")
        key = _preview_key(form, preview)
        if form.confirm.data and form.confirm.data != key:
            form.form_errors.append(_("Listen har endret seg siden du så den. Se over den "
                                      "nye forhåndsvisningen og bekreft på nytt."))
        elif form.confirm.data == key and preview.people():
            result = bulk.enrol_many(db.session, actor=current_user, offering=offering,
                                     people=preview.people(), now=now)
            db.session.commit()
            flash(_("%(enrolled)s fikk plass, %(waitlisted)s står på venteliste.",
                    enrolled=result.enrolled, waitlisted=result.waitlisted), "success")
            for message in result.errors:
                flash(message, "danger")
            return redirect(_list_url(offering_id))
        if not preview.rows:
            form.form_errors.append(_("Lim inn minst én e-postadresse eller ett ansattnummer, "
                                      "eller velg nye ledere."))
    return render_template("enrolment/admin/bulk.html", offering=offering,
                           course=offering.course, form=form, preview=preview,
                           key=_preview_key(form, preview) if preview else None)


def _preview_key(form: BulkForm, preview: bulk.Preview) -> str:
    """Ties a confirmation to the preview the organiser saw: the list as typed and who
    would get a seat or a waitlist place. If either changed in between (the list was
    edited, someone became a new leader, the last seats went), the new preview is shown
    instead of enrolling anyone unseen."""
    people = ",".join(f"{row.user.id}:{row.outcome}" for row in preview.rows
                      if row.outcome in ("enrol", "waitlist"))
    text = "|".join((form.identifiers.data or "", str(bool(form.new_leaders.data)),
                     str(form.months.data or 12), people))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


HEADER = (_l("Navn"), _l("E-post"), _l("Ansattnummer"), _l("Enhet"), _l("Ledernivå"),
          _l("Status"), _l("Plass på venteliste"), _l("Tidspunkt for påmelding"), _l("Begrunnelse"))


def _export_rows(offering: Offering):
    for row in queries.participants(db.session, offering):
        yield (row.user.name, row.user.email, row.user.employee_number, row.unit_name,
               leader_level_label(row.user.leader_level),
               str(STATUS_LABELS[str(row.enrolment.status)]),
               row.position, row.enrolment.requested_at, row.enrolment.reason)


def _export(offering: Offering, kind: str) -> Response:
    # GET writes nothing (design.md), so the export is logged, not audited.
    log.info("participants export kind=%s actor=%s offering=%s", kind, current_user.id,
             offering.id)
    header = [str(h) for h in HEADER]
    name = f"deltakere-{offering.course.slug}-{offering.id}"
    if kind == "csv":
        body = exports.to_csv(header, _export_rows(offering))
        mimetype = "text/csv"
    else:
        body = exports.to_xlsx(header, _export_rows(offering), title=_("Deltakere"))
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'})


@bp.route("/tilbud/<int:offering_id>/deltakere.csv")
@permission(PERMISSION)
def export_csv(offering_id: int):
    return _export(_offering_or_404(offering_id), "csv")


@bp.route("/tilbud/<int:offering_id>/deltakere.xlsx")
@permission(PERMISSION)
def export_xlsx(offering_id: int):
    return _export(_offering_or_404(offering_id), "xlsx")


@bp.route("/tilbud/<int:offering_id>/epost", methods=["GET", "POST"])
@permission(PERMISSION)
def message(offering_id: int):
    offering = _offering_or_404(offering_id)
    form = MessageForm()
    if form.validate_on_submit():
        statuses = (EnrolmentStatus.ENROLLED,)
        if form.include_waitlisted.data:
            statuses += (EnrolmentStatus.WAITLISTED,)
        rows = queries.participants(db.session, offering, statuses)
        now = utcnow()
        for row in rows:
            mail.message_participant(db.session, enrolment=row.enrolment,
                                     subject=form.subject.data.strip(), body=form.body.data,
                                     sender_name=current_user.name, now=now)
        audit(db.session, actor=current_user, action="participants.messaged", obj=offering,
              recipients=len(rows), subject=form.subject.data.strip())
        db.session.commit()
        flash(_("Meldingen er lagt i utboksen til %(n)s personer.", n=len(rows)), "success")
        return redirect(_list_url(offering_id))
    return render_template("enrolment/admin/message.html", offering=offering,
                           course=offering.course, form=form,
                           counts=queries.status_counts(db.session, offering))

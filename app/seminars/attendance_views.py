"""The organiser's attendance screens (grid, walk-ins, QR projector, sign-in sheet) and the
participant's QR check-in page."""

from __future__ import annotations

import logging

import segno
import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.common.fragments import CSRF_SLOT, cached_fragment, csrf_field, fill_csrf
from app.common.numbers import whole_number
from app.common.translations import locale_code
from app.errors import ConflictError, DomainError
from app.extensions import db
from app.orm import utcnow
from app.security import AUTHENTICATED, PUBLIC, permission
from app.seminars import (
    checkin,
    checkin_tokens,
    documents,
    grid_html,
    queries,
    rules,
    services,
)
from app.seminars.documents import when
from app.seminars.forms import (
    CheckinForm,
    ConfirmForm,
    MarkForm,
    ParticipantForm,
    WalkInDecisionForm,
    WalkInForm,
)
from app.seminars.models import Attendance, AttendanceStatus
from app.seminars.views import STATUS_COLORS, STATUS_LABELS, bp, send_pdf, user

log = logging.getLogger(__name__)


def organised_session(session_id: int):
    course_session = queries.organised_session(db.session, user(), session_id)
    if course_session is None:
        abort(404)
    return course_session


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json"


def _participant_card(session_id: int, form: ParticipantForm | None) -> Markup:
    """The card for adding an external participant: kept per language and session while
    the form is empty (the CSRF token goes into its slot), drawn afresh with what was typed
    and its errors otherwise."""
    def render(form: ParticipantForm, csrf: Markup) -> Markup:
        template = current_app.jinja_env.get_template("seminars/_participant_form.html")
        return template.module.participant_card(form, session_id, csrf)

    if form is not None:
        return render(form, csrf_field())
    key = ("participant-card", locale_code(), request.script_root, session_id)
    return fill_csrf(cached_fragment(key, lambda: render(ParticipantForm(formdata=None),
                                                         csrf_field(CSRF_SLOT))))


def _grid(course_session, *, status: int = 200, participant_form=None, conflict=None):
    rows = queries.grid_rows(db.session, course_session)
    counts = rules.counts(r.status for r in rows)
    search = request.values.get("q", "").strip()
    shown = rows
    if search:
        needle = queries.search_key(search)
        shown = [r for r in rows if needle in r.search]
    people_query = request.args.get("finn", "").strip()
    found = queries.find_people(db.session, people_query) if people_query else []
    return render_template(
        "seminars/grid.html", course_session=course_session, offering=course_session.offering,
        rows=shown, all_count=len(rows), counts=counts, search=search, when=when(course_session),
        participant_html=_participant_card(course_session.id, participant_form),
        pending=queries.pending_walk_ins(db.session, course_session.offering_id),
        people_query=people_query, found=found, conflict=conflict,
        statuses=rules.STATUS_ORDER,
        rows_html=grid_html.render_rows(
            shown, statuses=[str(s) for s in rules.STATUS_ORDER], colors=STATUS_COLORS,
            labels=STATUS_LABELS, external_note=" · " + _("ekstern"),
            walk_in_note=" · " + _("walk-in"),
        ),
        checkin_open=rules.checkin_is_open(course_session.starts_at, course_session.ends_at,
                                           utcnow()),
    ), status


@bp.route("/samlinger/okter/<int:session_id>/oppmote")
@permission("seminars.organise")
def grid(session_id: int):
    return _grid(organised_session(session_id))


def _parse_mark(value: str):
    """"user:12:present:3" -> (PersonRef, status, seen version)."""
    parts = value.split(":")
    seen_version = whole_number(parts[3]) if len(parts) == 4 else None
    if seen_version is None:
        raise DomainError("bad_mark", _("Ugyldig registrering."), status=422)
    try:
        status = AttendanceStatus(parts[2])
    except ValueError:
        raise DomainError("bad_mark", _("Ugyldig registrering."), status=422) from None
    return services.PersonRef.parse(f"{parts[0]}:{parts[1]}"), status, seen_version


@bp.route("/samlinger/okter/<int:session_id>/oppmote", methods=["POST"])
@permission("seminars.organise")
def mark(session_id: int):
    course_session = organised_session(session_id)
    form = MarkForm()
    try:
        if not form.validate_on_submit():
            raise DomainError("bad_mark", _("Ugyldig registrering."), status=422)
        person, status, seen = _parse_mark(form.mark.data)
        row = services.mark(db.session, actor=user(), course_session=course_session,
                            person=person, status=status, seen_version=seen, now=utcnow())
    except ConflictError as error:
        db.session.rollback()
        if wants_json():
            return jsonify({"code": error.code, "message": str(error.message),
                            "current": error.detail["current"]}), 409
        return _grid(course_session, status=409, conflict=error)
    except DomainError as error:
        db.session.rollback()
        if wants_json():
            return jsonify({"code": error.code, "message": str(error.message)}), error.status
        flash(error.message, "danger")
        return redirect(url_for("seminars.grid", session_id=session_id))
    db.session.commit()
    if wants_json():
        return jsonify({"person": f"{person.kind}:{person.id}", "status": str(row.status),
                        "version": row.version})
    flash(_("Lagret."), "success")
    return redirect(url_for("seminars.grid", session_id=session_id, q=form.q.data or None)
                    + f"#p-{person.kind}-{person.id}")


@bp.route("/samlinger/okter/<int:session_id>/oppmote/resten-ikke-mott", methods=["POST"])
@permission("seminars.organise")
def rest_absent(session_id: int):
    course_session = organised_session(session_id)
    if ConfirmForm().validate_on_submit():
        n = services.mark_rest_absent(db.session, actor=user(), course_session=course_session,
                                      now=utcnow())
        db.session.commit()
        flash(_("%(n)s personer er registrert som ikke møtt.", n=n), "success")
    return redirect(url_for("seminars.grid", session_id=session_id))


@bp.route("/samlinger/okter/<int:session_id>/walk-in", methods=["POST"])
@permission("seminars.organise")
def add_walk_in(session_id: int):
    course_session = organised_session(session_id)
    form = WalkInForm()
    if form.validate_on_submit():
        try:
            services.add_walk_in(db.session, actor=user(), course_session=course_session,
                                 user_id=form.user_id.data, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("Personen er lagt til og registrert som til stede."), "success")
    return redirect(url_for("seminars.grid", session_id=session_id))


@bp.route("/samlinger/okter/<int:session_id>/ekstern", methods=["POST"])
@permission("seminars.organise")
def add_participant(session_id: int):
    course_session = organised_session(session_id)
    form = ParticipantForm()
    if not form.validate_on_submit():
        return _grid(course_session, status=422, participant_form=form)
    participant = services.add_participant(
        db.session, actor=user(), course_session=course_session, name=form.name.data,
        organisation_name=form.organisation_name.data, email=form.email.data, now=utcnow(),
    )
    db.session.commit()
    flash(_("%(name)s er lagt til og registrert som til stede.", name=participant.name),
          "success")
    return redirect(url_for("seminars.grid", session_id=session_id)
                    + f"#p-participant-{participant.id}")


@bp.route("/samlinger/okter/<int:session_id>/walk-in/<int:walk_in_id>", methods=["POST"])
@permission("seminars.organise")
def decide_walk_in(session_id: int, walk_in_id: int):
    course_session = organised_session(session_id)
    form = WalkInDecisionForm()
    if form.validate_on_submit():
        try:
            services.decide_walk_in(db.session, actor=user(), offering=course_session.offering,
                                    walk_in_id=walk_in_id,
                                    confirm=form.decision.data == "confirm", now=utcnow())
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("Bekreftet.") if form.decision.data == "confirm" else _("Avvist."),
                  "success")
    return redirect(url_for("seminars.grid", session_id=session_id))


def _closed_message(course_session, now) -> str:
    if now >= course_session.ends_at:
        return _("Innsjekkingen er stengt; økta er slutt.")
    opens = rules.checkin_opens_at(course_session.starts_at)
    if format_datetime(opens, "yyyy-MM-dd") == format_datetime(now, "yyyy-MM-dd"):
        return _("Innsjekkingen åpner kl. %(time)s.", time=format_datetime(opens, "HH:mm"))
    return _("Innsjekkingen åpner %(day)s kl. %(time)s.",
             day=format_datetime(opens, "EEEE d. MMMM"), time=format_datetime(opens, "HH:mm"))


def qr_state(course_session) -> dict:
    """What the projector shows now: the code, its address, and how many have checked in."""
    now = utcnow()
    token = checkin_tokens.make_token(current_app.config["SECRET_KEY"], course_session.id, now)
    url = current_app.config["KURS_BASE_URL"].rstrip("/") + url_for("seminars.checkin_page",
                                                                    token=token)
    checked_in = db.session.scalar(
        sa.select(sa.func.count()).select_from(Attendance)
        .where(Attendance.session_id == course_session.id,
               Attendance.status.in_(rules.ATTENDED))
    )
    is_open = rules.checkin_is_open(course_session.starts_at, course_session.ends_at, now)
    next_change = checkin_tokens.next_rotation(now)
    return {
        "token": token,
        "url": url,
        "open": is_open,
        "qr": segno.make(url, error="m").svg_data_uri(border=2) if is_open else None,
        "checked_in": checked_in,
        "opens_at": rules.checkin_opens_at(course_session.starts_at).isoformat(),
        "closes_at": course_session.ends_at.isoformat(),
        "next_change_in": max(1, int((next_change - now).total_seconds()) + 1),
        "message": _closed_message(course_session, now),
    }


@bp.route("/samlinger/okter/<int:session_id>/qr")
@permission("seminars.organise")
def projector(session_id: int):
    course_session = organised_session(session_id)
    return render_template("seminars/projector.html", course_session=course_session,
                           offering=course_session.offering, when=when(course_session),
                           state=qr_state(course_session))


@bp.route("/samlinger/okter/<int:session_id>/qr.json")
@permission("seminars.organise")
def projector_state(session_id: int):
    return jsonify(qr_state(organised_session(session_id)))


@bp.route("/samlinger/okter/<int:session_id>/signaturliste.pdf")
@permission("seminars.organise")
def signin_sheet(session_id: int):
    data = documents.signin_sheet_pdf(db.session, organised_session(session_id))
    return send_pdf(data, f"signaturliste-{session_id}.pdf")


# QR self check-in ------------------------------------------------------------------------

#: The HTML status of a refused scan: a forged code is "not found", an old one "gone".
SCAN_STATUS = {"checkin_token_invalid": 404, "checkin_token_expired": 410}


def _scan(token: str):
    return checkin.read(db.session, token=token, secret=current_app.config["SECRET_KEY"],
                        max_age=checkin_tokens.MAX_AGE, now=utcnow())


@bp.route("/checkin/<token>")
@permission(PUBLIC)
def checkin_page(token: str):
    try:
        scan = _scan(token)
    except DomainError as error:
        return render_template("seminars/checkin.html", error=error), SCAN_STATUS.get(
            error.code, error.status)
    state = None
    if current_user.is_authenticated:
        state = checkin.inspect(db.session, user=user(), scan=scan)
    return render_template("seminars/checkin.html", scan=scan, state=state,
                           course_session=scan.course_session, when=when(scan.course_session),
                           form=CheckinForm(), token=token)


@bp.route("/checkin/<token>", methods=["POST"])
@permission(AUTHENTICATED)
def checkin_confirm(token: str):
    form = CheckinForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        scan = _scan(token)
        result = checkin.check_in(db.session, user=user(), scan=scan, now=utcnow(),
                                  walk_in=form.walk_in.data == "1")
    except DomainError as error:
        db.session.rollback()
        return render_template("seminars/checkin.html", error=error), SCAN_STATUS.get(
            error.code, error.status)
    db.session.commit()
    return render_template("seminars/checkin.html", scan=scan, result=result,
                           course_session=scan.course_session, when=when(scan.course_session))

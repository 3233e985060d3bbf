"""Seminar pages under /samlinger: the list of gatherings, a gathering's programme, the
registration questions and answers, and the participant network.

The attendance screens are in ``attendance_views``, the reports in ``report_views``; all
register on this blueprint.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import format_date, to_user_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from app.accounts.models import Unit, User
from app.enrolment.models import CourseSession, Enrolment, Offering
from app.enrolment.rules import enrol_window
from app.errors import DomainError
from app.extensions import db
from app.orm import utcnow
from app.security import AUTHENTICATED, permission
from app.seminars import fragments, pdf, queries, registration
from app.seminars.documents import seminar_title
from app.seminars.forms import AnswersForm, ConfirmForm, NetworkForm, QuestionsForm
from app.seminars.models import NetworkEntry
from app.toolbox.queries import registered_projects_led_by, templates_for_sessions

bp = Blueprint("seminars", __name__, template_folder="templates")

STATUS_LABELS = {
    "present": _l("Til stede"),
    "late": _l("For sent"),
    "excused": _l("Gyldig fravær"),
    "absent": _l("Ikke møtt"),
}
#: designsystemet colours of the statuses (a pressed button is filled, not only coloured).
STATUS_COLORS = {"present": "success", "late": "warning", "excused": "info",
                 "absent": "danger"}


@bp.context_processor
def seminar_helpers():
    return {
        "status_label": lambda s: STATUS_LABELS.get(str(s), "") if s else "",
        "status_color": lambda s: STATUS_COLORS.get(str(s), "neutral"),
    }


def user() -> User:
    return current_user._get_current_object()


def by_day(sessions) -> list[tuple[date, list[CourseSession]]]:
    """Sessions grouped by their date in Europe/Oslo, in order."""
    days: dict = defaultdict(list)
    for s in sessions:
        days[to_user_timezone(s.starts_at).date()].append(s)
    return sorted(days.items())


def visible_offering(offering_id: int) -> Offering:
    """A seminar the person may see, with its course, or 404."""
    offering = queries.visible_seminar(db.session, user(), offering_id)
    if offering is None:
        abort(404)
    return offering


def organised_offering(offering_id: int) -> Offering:
    offering = queries.organised_offering(db.session, user(), offering_id)
    if offering is None:
        abort(404)
    return offering


def period(offering: Offering, sessions) -> str:
    starts = [s.starts_at for s in sessions] or [offering.starts_at]
    ends = [s.ends_at for s in sessions] or [offering.ends_at]
    if not starts[0]:
        return ""
    first, last = format_date(min(starts), "long"), format_date(max(e for e in ends if e), "long")
    return first if first == last else f"{first} – {last}"


@bp.route("/samlinger")
@permission(AUTHENTICATED)
def index():
    me = user()
    session_count = (sa.select(sa.func.count(CourseSession.id))
                     .where(CourseSession.offering_id == Offering.id).scalar_subquery())
    my_status = (sa.select(Enrolment.status)
                 .where(Enrolment.offering_id == Offering.id, Enrolment.user_id == me.id)
                 .scalar_subquery())
    rows = db.session.execute(
        sa.select(Offering, session_count, my_status)
        .join(Offering.course)
        .options(contains_eager(Offering.course))
        .where(queries.visible_seminars_condition(me))
        .order_by(Offering.starts_at.desc().nulls_last(), Offering.id.desc())
        .limit(200)
    ).all()
    now = utcnow()
    upcoming, past = [], []
    for row in rows:
        (upcoming if row[0].ends_at is None or row[0].ends_at >= now else past).append(row)
    # Upcoming soonest first; past most recent first.
    return render_template("seminars/index.html", upcoming=upcoming[::-1], past=past,
                           organiser_orgs=queries.organiser_org_ids(me))


@bp.route("/samlinger/<int:offering_id>")
@permission(AUTHENTICATED)
def programme(offering_id: int):
    return _programme_page(_programme_head(offering_id))


def _programme_head(offering_id: int) -> queries.ProgrammeHead:
    head = queries.programme_head(db.session, user(), offering_id)
    if head is None:
        abort(404)
    return head


def _programme_page(head: queries.ProgrammeHead, *, answers_form: AnswersForm | None = None,
                    status: int = 200):
    me, offering, enrolment, questions = user(), head.offering, head.enrolment, head.questions
    sessions = list(db.session.scalars(queries.PROGRAMME_SESSIONS,
                                       {"offering_id": offering.id}))
    if questions is None or questions.purged_at is not None or enrolment is None:
        answers_form = None
    elif answers_form is None:
        answers_form = AnswersForm(obj=head.answer)
    if answers_form is not None:
        answers_form.free_text.label.text = questions.free_text_label or ""
    now = utcnow()
    is_organiser = queries.organises(me, offering)
    templates = templates_for_sessions(db.session, [s.id for s in sessions], viewer=me)
    return render_template(
        "seminars/programme.html", offering=offering,
        programme_html=fragments.programme_fragment(by_day(sessions), templates, is_organiser),
        sessions=sessions, period=period(offering, sessions), enrolment=enrolment,
        questions=questions, answers_form=answers_form,
        window=enrol_window(status=offering.status, opens_at=offering.enrol_opens_at,
                            closes_at=offering.enrol_closes_at, starts_at=offering.starts_at,
                            now=now),
        is_organiser=is_organiser, now=now,
    ), status


@bp.route("/samlinger/<int:offering_id>/mine-svar", methods=["POST"])
@permission(AUTHENTICATED)
def save_answers(offering_id: int):
    head = _programme_head(offering_id)
    offering = head.offering
    form = AnswersForm()
    if not form.validate_on_submit():
        # Shown again with what was typed, and what to correct.
        return _programme_page(head, answers_form=form, status=422)
    try:
        registration.save_answers(db.session, user=user(), offering=offering,
                                  diet=form.diet.data, accessibility=form.accessibility.data,
                                  free_text=form.free_text.data, now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("Svarene dine er lagret. Bare arrangørene ser dem."), "success")
    return redirect(url_for("seminars.programme", offering_id=offering.id) + "#svar")


@bp.route("/samlinger/<int:offering_id>/sporsmal", methods=["GET", "POST"])
@permission("seminars.organise")
def questions(offering_id: int):
    offering = organised_offering(offering_id)
    current = registration.questions_for(db.session, offering)
    form = QuestionsForm(obj=current)
    if form.validate_on_submit():
        registration.save_questions(
            db.session, actor=user(), offering=offering, ask_diet=form.ask_diet.data,
            ask_accessibility=form.ask_accessibility.data,
            free_text_label=form.free_text_label.data,
            retention_days=form.retention_days.data, now=utcnow(),
        )
        db.session.commit()
        flash(_("Spørsmålene er lagret."), "success")
        return redirect(url_for("seminars.questions", offering_id=offering.id))
    now = utcnow()
    purge_on, answers = registration.readable_answers(db.session, offering, current, now=now)
    return render_template("seminars/questions.html", offering=offering, form=form,
                           questions=current, answers=answers, purge_on=purge_on,
                           expired=purge_on is not None and purge_on <= now), (
        422 if form.errors else 200)


@bp.route("/samlinger/<int:offering_id>/tilrettelegging.pdf")
@permission("seminars.organise")
def needs_pdf(offering_id: int):
    offering = organised_offering(offering_id)
    current = registration.questions_for(db.session, offering)
    if current is None:
        abort(404)
    labels, keys = [], []
    for asked, label, key in ((current.ask_diet, _("Kosthold og allergier"), "diet"),
                              (current.ask_accessibility, _("Tilrettelegging"), "accessibility"),
                              (current.free_text_label, current.free_text_label, "free_text")):
        if asked:
            labels.append(label)
            keys.append(key)
    _expires_at, answers = registration.readable_answers(db.session, offering, current,
                                                         now=utcnow())
    rows = sorted(
        (pdf.NeedsRow(name, unit or "", [getattr(answer, k) for k in keys])
         for answer, name, unit in answers),
        key=lambda r: queries.name_key(r.name),
    )
    sessions = offering_sessions(offering)
    data = pdf.needs_list(seminar=seminar_title(offering), period=period(offering, sessions),
                          questions=labels, rows=rows)
    return send_pdf(data, f"tilrettelegging-{offering.id}.pdf")


def offering_sessions(offering: Offering) -> list[CourseSession]:
    return list(db.session.scalars(
        sa.select(CourseSession).where(CourseSession.offering_id == offering.id)
        .order_by(CourseSession.starts_at, CourseSession.id)
    ))


def send_pdf(data: bytes, name: str):
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=False,
                     download_name=name)


@bp.route("/samlinger/<int:offering_id>/nettverk")
@permission(AUTHENTICATED)
def network(offering_id: int):
    return _network_page(visible_offering(offering_id))


def _network_page(offering: Offering, *, form: NetworkForm | None = None, status: int = 200):
    me = user()
    on_list = queries.is_on_roster(db.session, offering.id, me.id)
    if not (on_list or queries.organises(me, offering)):
        abort(404)
    entries = db.session.execute(
        sa.select(NetworkEntry, User, Unit.name)
        .join(User, NetworkEntry.user_id == User.id)
        .outerjoin(Unit, User.unit_id == Unit.id)
        .where(NetworkEntry.offering_id == offering.id, User.active.is_(True))
        .order_by(User.name, User.id)
    ).all()
    led = registered_projects_led_by(db.session, me, [u.id for _e, u, _unit in entries])
    mine = next((e for e, u, _unit in entries if u.id == me.id), None)
    if form is None:
        form = NetworkForm(obj=mine)
        form.consent.data = mine is not None
    return render_template("seminars/network.html", offering=offering, entries=entries,
                           led=led, mine=mine, form=form, leave_form=ConfirmForm(),
                           can_join=on_list), status


@bp.route("/samlinger/<int:offering_id>/nettverk", methods=["POST"])
@permission(AUTHENTICATED)
def join_network(offering_id: int):
    offering = visible_offering(offering_id)
    form = NetworkForm()
    if not form.validate_on_submit():
        return _network_page(offering, form=form, status=422)
    try:
        registration.join_network(db.session, user=user(), offering=offering,
                                  projects=form.projects.data, phone=form.phone.data,
                                  now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("Du står nå i deltakernettverket for denne samlingen."), "success")
    return redirect(url_for("seminars.network", offering_id=offering.id))


@bp.route("/samlinger/<int:offering_id>/nettverk/trekk", methods=["POST"])
@permission(AUTHENTICATED)
def leave_network(offering_id: int):
    offering = visible_offering(offering_id)
    if ConfirmForm().validate_on_submit():
        registration.leave_network(db.session, user=user(), offering=offering, now=utcnow())
        db.session.commit()
        flash(_("Du er fjernet fra deltakernettverket."), "success")
    return redirect(url_for("seminars.network", offering_id=offering.id))


# The other screens register their routes on ``bp``.
from app.seminars import attendance_views, report_views  # noqa: E402,F401

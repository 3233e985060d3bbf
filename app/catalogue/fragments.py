"""Cached markup of catalogue rows: an offering as one person sees it, and a course card's
head. Each is a pure function of the values it shows (the offering's fields, the person's
status and waitlist place, whether enrolment is open, the return path, the language), so
the key holds all of them and a change of any (a seat taken, a new title) is a new key:
nothing needs invalidating, and nobody is shown a fragment made from someone else's
values. The CSRF token is never cached; it is put into the slot on every request.
"""

from __future__ import annotations

from flask import current_app, request
from markupsafe import Markup

from app.common.fragments import CSRF_SLOT, cached_fragment, fill_csrf
from app.common.translations import locale_code
from app.enrolment import rules as enrol_rules


def _macro(name: str):
    template = current_app.jinja_env.get_template("catalogue/_offering.html")
    return getattr(template.module, name)


def offering_items(rows, now, next_path: str, my_org: int, heading_level: int = 3,
                   show_sessions: bool = False) -> Markup:
    """The ``<li>`` of each offering row, one after the other, with this request's CSRF
    token put in once for all of them (a course page may list dozens)."""
    return fill_csrf(Markup("\n").join(
        offering_fragment(row, now, next_path, my_org, heading_level, show_sessions)
        for row in rows))


def offering_fragment(row, now, next_path: str, my_org: int, heading_level: int = 3,
                      show_sessions: bool = False) -> Markup:
    """One offering row as kept markup, the CSRF token still in its slot."""
    offering = row.offering
    window = enrol_rules.enrol_window(
        status=offering.status, opens_at=offering.enrol_opens_at,
        closes_at=offering.enrol_closes_at, starts_at=offering.starts_at, now=now)
    other_org = offering.organisation_id != my_org
    sessions = (tuple((s.starts_at, s.ends_at, s.title, s.room) for s in row.sessions)
                if show_sessions else ())
    key = ("offering", locale_code(), request.script_root, heading_level,
           tuple(offering.__dict__.values()), other_org, row.my_status, row.my_position,
           window, next_path, sessions)
    return cached_fragment(key, lambda: _macro("offering_body")(
        row, window, next_path, other_org, CSRF_SLOT, heading_level, show_sessions))


def course_card_head(row) -> Markup:
    """The tags, title and summary of a catalogue card."""
    course = row.course
    key = ("course-card", locale_code(), request.script_root, course.id, course.slug,
           course.title, course.summary, course.kind, tuple(course.audiences),
           row.mandatory, row.for_me)

    def render() -> str:
        template = current_app.jinja_env.get_template("catalogue/_card.html")
        return template.module.card_head(row)

    return cached_fragment(key, render)


def filter_form(form, organisers: list[tuple[int, str]], filtered: bool,
                filtered_more: bool) -> Markup:
    """The search form with the person's query filled in and its errors shown: a function
    of the query string, the organisers on offer and the language alone (no token: it is
    a GET form)."""
    key = ("filters", locale_code(), request.script_root, tuple(organisers),
           tuple(request.args.items(multi=True)), filtered, filtered_more)

    def render() -> Markup:
        selects = [(name, getattr(form, name).label.text,
                    [(c.value, str(c.label)) for c in getattr(form, name).choices])
                   for name in ("audience", "format", "organiser", "language")]
        template = current_app.jinja_env.get_template("catalogue/_filters.html")
        return template.module.filter_form(form, selects, filtered, filtered_more)

    return cached_fragment(key, render)

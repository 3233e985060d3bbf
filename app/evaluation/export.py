"""The tables of the evaluation results export: aggregates only, never one person's
answers. ``results_views`` writes them as CSV or XLSX through ``app.common.spreadsheet``.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from app.catalogue.models import Course
from app.evaluation.aggregates import first_results, follow_up_results
from app.evaluation.models import EvaluationKind
from app.evaluation.queries import answer_rows
from app.evaluation.reports import organisation_condition
from app.evaluation.scope import full_condition


def result_tables(session, user, *, period, organisation_id=None, course_id=None):
    """[(sheet title, headers, rows)]: courses, offerings, comments. Every figure obeys the
    anonymity rule (``aggregates``); an offering under the threshold shows its counts only.
    """
    condition = sa.and_(full_condition(user), organisation_condition(organisation_id))
    if course_id is not None:
        condition = sa.and_(condition, Course.id == course_id)
    first = answer_rows(session, kind=EvaluationKind.FIRST, condition=condition, period=period)
    follow = answer_rows(session, kind=EvaluationKind.FOLLOW_UP, condition=condition, period=period)
    courses = {**first.courses, **follow.courses}
    offering_titles = {**first.offerings, **follow.offerings}

    def grouped(rows, key):
        groups: dict = {}
        for r in rows:
            groups.setdefault(key(r), []).append(r)
        return groups

    headers = [
        _("Svar"),
        _("Svar ikke tatt med (under fem per gjennomføring)"),
        _("Relevans (1–5)"),
        _("Nytte (1–5)"),
        _("Undervisning (1–5)"),
        _("Anbefaling, NPS (−100 til 100)"),
        _("Oppfølging: svar"),
        _("Oppfølging: ja"),
        _("Oppfølging: delvis"),
        _("Oppfølging: nei"),
    ]

    def figures_of(first_rows, follow_rows):
        a, b = first_results(first_rows), follow_up_results(follow_rows)
        s, f = a.summary, b.summary
        return [
            s.n if s else 0,
            a.split.withheld,
            round(s.means["relevance"].value, 2) if s else None,
            round(s.means["usefulness"].value, 2) if s else None,
            round(s.means["teaching"].value, 2) if s else None,
            s.nps.score if s else None,
            f.n if f else 0,
            f.counts["yes"] if f else None,
            f.counts["partly"] if f else None,
            f.counts["no"] if f else None,
        ]

    f_course, u_course = (
        grouped(first.rows, lambda r: r.course),
        grouped(follow.rows, lambda r: r.course),
    )
    course_rows = [
        [courses[c].title, *figures_of(f_course.get(c, []), u_course.get(c, []))]
        for c in sorted(courses, key=lambda c: courses[c].title.casefold())
    ]
    f_off, u_off = grouped(first.rows, lambda r: r.group), grouped(follow.rows, lambda r: r.group)
    offering_course = {r.group: r.course for r in [*first.rows, *follow.rows]}
    offering_month = {r.group: r.period for r in [*first.rows, *follow.rows]}
    offering_rows = [
        [
            courses[offering_course[o]].title,
            offering_titles[o],
            offering_month[o].strftime("%Y-%m"),
            *figures_of(f_off.get(o, []), u_off.get(o, [])),
        ]
        for o in sorted(
            offering_titles, key=lambda o: (courses[offering_course[o]].title, offering_month[o], o)
        )
    ]
    comment_rows = []
    for c in sorted(courses, key=lambda c: courses[c].title.casefold()):
        for text in first_results(f_course.get(c, [])).comments:
            comment_rows.append([courses[c].title, _("Første evaluering"), text])
        for text in follow_up_results(u_course.get(c, [])).comments:
            comment_rows.append([courses[c].title, _("Oppfølging"), text])
    return [
        (_("Kurs"), [_("Kurs"), *headers], course_rows),
        (
            _("Gjennomføringer"),
            [_("Kurs"), _("Gjennomføring"), _("Måned"), *headers],
            offering_rows,
        ),
        (_("Kommentarer"), [_("Kurs"), _("Evaluering"), _("Kommentar")], comment_rows),
    ]

"""A seminar's programme as cached markup. It is a pure function of the values it shows
(each session's fields, the toolbox templates the person may open in each, whether they
organise the seminar, the language), so the key holds all of them: a changed room or a new
template is a new key, nothing needs invalidating, and nobody is shown a programme made
from values they may not see. It holds no form and so no CSRF token.
"""

from __future__ import annotations

from flask import current_app, request
from markupsafe import Markup

from app.common.fragments import cached_fragment
from app.common.translations import locale_code


def programme_fragment(days, templates: dict, is_organiser: bool) -> Markup:
    """``days``: (date, sessions) in order, as ``views.by_day`` groups them; ``templates``:
    session id -> the toolbox items shown for it."""
    key = ("seminar-programme", locale_code(), request.script_root, bool(is_organiser),
           tuple((day, tuple((s.id, s.starts_at, s.ends_at, s.title, s.mandatory, s.room,
                              s.speaker, s.online_url, s.description) for s in sessions))
                 for day, sessions in days),
           tuple((session_id, tuple((item.id, item.title) for item in items))
                 for session_id, items in sorted(templates.items())))

    def render() -> Markup:
        template = current_app.jinja_env.get_template("seminars/_programme.html")
        return template.module.programme(days, templates, is_organiser)

    return cached_fragment(key, render)

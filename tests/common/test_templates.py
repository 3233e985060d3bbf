"""Checks over every template of the app."""

from __future__ import annotations

from jinja2 import nodes


def test_no_page_title_holds_markup(app):
    """The title block becomes the browser tab's text (``<title>``): markup there shows
    as literal tags in the tab and in screen readers' page announcements."""
    env = app.jinja_env
    offenders = []
    for name in env.list_templates(extensions=["html"]):
        source = env.loader.get_source(env, name)[0]
        for block in env.parse(source).find_all(nodes.Block):
            if block.name == "title" and any(
                    "<" in data.data for data in block.find_all(nodes.TemplateData)):
                offenders.append(name)
    assert offenders == []

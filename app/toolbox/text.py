"""Markdown from editors (template descriptions and reading lists), rendered safely:
CommonMark without raw HTML, then sanitised with nh3, links limited to http(s) and mailto."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_TAGS = {"p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "a", "blockquote",
         "h3", "h4", "table", "thead", "tbody", "tr", "th", "td"}


def render_markdown(text: str | None) -> Markup:
    html = _md.render(text or "")
    # Headings inside a page's own sections start at level 3, so that h1/h2 stay the page's.
    for level in (1, 2):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    clean = nh3.clean(html, tags=_TAGS, attributes={"a": {"href", "title"}},
                      url_schemes={"http", "https", "mailto"})
    return Markup(clean)  # noqa: S704 (sanitised by nh3 just above)  # nosec B704

"""Course text: CommonMark without raw HTML (markdown-it-py), then sanitised by nh3.

Two layers on purpose: markdown-it escapes any HTML an author types, and nh3 removes what
could still be dangerous in the output (``javascript:`` links, event attributes). The
result is cached by text, so a course page does not re-render the same modules on every
request.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"style"}, "td": {"style"}, "ol": {"start"}}


@lru_cache(maxsize=1024)
def _render(text: str) -> str:
    html = _md.render(text)
    # A module's own headings sit below the page's h1; shift them one level down.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def render_markdown(text: str | None) -> Markup:
    """Safe HTML for a course text."""
    if not text:
        return Markup("")
    return Markup(_render(text))  # noqa: S704 (sanitised by nh3 above)  # nosec B704

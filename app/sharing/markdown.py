"""Course text: CommonMark rendered by markdown-it-py with raw HTML disabled, then
sanitised by nh3 (links get rel="noopener noreferrer"; only http, https and mailto)."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> Markup:
    html = _renderer.render(text or "")
    return Markup(nh3.clean(html, url_schemes=_SCHEMES, link_rel="noopener noreferrer"))  # noqa: S704 (nh3-sanitised)  # nosec B704

"""Course texts are Markdown without raw HTML, sanitised: what an author types can never
run in a reader's browser."""

from __future__ import annotations

from app.catalogue.markdown import render_markdown


def test_markdown_renders_headings_lists_tables_and_links():
    html = str(render_markdown("# Tittel\n\n- **en**\n- to\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                               "[DFØ](https://dfo.no)"))
    assert "<h2>Tittel</h2>" in html  # a module's own h1 sits below the page's
    assert "<strong>en</strong>" in html and "<table>" in html
    assert '<a href="https://dfo.no" rel="noopener noreferrer">DFØ</a>' in html


def test_raw_html_scripts_and_javascript_links_are_neutralised():
    html = str(render_markdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n'
                               "[klikk](javascript:alert(3))"))
    # The tags arrive as text (escaped), never as elements, and the link is not a link.
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "<a " not in html


def test_empty_text_renders_nothing():
    assert str(render_markdown(None)) == "" and str(render_markdown("")) == ""

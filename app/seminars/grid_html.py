"""The rows of the attendance grid, rendered in Python.

A session of 200 people has 800 status buttons. Through Jinja each row costs dozens of
expression evaluations and escapes, which made the grid several times slower than any other
page (design.md §9, H2: ≥ 0.12 × a bare hello). Here each row is one format string, and only
the people's own text (name, unit, search key) is escaped; everything else is ids, statuses
and markup made once per page. ``grid.html`` places the result; tests and axe check it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from flask import current_app
from markupsafe import Markup

from app.seminars.queries import GridRow

_ROW = (
    '<li class="attendance-row" id="p-{pid}" data-person="{key}" data-name="{search}" '
    'data-status="{status}" data-version="{version}">'
    '<div class="attendance-row__who"><span class="attendance-row__name" id="n-{pid}">{name}'
    '</span> <span class="attendance-row__detail">{detail}{note}</span></div>'
    '<div class="attendance-row__marks" role="group" aria-labelledby="n-{pid}">{buttons}</div>'
    "</li>\n"
)
_BUTTON = ('<button class="ds-button" type="submit" name="mark" value="{key}:{status}:{version}" '
           'data-status="{status}" data-color="{color}" data-size="sm" '
           'data-variant="{variant}" aria-pressed="{pressed}">{label}</button>')


def _button_blocks(statuses: Sequence[str], colors: dict[str, str],
                   labels: dict[str, str]) -> dict[str, str]:
    """The four buttons of a row for each possible current status ("" when unmarked), with
    only the person's key and version left to fill in."""
    blocks = {}
    for current in ("", *statuses):
        blocks[current] = "".join(
            _BUTTON.format(key="{key}", status=s, version="{version}", color=colors[s],
                           variant="primary" if s == current else "secondary",
                           pressed="true" if s == current else "false",
                           label=escape(str(labels[s])).replace("{", "{{").replace("}", "}}"))
            for s in statuses
        )
    return blocks


#: Rendered rows kept per worker, up to this many characters before starting over (one
#: row is about 1,200; a gathering of 200 about 240,000).
MAX_KEPT_CHARS = 4_000_000


def render_rows(rows: Sequence[GridRow], *, statuses: Sequence[str], colors: dict[str, str],
                labels: dict[str, str], external_note: str, walk_in_note: str) -> Markup:
    """Each row is kept, keyed by every value it shows, so that a page of 200 only formats
    the rows that changed since (a mark, a new name); the key holds the labels' language."""
    kept = current_app.extensions.setdefault("kurs_grid_rows", {"chars": 0})
    shared = (tuple(statuses), tuple(str(labels[s]) for s in statuses),
              tuple(colors[s] for s in statuses), str(external_note), str(walk_in_note))
    entry = kept.get(shared)
    if entry is None:
        notes = {"participant": escape(shared[3]), "walk_in": escape(shared[4]), "": ""}
        entry = kept[shared] = (_button_blocks(statuses, colors, labels), notes, {})
    blocks, notes, done = entry
    parts = []
    for row in rows:
        status = str(row.status) if row.status else ""
        note = "participant" if row.kind == "participant" else ("walk_in" if row.walk_in else "")
        key = (row.kind, row.id, row.name, row.detail, row.search, status, row.version, note)
        html = done.get(key)
        if html is None:
            html = _ROW.format(
                pid=f"{row.kind}-{row.id}", key=row.key, search=escape(row.search),
                status=status, version=row.version, name=escape(row.name),
                detail=escape(row.detail), note=notes[note],
                buttons=blocks[status].format(key=row.key, version=row.version),
            )
            kept["chars"] += len(html)
            if kept["chars"] > MAX_KEPT_CHARS:  # start over, in every language
                kept.clear()
                done.clear()
                kept.update({"chars": len(html), shared: entry})
            done[key] = html
        parts.append(html)
    return Markup("".join(parts))  # noqa: S704 (people's text escaped above)  # nosec B704

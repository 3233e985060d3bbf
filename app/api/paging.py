"""Pages of API lists as design.md promises: ``page`` and ``per_page`` in the query
(default 50, at most 500), the metadata in an ``X-Pagination`` header in flask-smorest's
shape. (flask-smorest's own ``paginate()`` names the size ``page_size``, so it is not used.)
"""

from __future__ import annotations

import json
import math

from marshmallow import Schema, validate

from app.common import numbers

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500


class PageArgsSchema(Schema):
    """The paging arguments; list endpoints with filters extend it."""

    page = numbers.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = numbers.Integer(load_default=DEFAULT_PER_PAGE,
                               validate=validate.Range(min=1, max=MAX_PER_PAGE))


def first_item(args: dict) -> int:
    """The offset of the page's first row."""
    return (args["page"] - 1) * args["per_page"]


def pagination_headers(total: int, args: dict) -> dict[str, str]:
    """The ``X-Pagination`` header for page ``args["page"]`` of ``total`` rows."""
    page, pages = args["page"], max(1, math.ceil(total / args["per_page"]))
    meta = {"total": total, "total_pages": pages, "first_page": 1, "last_page": pages,
            "page": page}
    if page > 1:
        meta["previous_page"] = page - 1
    if page < pages:
        meta["next_page"] = page + 1
    return {"X-Pagination": json.dumps(meta)}

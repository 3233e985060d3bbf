"""Whole numbers from outside (a URL, a query string, a form, a JSON body), kept within
what the database's INTEGER columns hold.

A larger number names nothing that exists, but the database does not answer "nothing"
for it: SQLite refuses a parameter beyond 64 bits (``OverflowError``), PostgreSQL one
beyond the column's 32 bits ("integer out of range"), both as an error of the request.
So every number that reaches a query is read here first, and one out of range is what
it is: an id that is not found, or an invalid value.
"""

from __future__ import annotations

import re

from marshmallow import fields, validate
from werkzeug.routing import IntegerConverter

#: The largest value of an INTEGER column on PostgreSQL (four bytes; SQLite holds eight).
INTEGER_MAX = 2**31 - 1
INTEGER_MIN = -(2**31)

_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")


def whole_number(value: object) -> int | None:
    """``value`` as a number of ASCII digits (or an int) that an INTEGER column can hold,
    else None. (``str.isdigit`` is no test: it is true of "²", which ``int`` refuses.)"""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _ASCII_DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if INTEGER_MIN <= number <= INTEGER_MAX else None


class IdConverter(IntegerConverter):
    """``<int:…>`` of every route: a number beyond the INTEGER range matches no route, so
    it is answered 404 like any other id that does not exist."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits, min, INTEGER_MAX if max is None else max, signed)


def id_converter_schema(converter: IdConverter) -> dict:
    """The OpenAPI schema of a path number (flask-smorest's converter mapping)."""
    schema = {"type": "integer", "maximum": converter.max}
    if not converter.signed:
        schema["minimum"] = 0
    return schema


class Integer(fields.Integer):
    """marshmallow's Integer, refusing (422) a number an INTEGER column cannot hold; its
    bounds are in the OpenAPI document. For every integer the API reads."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators.insert(0, validate.Range(min=INTEGER_MIN, max=INTEGER_MAX))

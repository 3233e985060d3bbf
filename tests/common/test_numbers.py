"""Numbers from outside are read within what the database's INTEGER columns hold."""

from __future__ import annotations

import pytest
from marshmallow import Schema, ValidationError

from app.common.numbers import INTEGER_MAX, INTEGER_MIN, Integer, whole_number


@pytest.mark.parametrize(("text", "number"), [
    ("0", 0), ("7", 7), ("0042", 42), (str(INTEGER_MAX), INTEGER_MAX), (12, 12),
    (INTEGER_MIN, INTEGER_MIN),
])
def test_a_whole_number_the_database_holds_is_read(text, number):
    assert whole_number(text) == number


@pytest.mark.parametrize("text", [
    str(INTEGER_MAX + 1), "9" * 25, INTEGER_MAX + 1, "²", "١٢", "-3", "+3", " 3", "3 ", "",
    "3.0", "0x10", None, True, 3.0,
])
def test_anything_else_is_no_number(text):
    assert whole_number(text) is None


class _Body(Schema):
    count = Integer()
    strict = Integer(strict=True)


def test_the_api_integer_refuses_what_the_database_cannot_hold():
    assert _Body().load({"count": "12", "strict": INTEGER_MAX}) == {"count": 12,
                                                                    "strict": INTEGER_MAX}
    with pytest.raises(ValidationError) as refused:
        _Body().load({"count": str(10**25), "strict": INTEGER_MIN - 1})
    assert set(refused.value.messages) == {"count", "strict"}


def test_the_api_document_gives_every_path_number_its_bounds(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    parameters = [p for item in paths.values() for operation in item.values()
                  if isinstance(operation, dict) for p in operation.get("parameters", [])]
    parameters += [p for item in paths.values() for p in item.get("parameters", [])]
    numbers = [p for p in parameters if p.get("in") == "path"
               and p["schema"].get("type") == "integer"]
    assert numbers, "the API has numbered paths"
    assert all(p["schema"]["maximum"] == INTEGER_MAX for p in numbers)

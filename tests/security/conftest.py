"""One populated database per test module: the two organisations of tests.security.world."""

from __future__ import annotations

import pytest

from tests.security.harness import shared_worlds


@pytest.fixture(scope="module")
def shared(app):
    with shared_worlds(app) as shared:
        yield shared

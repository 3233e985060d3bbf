"""Fixtures for the sharing tests: a blob store of the test's own, and packages on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.sharing.storage import BlobStore

KURS = Path(__file__).resolve().parents[2] / "kurs"


@pytest.fixture
def store(tmp_path) -> BlobStore:
    return BlobStore(tmp_path / "storage")

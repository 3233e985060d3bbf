"""Uploaded HR files are kept by their hash, read back only when the hash matches, and
removed after use or when old."""

from __future__ import annotations

import os
import time

from app.accounts import hr_files


def test_a_stored_file_is_found_by_its_hash_and_only_in_its_organisation(tmp_path):
    digest = hr_files.store(tmp_path, 1, b"ansattnummer;navn\n")
    assert digest == hr_files.file_hash(b"ansattnummer;navn\n")
    assert hr_files.load(tmp_path, 1, digest) == b"ansattnummer;navn\n"
    assert hr_files.load(tmp_path, 2, digest) is None
    assert hr_files.load(tmp_path, 1, "../../etc/passwd") is None
    assert hr_files.load(tmp_path, 1, "0" * 64) is None


def test_a_file_changed_on_disk_is_not_used(tmp_path):
    digest = hr_files.store(tmp_path, 1, b"original")
    (tmp_path / "hr-import" / "1" / f"{digest}.csv").write_bytes(b"tampered")
    assert hr_files.load(tmp_path, 1, digest) is None


def test_files_are_removed_after_use_and_old_previews_are_pruned(tmp_path):
    used = hr_files.store(tmp_path, 1, b"used")
    hr_files.remove(tmp_path, 1, used)
    assert hr_files.load(tmp_path, 1, used) is None
    old = hr_files.store(tmp_path, 1, b"old")
    path = tmp_path / "hr-import" / "1" / f"{old}.csv"
    long_ago = time.time() - hr_files.MAX_AGE_SECONDS - 60
    os.utime(path, (long_ago, long_ago))
    fresh = hr_files.store(tmp_path, 1, b"fresh")
    assert hr_files.load(tmp_path, 1, old) is None
    assert hr_files.load(tmp_path, 1, fresh) == b"fresh"

"""What a web worker loads when it starts: libraries that only a few requests or commands
use are loaded by the first of them, so that each worker stays small (design.md §9, M1)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Loaded by the first XLSX download or spreadsheet build (openpyxl, about 10 MB with its
#: XML libraries), by the first single sign-on client (Authlib), and by ``flask db …`` or
#: an in-process migration (Flask-Migrate, with Alembic and Mako about 11 MB).
LOADED_ON_USE = ("openpyxl", "authlib", "flask_migrate", "alembic", "mako")


def test_a_started_app_has_not_loaded_what_only_some_requests_use(tmp_path):
    script = (
        "import sys\n"
        "from app import create_app\n"
        "from config import TestConfig\n"
        "create_app(TestConfig)\n"
        f"print(sorted(m for m in {LOADED_ON_USE!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, check=True,
                            env={"PATH": "/usr/bin:/bin", "KURS_STORAGE_DIR": str(tmp_path),
                                 "PYTHONPATH": str(ROOT)})
    assert result.stdout.strip().splitlines()[-1] == "[]"

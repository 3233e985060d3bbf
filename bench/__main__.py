"""``python -m bench`` (``make bench``): every benchmark module, one after the other.

Each runs in its own process so that one's servers and memory never disturb the next.
"""

from __future__ import annotations

import subprocess
import sys

MODULES = ["bench.pages", "bench.seminars", "bench.certificates", "bench.soak"]


def main() -> int:
    failed = []
    for module in MODULES:
        print(f"\n### {module}", flush=True)
        if subprocess.run([sys.executable, "-m", module], check=False).returncode != 0:
            failed.append(module)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""A small load harness: gunicorn ``-w 2 -k sync`` on a free loopback port, wrk with 32
connections in another process, medians over interleaved rounds."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each gunicorn worker (the master's children), in MB."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        sizes = []
        for child in children.read_text().split() if children.exists() else []:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes


@contextmanager
def gunicorn(target: str, env: dict[str, str], probe: str = "/health"):
    """Serve ``target`` ("module:variable") with ``-w 2 -k sync``; stopped by its pid."""
    port = free_port()
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", target],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + probe, timeout=5)  # noqa: S310  (our own URL)
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(process.stderr.read().decode()) from None
                time.sleep(0.2)
        yield Server(base, process)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def wrk(url: str, *, duration: str = "6s", headers: dict[str, str] | None = None,
        script: str | None = None, warmup: bool = True) -> Load:
    """Load ``url`` with wrk -t2 -c32 (after a 1 s warm-up unless ``warmup`` is False)."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    # A generous timeout: on a loaded machine a slow page must count as slow, not vanish.
    args = ["wrk", "-t2", "-c32", "--latency", "--timeout", "20s"]
    for key, value in (headers or {}).items():
        args += ["-H", f"{key}: {value}"]
    with tempfile.TemporaryDirectory() as tmp:
        if script:
            path = Path(tmp) / "load.lua"
            path.write_text(script)
            args += ["-s", str(path)]
        if warmup:
            subprocess.run([*args, "-d", "1s", url], capture_output=True, check=True)
        out = subprocess.run([*args, "-d", duration, url], capture_output=True, text=True,
                             check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                              r"timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (
        sum(map(int, socket_errors.groups())) if socket_errors else 0)
    return Load(rps, p50, p99, errors)


@dataclass
class Series:
    name: str
    loads: list[Load] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(load, attr) for load in self.loads)


def timed(fn, repeat: int) -> float:
    """Median wall time of ``fn()`` in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)

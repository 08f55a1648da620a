"""Loopback load on the feedback receiver: accepted submissions per second and p99 latency.

    python -m bench.receiver_load            # 2,000 posts or 10 s (python -m bench includes it)
    python -m bench.receiver_load --requests 500 --seconds 5 --out -

The receiver runs as it does in production (uvicorn, one process, an SQLite file with
WAL and FULL sync, every answer committed before it is acknowledged), without the
per-client rate limit, which would otherwise refuse a single loopback client.
``python -m bench.receiver_load serve DB PORT`` runs just that receiver.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx

KEYS = ("benefits-specialist/benefit-documents", "payroll-clerk/payslips")
TEAMS = {"people": "People & Culture", "finance": "Finance"}
PRIORITIES = ("speed", "quality", "communication")
REPO = Path(__file__).resolve().parents[1]


def serve(database: Path, port: int) -> None:
    """Run the receiver on 127.0.0.1:``port`` with its answers in the SQLite file ``database``."""
    import uvicorn  # noqa: PLC0415 - only the server process needs it

    from generator.feedback.app import create_app  # noqa: PLC0415
    from generator.feedback.storage import open_store, sqlite_url  # noqa: PLC0415

    store = open_store(sqlite_url(database))
    app = create_app(
        store=store,
        valid_keys=frozenset(KEYS),
        teams=TEAMS,
        priorities=PRIORITIES,
        rate_limit=None,
    )
    try:
        uvicorn.run(
            app,
            host="127.0.0.1",
            port=port,
            access_log=False,
            server_header=False,
            log_level="warning",
        )
    finally:
        store.close()


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Receiver:
    """A receiver process and its address."""

    process: subprocess.Popen[bytes]
    base: str
    database: Path

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, no goodbye."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """A clean stop (SIGINT), falling back to SIGKILL."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def start(database: Path, *, timeout: float = 30.0) -> Receiver:
    """Start ``serve`` in a new process and wait until it answers its health check."""
    port = free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.receiver_load", "serve", str(database), str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    receiver = Receiver(process, f"http://127.0.0.1:{port}", database)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the receiver exited with status {process.returncode}")
        try:
            if httpx.get(f"{receiver.base}/api/health", timeout=1).status_code == 200:
                return receiver
        except httpx.TransportError:
            time.sleep(0.05)
    receiver.kill()
    raise RuntimeError("the receiver did not come up")


@contextmanager
def running(database: Path) -> Iterator[Receiver]:
    """A receiver for the duration of a ``with`` block."""
    receiver = start(database)
    try:
        yield receiver
    finally:
        receiver.stop()


def answer(number: int) -> dict[str, object]:
    """The ``number``-th submission: a valid answer whose comment identifies it."""
    return {
        "key": KEYS[number % len(KEYS)],
        "rating": number % 5 + 1,
        "comment": f"load answer {number}",
        "priority": PRIORITIES[number % len(PRIORITIES)],
        "team": "people",
    }


@dataclass
class Load:
    """What happened to every request of a run."""

    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    acknowledged: dict[int, str] = field(default_factory=dict)
    """Row id → comment of every 201 answer."""
    transport_errors: int = 0
    elapsed: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def accepted(self) -> int:
        """Answers the receiver acknowledged as stored."""
        return len(self.acknowledged)

    @property
    def server_errors(self) -> int:
        """5xx answers."""
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def per_second(self) -> float:
        """Acknowledged answers per second of wall-clock time."""
        return self.accepted / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        """The ``p``-th percentile latency in seconds (nearest rank)."""
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def run_load(
    base: str,
    *,
    requests: int,
    seconds: float,
    workers: int = 8,
    stop: threading.Event | None = None,
) -> Load:
    """Post up to ``requests`` answers from ``workers`` threads for at most ``seconds``."""
    load = Load()
    stop = stop or threading.Event()
    counter = iter(range(requests))
    counter_lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def next_number() -> int | None:
        with counter_lock:
            return next(counter, None)

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=10) as client:
            while not stop.is_set() and time.monotonic() < deadline:
                number = next_number()
                if number is None:
                    return
                body = answer(number)
                started = time.perf_counter()
                try:
                    response = client.post("/api/feedback", json=body)
                except httpx.TransportError:
                    with load.lock:
                        load.transport_errors += 1
                    continue
                took = time.perf_counter() - started
                with load.lock:
                    load.latencies.append(took)
                    load.statuses[response.status_code] = (
                        load.statuses.get(response.status_code, 0) + 1
                    )
                    if response.status_code == 201:
                        load.acknowledged[int(response.json()["id"])] = str(body["comment"])

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(worker) for _ in range(workers)]:
            future.result()
    load.elapsed = time.monotonic() - started
    return load


def report(load: Load, *, requests: int, seconds: float, workers: int) -> str:
    """The figures as a Markdown section."""
    statuses = ", ".join(f"{s}: {n}" for s, n in sorted(load.statuses.items())) or "none"
    return "\n".join(
        [
            "# Feedback receiver",
            "",
            "Loopback load on `POST /api/feedback` (uvicorn, one process, SQLite file with WAL and",
            "`synchronous=FULL`; every answer committed before it is acknowledged), measured by",
            "`python -m bench` (or alone with `python -m bench.receiver_load`).",
            "",
            f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}",
            f"- load: up to {requests:,} posts or {seconds:g} s, from {workers} keep-alive clients",
            f"- posts answered: {len(load.latencies):,} in {load.elapsed:.2f} s "
            f"(statuses: {statuses})",
            f"- **accepted submissions per second: {load.per_second():.0f}**",
            f"- latency p50: {load.percentile(50) * 1000:.1f} ms, "
            f"**p99: {load.percentile(99) * 1000:.1f} ms**, "
            f"max: {max(load.latencies, default=math.nan) * 1000:.1f} ms",
            f"- server errors (5xx): {load.server_errors}; "
            f"connection failures: {load.transport_errors}",
            "",
        ]
    )


def measure(*, requests: int, seconds: float, workers: int = 8) -> tuple[Load, str]:
    """Run a fresh receiver on a temporary database, load it, and describe the figures."""
    with tempfile.TemporaryDirectory() as folder, running(Path(folder) / "feedback.db") as receiver:
        load = run_load(receiver.base, requests=requests, seconds=seconds, workers=workers)
    return load, report(load, requests=requests, seconds=seconds, workers=workers)


def main(argv: list[str] | None = None) -> int:
    """Run the load (or, with ``serve``, only the receiver)."""
    parser = argparse.ArgumentParser(prog="python -m bench.receiver_load", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    serve_parser = sub.add_parser("serve", help="run only the receiver")
    serve_parser.add_argument("database", type=Path)
    serve_parser.add_argument("port", type=int)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--out", default="-", help="Markdown file to write (default: - for stdout)")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve(args.database, args.port)
        return 0
    load, text = measure(requests=args.requests, seconds=args.seconds, workers=args.workers)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        sys.stdout.write(text)
    return 1 if load.server_errors else 0


if __name__ == "__main__":
    sys.exit(main())

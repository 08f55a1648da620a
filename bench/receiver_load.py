"""Loopback load on the feedback receiver: acknowledged posts per second and latency.

    python -m bench.receiver_load        # 10,000 posts or 10 s per run (in python -m bench)
    python -m bench.receiver_load --requests 500 --seconds 5 --out -

The receiver runs as it does in production (uvicorn, one process, every answer
committed before it is acknowledged; SQLite with WAL and FULL sync), without the
per-client rate limit, which would otherwise refuse a single loopback client. Each
database is measured twice in the same run: the *baseline* writes one answer per
transaction (one insert and commit per request), *group commit* writes everything
that is waiting in one transaction. A third run kills the group-commit receiver
with SIGKILL in the middle of a burst and counts acknowledged answers missing after
it. PostgreSQL is measured too when ``$HANDBOOK_BENCH_DATABASE_URL`` (or
``$HANDBOOK_TEST_DATABASE_URL``) names a server; each run uses a fresh schema.

The load comes from a small asyncio HTTP/1.1 client with keep-alive connections, so
that the client's own cost stays small beside the receiver's on the same machine.
``python -m bench.receiver_load serve URL PORT [--baseline]`` runs just the receiver.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
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
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx2 as httpx

KEYS = ("benefits-specialist/benefit-documents", "payroll-clerk/payslips")
TEAMS = {"people": "People & Culture", "finance": "Finance"}
PRIORITIES = ("speed", "quality", "communication")
REPO = Path(__file__).resolve().parents[1]
PG_ENV = ("HANDBOOK_BENCH_DATABASE_URL", "HANDBOOK_TEST_DATABASE_URL")
TARGET_PER_SECOND = 2000
TARGET_P99_MS = 50.0


def serve(database: str, port: int, *, baseline: bool = False) -> None:
    """Run the receiver on 127.0.0.1:``port`` for the database URL (or SQLite file path)."""
    import uvicorn  # noqa: PLC0415 - only the server process needs it

    from generator.database import sqlite_url  # noqa: PLC0415
    from generator.feedback.app import create_app  # noqa: PLC0415
    from generator.feedback.storage import open_store  # noqa: PLC0415

    url = database if "://" in database else sqlite_url(Path(database))
    store = open_store(url)
    app = create_app(
        store=store,
        valid_keys=frozenset(KEYS),
        teams=TEAMS,
        priorities=PRIORITIES,
        rate_limit=None,
        person_rate_limit=None,
        group_commit=not baseline,
    )
    try:
        uvicorn.run(
            app,
            host="127.0.0.1",
            port=port,
            access_log=False,
            server_header=False,
            proxy_headers=False,
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
    database: Path | str

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


def start(database: Path | str, *, baseline: bool = False, timeout: float = 30.0) -> Receiver:
    """Start ``serve`` in a new process and wait until it answers its health check."""
    port = free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "bench.receiver_load", "serve", str(database), str(port)]
    process = subprocess.Popen(
        [*command, *(["--baseline"] if baseline else [])],
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
def running(database: Path | str, *, baseline: bool = False) -> Iterator[Receiver]:
    """A receiver for the duration of a ``with`` block."""
    receiver = start(database, baseline=baseline)
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
    """Post up to ``requests`` answers over ``workers`` connections for at most ``seconds``."""
    load = Load()
    host, port = base.removeprefix("http://").rsplit(":", 1)
    numbers = iter(range(requests))
    stop = stop or threading.Event()
    deadline = time.monotonic() + seconds

    async def connection() -> None:
        try:
            reader, writer = await asyncio.open_connection(host, int(port))
        except OSError:
            load.transport_errors += 1
            return
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                number = next(numbers, None)
                if number is None:
                    return
                if not await _post(reader, writer, f"{host}:{port}", number, load):
                    return
        finally:
            writer.close()

    async def main() -> None:
        await asyncio.gather(*(connection() for _ in range(workers)))

    # a thread of its own: the caller may already run an event loop (Playwright's, say)
    started = time.monotonic()
    runner = threading.Thread(target=lambda: asyncio.run(main()), name="load")
    runner.start()
    runner.join()
    load.elapsed = time.monotonic() - started
    return load


async def _post(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, number: int, load: Load
) -> bool:
    """One keep-alive request; False when the connection broke."""
    comment = f"load answer {number}"
    body = json.dumps(answer(number)).encode()
    head = (
        f"POST /api/feedback HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    started = time.perf_counter()
    try:
        writer.write(head + body)
        status_line = await reader.readline()
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        content = await reader.readexactly(length)
        status = int(status_line.split()[1])
    except (OSError, asyncio.IncompleteReadError, IndexError, ValueError):
        load.transport_errors += 1
        return False
    load.latencies.append(time.perf_counter() - started)
    load.statuses[status] = load.statuses.get(status, 0) + 1
    if status == 201:
        load.acknowledged[int(json.loads(content)["id"])] = comment
    return True


def report(load: Load, *, requests: int, seconds: float, workers: int) -> str:
    """The figures of one run as a Markdown section (the test suite's small load)."""
    return "\n".join(
        [
            "# Feedback receiver",
            "",
            _run_line("run", load),
            "",
            _settings(requests, seconds, workers),
        ]
    )


def _run_line(name: str, load: Load) -> str:
    statuses = ", ".join(f"{s}: {n}" for s, n in sorted(load.statuses.items())) or "none"
    return (
        f"- {name}: {load.per_second():.0f} acknowledged posts/s, p50 "
        f"{load.percentile(50) * 1000:.1f} ms, p99 {load.percentile(99) * 1000:.1f} ms, "
        f"max {max(load.latencies, default=math.nan) * 1000:.1f} ms ({statuses}; "
        f"{load.transport_errors} connection failures)"
    )


def _settings(requests: int, seconds: float, workers: int) -> str:
    return f"Load: up to {requests:,} posts or {seconds:g} s per run, {workers} keep-alive clients."


@dataclass
class Measured:
    """Baseline, group commit and the crash check on one database."""

    database: str
    baseline: Load
    group: Load
    acknowledged_before_kill: int = 0
    lost: int = 0


@contextmanager
def _database(kind: str, folder: Path, name: str) -> Iterator[tuple[str, str]]:
    """(URL for the receiver, URL to read back with) of a fresh database."""
    if kind == "sqlite":
        path = folder / f"{name}.db"
        yield str(path), f"sqlite:///{path}"
        return
    from sqlalchemy import create_engine, text  # noqa: PLC0415

    url = _postgres_url()
    assert url is not None
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in url else "?"
    scoped = f"{url}{separator}options={quote(f'-csearch_path={schema}')}"
    try:
        yield scoped, scoped
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _postgres_url() -> str | None:
    return next((os.environ[name] for name in PG_ENV if os.environ.get(name)), None)


def measure_database(
    kind: str, folder: Path, *, requests: int, seconds: float, workers: int, repeat: int = 3
) -> Measured:
    """Baseline and group commit on fresh databases of one kind, then the SIGKILL check.

    Both receivers run side by side and are loaded in turns, ``repeat`` times each;
    the run of median throughput stands for each, so that a passing disturbance on
    the machine weighs on both alike.
    """
    runs: dict[str, list[Load]] = {"baseline": [], "group": []}
    with (
        _database(kind, folder, "baseline") as (baseline_url, _),
        _database(kind, folder, "group") as (group_url, _),
        running(baseline_url, baseline=True) as baseline,
        running(group_url) as group,
    ):
        receivers = {"baseline": baseline, "group": group}
        for receiver in receivers.values():
            run_load(receiver.base, requests=200, seconds=5.0, workers=workers)  # warm up
        for _ in range(repeat):
            for mode, receiver in receivers.items():
                load = run_load(receiver.base, requests=requests, seconds=seconds, workers=workers)
                runs[mode].append(load)
    loads = {mode: sorted(done, key=Load.per_second)[len(done) // 2] for mode, done in runs.items()}
    measured = Measured(kind, loads["baseline"], loads["group"])
    with _database(kind, folder, "crash") as (url, read_url):
        measured.acknowledged_before_kill, measured.lost = kill_during_burst(
            url, read_url, requests=requests, workers=workers
        )
    return measured


def kill_during_burst(url: str, read_url: str, *, requests: int, workers: int) -> tuple[int, int]:
    """SIGKILL the receiver mid-burst; (acknowledged answers, how many of them are missing)."""
    from generator.feedback.storage import open_store  # noqa: PLC0415

    receiver = start(url)
    result: dict[str, Load] = {}
    sender = threading.Thread(
        target=lambda: result.update(
            load=run_load(receiver.base, requests=requests, seconds=30.0, workers=workers)
        )
    )
    sender.start()
    time.sleep(0.5)
    receiver.kill()
    sender.join(timeout=60)
    load = result["load"]
    store = open_store(read_url)
    try:
        stored = {row.id: row.comment for row in store.rows()}
    finally:
        store.close()
    lost = sum(1 for row_id, comment in load.acknowledged.items() if stored.get(row_id) != comment)
    return load.accepted, lost


def describe(results: list[Measured], *, requests: int, seconds: float, workers: int) -> str:
    """The receiver's section of RESULTS.md."""
    out = [
        "# Feedback receiver",
        "",
        "Loopback load on `POST /api/feedback` (uvicorn, one process; every answer committed",
        "before it is acknowledged; SQLite with WAL and `synchronous=FULL`). *Baseline*: one",
        "insert and commit per request; *group commit*: the answers waiting at the same time",
        "share one transaction, each acknowledged after its commit. Both in the same run;",
        "measured by `python -m bench` (or alone with `python -m bench.receiver_load`).",
        "",
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; HTTP {_module('httptools', 'h11')}, event loop "
        f"{_module('uvloop', 'asyncio')}",
        f"- {_settings(requests, seconds, workers)}",
        "- baseline and group commit are loaded in turns, three runs each; the table shows",
        "  each one's run of median throughput (other work on the machine weighs on both)",
        "",
        "| database | write | acknowledged posts/s | ratio to baseline | p50 | p99 | max "
        "| 5xx | acknowledged before SIGKILL | lost |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in results:
        ratio = m.group.per_second() / m.baseline.per_second() if m.baseline.per_second() else 0
        for name, load, cells in (
            ("baseline", m.baseline, ("1.00", "", "")),
            (
                "group commit",
                m.group,
                (f"{ratio:.2f}", f"{m.acknowledged_before_kill:,}", str(m.lost)),
            ),
        ):
            out.append(
                f"| {m.database} | {name} | {load.per_second():,.0f} | {cells[0]} | "
                f"{load.percentile(50) * 1000:.1f} ms | {load.percentile(99) * 1000:.1f} ms | "
                f"{max(load.latencies, default=math.nan) * 1000:.1f} ms | {load.server_errors} | "
                f"{cells[1]} | {cells[2]} |"
            )
    sqlite = next(m for m in results if m.database == "sqlite")
    met = (
        sqlite.group.per_second() >= TARGET_PER_SECOND
        and sqlite.group.percentile(99) * 1000 < TARGET_P99_MS
        and sqlite.lost == 0
    )
    ratio = sqlite.group.per_second() / max(sqlite.baseline.per_second(), 1e-9)
    out += [
        "",
        f"Group commit on SQLite, **accepted submissions per second: "
        f"{sqlite.group.per_second():,.0f}**, p99 {sqlite.group.percentile(99) * 1000:.1f} ms "
        f"({ratio:.2f}× the baseline).",
        "",
        f"Target on SQLite: ≥ {TARGET_PER_SECOND:,} acknowledged posts/s with p99 < "
        f"{TARGET_P99_MS:g} ms and none lost under SIGKILL: **{'met' if met else 'not met'}**.",
        "",
    ]
    return "\n".join(out)


def _module(fast: str, fallback: str) -> str:
    return fast if importlib.util.find_spec(fast) else fallback


def measure(*, requests: int, seconds: float, workers: int = 16) -> tuple[Load, str]:
    """Measure SQLite (and PostgreSQL when configured); the SQLite group-commit load and text."""
    kinds = ["sqlite", *(["postgresql"] if _postgres_url() else [])]
    with tempfile.TemporaryDirectory() as folder:
        results = [
            measure_database(
                kind, Path(folder), requests=requests, seconds=seconds, workers=workers
            )
            for kind in kinds
        ]
    text = describe(results, requests=requests, seconds=seconds, workers=workers)
    return results[0].group, text


def main(argv: list[str] | None = None) -> int:
    """Run the load (or, with ``serve``, only the receiver)."""
    parser = argparse.ArgumentParser(prog="python -m bench.receiver_load", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    serve_parser = sub.add_parser("serve", help="run only the receiver")
    serve_parser.add_argument("database", help="database URL or SQLite file")
    serve_parser.add_argument("port", type=int)
    serve_parser.add_argument("--baseline", action="store_true", help="one commit per request")
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--out", default="-", help="Markdown file to write (default: - for stdout)")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve(args.database, args.port, baseline=args.baseline)
        return 0
    load, text = measure(requests=args.requests, seconds=args.seconds, workers=args.workers)
    if args.out != "-":
        Path(args.out).write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 1 if load.server_errors else 0


if __name__ == "__main__":
    sys.exit(main())

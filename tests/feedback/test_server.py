"""A real receiver: ``handbook feedback serve`` under uvicorn in a subprocess."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from generator.database import sqlite_url
from generator.feedback.storage import open_store

REPO = Path(__file__).resolve().parents[2]
KEY = "benefits-specialist/benefit-documents"

SCRIPT = """
import argparse, sys
from pathlib import Path
sys.path[:0] = [{tests!r}, {repo!r}]
from feedback.conftest import make_project
from generator.cli.feedback import add_commands

root = Path(sys.argv[1])
origin = "http://127.0.0.1:" + sys.argv[2]
parser = argparse.ArgumentParser()
add_commands(parser.add_subparsers(required=True), lambda _: make_project(root, origins=(origin,)))
args = parser.parse_args(["feedback", "serve", str(root), "--port", sys.argv[2]])
sys.exit(args.func(args))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the receiver exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the receiver did not come up")


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    script = tmp_path / "serve.py"
    script.write_text(textwrap.dedent(SCRIPT.format(tests=str(REPO / "tests"), repo=str(REPO))))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "HANDBOOK_DATABASE_URL"}
    process = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path), str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stderr:
            process.stderr.close()


def test_end_to_end_post_survives_sigkill(
    receiver: tuple[str, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    base, process = receiver
    response = httpx.post(
        f"{base}/api/feedback",
        json={"key": KEY, "rating": 5, "comment": "Great", "team": "people"},
        headers={"Origin": base},
        timeout=5,
    )
    assert response.status_code == 201, response.text
    assert "server" not in response.headers
    process.kill()  # SIGKILL right after the answer: the row must already be durable
    process.wait()
    store = open_store(sqlite_url(tmp_path / "feedback.db"))
    try:
        rows = list(store.rows())
    finally:
        store.close()
    assert [(r.key, r.rating, r.comment) for r in rows] == [(KEY, 5, "Great")]


def test_logs_carry_no_client_address(receiver: tuple[str, subprocess.Popen[bytes]]) -> None:
    base, process = receiver
    httpx.post(f"{base}/api/feedback", json={"key": KEY, "rating": 3}, timeout=5)
    process.send_signal(signal.SIGINT)
    process.wait(timeout=10)
    assert process.stderr is not None
    log = process.stderr.read().decode()
    assert "Uvicorn running" in log or "Application startup complete" in log
    assert "POST /api/feedback" not in log


def test_rotating_forwarded_for_on_loopback_does_not_bypass_the_limit(
    receiver: tuple[str, subprocess.Popen[bytes]],
) -> None:
    """No proxy is configured: uvicorn must not take the client from X-Forwarded-For."""
    base, _process = receiver
    statuses = [
        httpx.post(
            f"{base}/api/feedback",
            json={"key": KEY, "rating": 4},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
            timeout=5,
        ).status_code
        for n in range(8)
    ]
    assert statuses == [201] * 6 + [429] * 2  # open_answers_per_hour: 6 by default

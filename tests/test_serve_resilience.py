"""``handbook serve`` survives a broken edit: it reports the problem and keeps serving."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from helpers import REPO_ROOT, subprocess_env

pytestmark = pytest.mark.slow

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "small"
ROLE = "roles/director.yaml"
STARTUP = 90.0
REBUILD = 60.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """A running ``handbook serve`` with its output collected line by line."""

    def __init__(self, folder: Path) -> None:
        port = _free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "generator.cli", "serve", str(folder),
                "--dev-addr", f"127.0.0.1:{port}",
                "--database", f"sqlite:///{folder / 'feedback.db'}",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=subprocess_env(),
        )  # fmt: skip
        self._reader = threading.Thread(target=self._collect, daemon=True)
        self._reader.start()

    def _collect(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        """Everything the server printed so far."""
        return "".join(self.lines)

    def get(self, path: str) -> httpx.Response:
        """GET a path of the site."""
        return httpx.get(self.base + path, timeout=10)

    def wait_for(self, what: str, check: Callable[[], bool], timeout: float) -> None:
        """Poll ``check`` until it holds; fail with the server's output otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited ({self.process.returncode}):\n{self.output}")
            try:
                if check():
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        pytest.fail(f"timed out waiting for {what}:\n{self.output[-4000:]}")

    def stop(self) -> None:
        """End the server: politely first, then by force."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._reader.join(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """The small handbook served from a copy in ``tmp_path``."""
    folder = tmp_path / "handbook"
    shutil.copytree(FIXTURE, folder)
    running = Server(folder)
    try:
        yield running
    finally:
        running.stop()


def _page_has(server: Server, text: str) -> Callable[[], bool]:
    def check() -> bool:
        response = server.get("/roles/director/")
        return response.status_code == 200 and text in response.text

    return check


def test_broken_edits_are_reported_and_fixes_picked_up(server: Server, tmp_path: Path) -> None:
    """Each broken edit prints its diagnostics (no traceback); the fix is served."""
    role = tmp_path / "handbook" / ROLE
    good = role.read_text(encoding="utf-8")
    server.wait_for("the first build", _page_has(server, "Director"), STARTUP)
    assert "Chief Executive" not in server.get("/roles/director/").text

    role.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    server.wait_for("the binary file reported", lambda: "binary file" in server.output, REBUILD)
    role.write_text(_broken(good), encoding="utf-8")
    server.wait_for(
        "the bad team reported", lambda: "unknown team 'ofice'" in server.output, REBUILD
    )
    assert "roles/director.yaml:3:7" in server.output
    assert "Traceback" not in server.output
    assert server.get("/api/health").status_code == 200

    role.write_text(good.replace("title: Director", "title: Chief Executive"), encoding="utf-8")
    server.wait_for("the fixed rebuild", _page_has(server, "Chief Executive"), REBUILD)
    assert server.process.poll() is None


def test_broken_edit_keeps_serving_the_last_good_page(server: Server, tmp_path: Path) -> None:
    """While a role file is broken, its page is still served as it was."""
    role = tmp_path / "handbook" / ROLE
    good = role.read_text(encoding="utf-8")
    server.wait_for("the first build", _page_has(server, "Director"), STARTUP)
    role.write_text(_broken(good), encoding="utf-8")
    server.wait_for(
        "the bad team reported", lambda: "unknown team 'ofice'" in server.output, REBUILD
    )
    try:
        response = httpx.get(server.base + "/roles/director/", timeout=5)
    except httpx.TimeoutException:
        pytest.fail("the page request hung while the roles were broken")
    assert response.status_code == 200
    assert "Director" in response.text
    assert "Chief Executive" not in response.text


def _broken(good: str) -> str:
    """The director's file with a new title and a team that does not exist."""
    broken = good.replace("title: Director", "title: Chief Executive")
    broken = broken.replace("team: office", "team: ofice")
    assert broken.count("Chief Executive") == 1 and "ofice" in broken
    return broken


def test_a_new_measured_report_is_picked_up(tmp_path: Path) -> None:
    """Writing the measured report while serving rebuilds the pages that show it."""
    folder = tmp_path / "handbook"
    shutil.copytree(FIXTURE, folder)
    config = folder / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8") + "      measure:\n        report: measured-report.json\n",
        "utf-8",
    )
    report = folder / "measured-report.json"
    empty = (
        '{"kind": "handbook-measured-report", "version": 1, "as_of": "2026-12-01T00:00:00+00:00",'
        ' "period_kind": "quarter", "min_group": 1, "periods": []}'
    )
    report.write_text(empty, "utf-8")
    server = Server(folder)
    try:
        server.wait_for("the first build", _page_has(server, "Director"), STARTUP)
        assert "Service level" not in server.get("/roles/director/").text
        period = (
            '{"id": "2026-Q4", "complete": false, "feedback": {}, "services": {'
            '"director/decisions": {"requests": 3, "hidden": false,'
            ' "response": {"counted": 3, "met": 3, "percent": 100.0,'
            ' "median_minutes": 30, "p90_minutes": 40}, "resolution": null}}}'
        )
        report.write_text(empty.replace('"periods": []', f'"periods": [{period}]'), "utf-8")
        server.wait_for("the rebuild", _page_has(server, "100 &#37; answered in time"), REBUILD)
    finally:
        server.stop()

"""The README's first command end to end: serve the example, rate a service, find it stored."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from generator.database import sqlite_url
from generator.feedback.storage import open_store

pytestmark = pytest.mark.browser

ROLE_PAGE = "/roles/benefits-specialist/"
FORM = "#hb-fb--benefits-specialist--benefit-documents"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(
    url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"handbook serve exited:\n{log.read_text('utf-8')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not come up in {seconds} s")


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory, root: Path) -> Path:
    target = tmp_path_factory.mktemp("handbook")
    for name in ("roles", "content", "theme"):
        shutil.copytree(root / name, target / name)
    shutil.copy(root / "mkdocs.yml", target / "mkdocs.yml")
    return target


@pytest.fixture(scope="module")
def served(handbook: Path) -> Iterator[str]:
    port = _free_port()
    log = handbook / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "generator.cli",
                "serve",
                str(handbook),
                "-a",
                f"127.0.0.1:{port}",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url + "/api/health", process, log)
        _wait_until_up(url + ROLE_PAGE, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _stored(handbook: Path) -> list[dict[str, str]]:
    """Every stored answer, read from the database (exports leave out groups under five)."""
    store = open_store(sqlite_url(handbook / "feedback.db"))
    try:
        return [
            {
                "key": row.key,
                "rating": str(row.rating),
                "priority": row.priority or "",
                "comment": row.comment or "",
            }
            for row in store.rows()
        ]
    finally:
        store.close()


def _rate(page: Any, rating: int, comment: str) -> None:
    form = page.locator(FORM)
    form.get_by_label(f"{rating} –").check()
    form.get_by_label("Comment (optional)").fill(comment)
    form.get_by_label("What matters most to you? (optional)").select_option("speed")
    form.get_by_role("button", name="Send feedback").click()


def test_rate_with_javascript(browser: Any, served: str, handbook: Path) -> None:
    page = browser.new_page()
    page.goto(served + ROLE_PAGE)
    _rate(page, 5, "Fast and friendly")
    expect(page.locator(FORM).get_by_role("status")).to_contain_text("Thank you")
    assert page.url == served + ROLE_PAGE
    rows = [r for r in _stored(handbook) if r["comment"] == "Fast and friendly"]
    assert len(rows) == 1 and rows[0]["rating"] == "5"
    assert rows[0]["key"] == "benefits-specialist/benefit-documents"
    page.close()


def test_rate_without_javascript(browser: Any, served: str, handbook: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served + ROLE_PAGE)
    _rate(page, 3, "Took a while")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    page.get_by_role("link", name="Back").click()
    assert page.url == served + ROLE_PAGE
    rows = [r for r in _stored(handbook) if r["comment"] == "Took a while"]
    assert len(rows) == 1 and rows[0]["rating"] == "3" and rows[0]["priority"] == "speed"
    context.close()


def test_rate_with_the_keyboard_only(browser: Any, served: str, handbook: Path) -> None:
    page = browser.new_page()
    page.goto(served + ROLE_PAGE)
    form = page.locator(FORM)
    form.get_by_label("1 –").focus()  # reach the group, then use only keys from here on
    page.keyboard.press("ArrowRight")  # radio groups move with the arrow keys: 2
    page.keyboard.press("ArrowRight")  # 3
    page.keyboard.press("ArrowRight")  # 4
    page.keyboard.press("Tab")
    page.keyboard.type("Typed without a mouse")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # first priority
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the team select to the button
    assert page.evaluate("document.activeElement.textContent") == "Send feedback"
    page.keyboard.press("Enter")
    expect(form.get_by_role("status")).to_contain_text("Thank you")
    rows = [r for r in _stored(handbook) if r["comment"] == "Typed without a mouse"]
    assert len(rows) == 1 and rows[0]["rating"] == "4"
    page.close()


def test_printed_role_page_is_the_whole_role_without_chrome(
    browser: Any, served: str, tmp_path: Path
) -> None:
    from pypdf import PdfReader  # noqa: PLC0415 - only this test reads PDFs

    page = browser.new_page()
    page.goto(served + ROLE_PAGE)
    pdf = tmp_path / "role.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    page.close()
    # NFKC folds the ligatures (ﬁ, ﬂ) a font may use into the letters they stand for.
    extracted = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    text = " ".join(unicodedata.normalize("NFKC", extracted).split())
    for expected in (
        "Benefits Specialist",
        "Responsibilities",
        "Expectations",
        "Processing benefit documents",
        "How to ask",
        "Targets by urgency",
        "Rewards",
        "About this description",
        "Reports to",
    ):
        assert expected in text, expected
    for chrome in (
        "Send feedback",
        "Search",
        "Who do I ask for",
        "Table of contents",
        "Print / Save as PDF",
        "Made with",
    ):
        assert chrome not in text, chrome

"""axe-core in headless Chromium on every page kind of a real build: zero violations."""

from __future__ import annotations

import contextlib
import functools
import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from helpers import SAMPLE_EXPORTS, measure_handbook

from generator.project import load_project

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "role": "/roles/benefits-specialist/",
    "measured role": "/roles/it-helpdesk-technician/",
    "team": "/teams/people/",
    "teams": "/teams/",
    "directory": "/directory/",
    "who serves me": "/who-serves-me/",
    "who serves a team": "/who-serves-me/finance/",
    "services for everyone": "/everyone/",
    "map": "/map/",
    "scorecard": "/scorecard/",
    "workload": "/workload/",
    "priorities": "/priorities/",
    "rules": "/reference/rules/",
    "reference": "/reference/role-format/",
    "guide": "/guide/internal-customers/",
}


def _report(keys: list[str]) -> dict[str, Any]:
    entries: list[dict[str, Any]] = [{"key": keys[0], "suppressed": True}]
    entries += [
        {
            "key": key,
            "suppressed": False,
            "count": 6 + i,
            "mean": 3.0 + (i % 3) * 0.7,
            "distribution": {"1": 0, "2": 1, "3": 2, "4": 2 + i, "5": 1},
            "priorities": [{"priority": "speed", "count": 4}],
        }
        for i, key in enumerate(keys[1:])
    ]
    return {
        "version": 1,
        "period": {"since": None, "until": None},
        "min_responses": 5,
        "entries": entries,
    }


def _built_with_report(source: Path, handbook: Path, parts: tuple[str, ...], export: Path) -> Path:
    """Copy a handbook, give it a feedback report and its measurements, build the leaders'
    edition (every kind of content a page can show)."""
    for name in (*parts, "measurements", "schema"):
        shutil.copytree(source / name, handbook / name)
    config = (source / "mkdocs.yml").read_text("utf-8")
    config = config.replace(
        "        endpoint: /api/feedback\n",
        "        endpoint: /api/feedback\n        report: report.json\n",
    )
    (handbook / "mkdocs.yml").write_text(config, "utf-8")
    project, _ = load_project(handbook)
    keys = sorted(project.organisation.feedback_keys())
    (handbook / "report.json").write_text(json.dumps(_report(keys)), "utf-8")
    measure_handbook(handbook, export)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator.cli",
            "build",
            str(handbook),
            "--strict",
            "--audience",
            "leaders",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return handbook / "site"


@contextlib.contextmanager
def _served(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, root: Path) -> Iterator[str]:
    parts = ("roles", "content", "theme")
    site = _built_with_report(root, tmp_path_factory.mktemp("a11y"), parts, SAMPLE_EXPORTS[""])
    with _served(site) as url:
        yield url


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""


def _violations(browser: Any, url: str) -> list[tuple[str, list[Any]]]:
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    page = browser.new_page()
    try:
        page.goto(url)
        violations = Axe().run(page).response["violations"]
        return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    finally:
        page.close()


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_has_no_axe_violations(browser: Any, base_url: str, kind: str) -> None:
    assert _violations(browser, base_url + PAGES[kind]) == [], kind


POLISH_PAGES = {
    "home": "/",
    "role": "/roles/specjalista-ds-kadr/",
    "measured role": "/roles/administrator-systemow/",
    "team": "/teams/kadry/",
    "teams": "/teams/",
    "directory": "/directory/",
    "who serves me": "/who-serves-me/",
    "who serves a team": "/who-serves-me/finanse/",
    "services for everyone": "/everyone/",
    "map": "/map/",
    "scorecard": "/scorecard/",
    "workload": "/workload/",
    "priorities": "/priorities/",
    "rules": "/reference/rules/",
    "reference": "/reference/role-format/",
    "guide": "/guide/klienci-wewnetrzni/",
}


@pytest.fixture(scope="module")
def polish_url(tmp_path_factory: pytest.TempPathFactory, root: Path) -> Iterator[str]:
    source = root / "examples" / "pl"
    export = SAMPLE_EXPORTS["examples/pl"]
    site = _built_with_report(
        source, tmp_path_factory.mktemp("a11y-pl"), ("roles", "content"), export
    )
    with _served(site) as url:
        yield url


@pytest.mark.parametrize("kind", list(POLISH_PAGES))
def test_polish_page_has_no_axe_violations(browser: Any, polish_url: str, kind: str) -> None:
    assert _violations(browser, polish_url + POLISH_PAGES[kind]) == [], kind


def _foreign_requests(browser: Any, url: str) -> list[str]:
    """Every request a page makes to another origin than its own, while it loads and settles."""
    origin = urlsplit(url)[:2]
    seen: list[str] = []
    page = browser.new_page()
    page.on("request", lambda request: seen.append(request.url))
    try:
        page.goto(url, wait_until="networkidle")
        page.keyboard.press("/")  # open the search: its worker and index load too
        page.wait_for_load_state("networkidle")
    finally:
        page.close()
    local = ("data:", "blob:", "about:")
    return [u for u in seen if not u.startswith(local) and urlsplit(u)[:2] != origin]


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_requests_nothing_from_another_origin(browser: Any, base_url: str, kind: str) -> None:
    assert _foreign_requests(browser, base_url + PAGES[kind]) == [], kind


@pytest.mark.parametrize("kind", list(POLISH_PAGES))
def test_polish_page_requests_nothing_from_another_origin(
    browser: Any, polish_url: str, kind: str
) -> None:
    assert _foreign_requests(browser, polish_url + POLISH_PAGES[kind]) == [], kind

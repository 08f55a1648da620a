"""axe-core in headless Chromium on every page kind of a real build: zero violations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from helpers import PAGE_KINDS, built_example, served

pytestmark = pytest.mark.browser

PAGES = PAGE_KINDS["en"]
POLISH_PAGES = PAGE_KINDS["pl"]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(built_example("en", tmp_path_factory.mktemp("a11y"))) as url:
        yield url


@pytest.fixture(scope="module")
def polish_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(built_example("pl", tmp_path_factory.mktemp("a11y-pl"))) as url:
        yield url


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

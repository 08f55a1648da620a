"""The feedback form in headless Chromium, with and without JavaScript."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import expect
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from generator.feedback.app import create_app
from generator.feedback.invitations import issue_token
from generator.feedback.storage import Store

from .conftest import KEYS, PRIORITIES, TEAMS
from .test_form import render_form

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
PAGE_PATH = "/roles/people/benefits-specialist/"
KEY = "benefits-specialist/benefit-documents"

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Benefits Specialist</title>
<link rel="stylesheet" href="/assets/handbook/feedback.css"></head>
<body><main><h1>Benefits Specialist</h1>
{form}
</main><script src="/assets/handbook/feedback.js"></script></body></html>
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def write_site(root: Path) -> Path:
    page = root / PAGE_PATH.strip("/") / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(PAGE.format(form=render_form(return_to=PAGE_PATH)), encoding="utf-8")
    assets = root / "assets" / "handbook"
    assets.mkdir(parents=True)
    for name in ("feedback.css", "feedback.js"):
        shutil.copy(REPO / "generator" / "render" / "assets" / name, assets / name)
    return root


SECRET = "browser-test-invitation-secret"


@pytest.fixture
def site_url(tmp_path: Path, sqlite_store: Store) -> Iterator[str]:
    port = free_port()
    receiver = create_app(
        store=sqlite_store,
        valid_keys=KEYS,
        teams=TEAMS,
        priorities=PRIORITIES,
        origins=[f"http://127.0.0.1:{port}"],
        invite_secret=SECRET,
    )
    static = Starlette(
        routes=[Mount("/", StaticFiles(directory=write_site(tmp_path / "site"), html=True))]
    )

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        target: Any = receiver if scope.get("path", "").startswith("/api/") else static
        await target(scope, receive, send)

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def fill_form(page: Any) -> None:
    page.get_by_label("4 – Very good").check()
    page.get_by_label("Comment (optional)").fill("Quick and clear")
    page.get_by_label("What matters most to you? (optional)").select_option("speed")
    page.get_by_label("Your team (optional)").select_option("people")


def test_with_javascript_the_answer_is_announced(
    browser: Any, site_url: str, sqlite_store: Store
) -> None:
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site_url + PAGE_PATH)
    fill_form(page)
    page.get_by_role("button", name="Send feedback").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Thank you")
    assert page.url == site_url + PAGE_PATH  # no navigation
    expect(page.get_by_label("Comment (optional)")).to_have_value("")
    rows = list(sqlite_store.rows())
    assert [(r.key, r.rating, r.comment, r.priority, r.team) for r in rows] == [
        (KEY, 4, "Quick and clear", "speed", "people")
    ]
    assert all(url.startswith(site_url) for url in requests)  # no third-party requests
    context.close()


def test_with_javascript_errors_are_shown_and_the_button_comes_back(
    browser: Any, site_url: str, sqlite_store: Store
) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + PAGE_PATH)
    page.evaluate("document.querySelector('input[name=key]').value = 'gone/renamed'")
    fill_form(page)
    button = page.get_by_role("button", name="Send feedback")
    button.click()
    expect(page.get_by_role("status")).to_contain_text("unknown role/commitment")
    expect(button).to_be_enabled()
    assert sqlite_store.count() == 0
    context.close()


def test_without_javascript_the_form_still_works(
    browser: Any, site_url: str, sqlite_store: Store
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + PAGE_PATH)
    fill_form(page)
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
    assert sqlite_store.count() == 1
    page.get_by_role("link", name="Back to the page you came from").click()
    page.wait_for_url(site_url + PAGE_PATH)
    context.close()


def test_honeypot_is_hidden_from_people(browser: Any, site_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + PAGE_PATH)
    box = page.locator(".hb-feedback__hp").bounding_box()
    assert box is None or (box["width"] <= 1 and box["height"] <= 1)
    page.keyboard.press("Tab")
    focused = [page.evaluate("document.activeElement.name")]
    for _ in range(15):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.name"))
    assert "website" not in focused
    context.close()


def test_an_invitation_link_makes_a_verified_answer_once(
    browser: Any, site_url: str, sqlite_store: Store
) -> None:
    token = issue_token(SECRET, KEY, date.today() + timedelta(days=7))
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site_url}{PAGE_PATH}?invite={token}#hb-fb--benefits-specialist--benefit-documents")
    assert "invite" not in page.url  # taken out of the address bar (and of referrers)
    fill_form(page)
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you")
    rows = list(sqlite_store.rows())
    assert [(r.key, r.verification) for r in rows] == [(KEY, "invitation")]
    page.goto(f"{site_url}{PAGE_PATH}?invite={token}")
    fill_form(page)
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("status")).to_contain_text("already been used")
    assert sqlite_store.count() == 1
    context.close()

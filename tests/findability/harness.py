"""Type queries into a built handbook's search box in a real browser and read the results.

Used by ``tests/test_findability.py``; ``python -m tests.findability.harness SITE QUERIES``
runs the same measurement against any built site (for example one built before a change).
"""

from __future__ import annotations

import functools
import http.server
import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

TOP = 3
"""A service is found when it is among this many first results."""

# Counts the messages the page posts to the search worker and the answers it gets back, so
# the harness reads the results only once the answer to the last keystroke is on screen;
# notes when the index was handed over and when the worker said it was ready.
COUNT_WORKER_MESSAGES = """
(() => {
  const Native = window.Worker;
  const state = window.__hbSearch = { sent: 0, answered: 0, setup: null, ready: null };
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => {
        state.answered += 1;
        if (state.ready === null) state.ready = performance.now();
      });
    }
    postMessage(...args) {
      state.sent += 1;
      if (state.setup === null) state.setup = performance.now();
      return super.postMessage(...args);
    }
  };
})();
"""

# The links of the first result items, in the order the theme shows them; links folded
# into "more on this page" are not shown, so they do not count.
READ_RESULTS = """
(top) => [...document.querySelectorAll(".md-search-result__item")].slice(0, top).map(item =>
  [...item.querySelectorAll("a.md-search-result__link")]
    .filter(a => !a.closest("details"))
    .map(a => a.getAttribute("href")))
"""


@dataclass(frozen=True, slots=True)
class Query:
    """One line of a findability data file."""

    query: str
    service: str
    kind: str

    @property
    def anchor(self) -> str:
        """The path and anchor of the expected service: ``roles/<role>/#commitment-<id>``."""
        role, commitment = self.service.split("/")
        return f"roles/{role}/#commitment-{commitment}"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the search showed for one query."""

    query: Query
    results: list[list[str]]

    @property
    def found(self) -> bool:
        """Whether the expected service is one of the first results."""
        return any(_same(link, self.query.anchor) for item in self.results for link in item)


def _same(link: str, anchor: str) -> bool:
    parts = urlsplit(link)
    return f"{parts.path.lstrip('/')}#{parts.fragment}" == anchor


def read_queries(path: Path) -> list[Query]:
    """The queries of a data file."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Query(str(r["query"]), str(r["service"]), str(r["kind"])) for r in rows]


@contextmanager
def serve_static(site: Path) -> Iterator[str]:
    """Serve a built site on a free loopback port; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output free of request lines."""


@dataclass(frozen=True, slots=True)
class Run:
    """What one round of queries showed."""

    outcomes: list[Outcome]
    foreign: list[str]
    """Every request the page sent to another origin."""
    ready_ms: float
    """From handing the index to the worker to the worker's answer that it is ready."""


def search(browser: Any, base: str, queries: list[Query]) -> Run:
    """Type every query into the search box of the site at ``base``."""
    context = browser.new_context()
    foreign: list[str] = []
    origin = urlsplit(base).netloc
    context.on(
        "request",
        lambda r: foreign.append(r.url) if urlsplit(r.url).netloc not in ("", origin) else None,
    )
    context.add_init_script(COUNT_WORKER_MESSAGES)
    page = context.new_page()
    page.goto(base)
    box = page.locator("input.md-search__input")
    outcomes = []
    try:
        for query in queries:
            box.click()
            box.fill("")
            box.press_sequentially(query.query)
            page.wait_for_function(
                "() => window.__hbSearch.sent > 0"
                " && window.__hbSearch.answered >= window.__hbSearch.sent"
            )
            outcomes.append(Outcome(query, page.evaluate(READ_RESULTS, TOP)))
        ready = float(page.evaluate("() => window.__hbSearch.ready - window.__hbSearch.setup"))
    finally:
        context.close()
    return Run(outcomes, foreign, ready)


def report(outcomes: list[Outcome]) -> str:
    """One line per query that missed, and the rate."""
    missed = [o for o in outcomes if not o.found]
    lines = [
        f"  miss [{o.query.kind}] {o.query.query!r} → {o.query.service}; shown: {o.results}"
        for o in missed
    ]
    found = len(outcomes) - len(missed)
    lines.append(f"found {found} of {len(outcomes)} ({found / max(len(outcomes), 1):.0%})")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Measure a built site: ``SITE QUERIES.yaml [--json]``."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only when run

    site, data = Path(argv[0]), Path(argv[1])
    with sync_playwright() as playwright, serve_static(site) as base:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        run = search(browser, base, read_queries(data))
        browser.close()
    found = sum(o.found for o in run.outcomes)
    if "--json" in argv:
        missed = [o.query.query for o in run.outcomes if not o.found]
        summary = {
            "found": found,
            "queries": len(run.outcomes),
            "ready_ms": run.ready_ms,
            "missed": missed,
        }
        print(json.dumps({**summary, "foreign": run.foreign}))
        return 0
    print(report(run.outcomes))
    print(f"index ready {run.ready_ms:.0f} ms after it was handed to the worker")
    if run.foreign:
        print("requests to other origins:", run.foreign)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

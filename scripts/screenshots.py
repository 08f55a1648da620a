"""Regenerate the screenshots in docs/images/ from fresh builds of both example handbooks.

    python scripts/screenshots.py [--out docs/images]

Each example is copied into a temporary folder, its sample requests are imported and
measured (as `make serve` does), and the everyone edition is built; then headless Chromium
(Debian's, driven by Playwright: `make system-deps`) takes the top of each page at a
desktop width (1280 px) and, but for the home page, at a phone's (390 px). The files are
named ``{page}-{language}-{width}.png``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu"]
MEASURED_AS_OF = "2026-12-01"
WIDTHS = {1280: 860, 390: 844}
"""Viewport width → height: what a screenshot shows."""
PHONE = 390
ON_A_PHONE = {"role": "#expectations", "directory": "", "who-serves-me": ""}
"""The pages also taken at the phone's width, and where on the page: a table that scrolls."""


EXAMPLES: dict[str, tuple[Path, Path, dict[str, str]]] = {
    "en": (
        ROOT,
        ROOT / "examples" / "requests" / "northwind-2026.csv",
        {
            "home": "/",
            "role": "/roles/it-helpdesk-technician/",
            "directory": "/directory/",
            "who-serves-me": "/who-serves-me/people/",
        },
    ),
    "pl": (
        ROOT / "examples" / "pl",
        ROOT / "examples" / "pl" / "requests" / "zgloszenia-2026.csv",
        {
            "home": "/",
            "role": "/roles/administrator-systemow/",
            "directory": "/directory/",
            "who-serves-me": "/who-serves-me/kadry/",
        },
    ),
}
"""Language → (example handbook, its sample requests, page name → address)."""
PARTS = ("mkdocs.yml", "roles", "content", "theme", "measurements", "schema")


def _handbook(*args: str) -> None:
    command = [sys.executable, "-m", "generator.cli", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")


def build(source: Path, requests: Path, target: Path) -> Path:
    """A measured build of the handbook at ``source``, made in ``target``; its site folder."""
    for name in PARTS:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
        elif (source / name).exists():
            shutil.copy2(source / name, target / name)
    database = f"sqlite:///{target / 'feedback.db'}"
    _handbook("requests", "import", str(requests), "-C", str(target), "--database", database)
    _handbook("report", str(target), "--database", database, "--as-of", MEASURED_AS_OF)
    _handbook("build", str(target), "--audience", "everyone")
    return target / "site"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the output to the files written."""


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """The site served on a free local port, for as long as the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def shoot(browser: Any, base: str, pages: dict[str, str], language: str, out: Path) -> None:
    """Screenshots of ``pages`` at every width into ``out``."""
    for width, height in WIDTHS.items():
        page = browser.new_page(viewport={"width": width, "height": height})
        for name, address in pages.items():
            if width == PHONE and name not in ON_A_PHONE:
                continue
            anchor = ON_A_PHONE[name] if width == PHONE else ""
            page.goto(base + address + anchor, wait_until="networkidle")
            path = out / f"{name}-{language}-{width}.png"
            page.screenshot(path=str(path), animations="disabled", caret="hide")
            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        page.close()


def main() -> None:
    """Build both examples and write their screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    out = parser.parse_args().out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - a test dependency

    with tempfile.TemporaryDirectory() as temp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for language, (source, requests, pages) in EXAMPLES.items():
            target = Path(temp) / language
            target.mkdir()
            with served(build(source, requests, target)) as base:
                shoot(browser, base, pages, language, out)
        browser.close()


if __name__ == "__main__":
    main()

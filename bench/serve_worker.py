"""Time ``handbook serve`` rebuilds after one role file is saved, the way ``handbook serve`` builds.

Run as ``python -m bench.serve_worker HANDBOOK EDITS``; prints JSON with the first
build and every rebuild, in seconds. The first build is ``mkdocs serve``'s; every
rebuild goes through the builder ``handbook serve`` gives its live-reload server:
it rebuilds only the pages the edit changed (and falls back to MkDocs' full build,
with the configuration read again, when it cannot).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

SERVE_URL = "http://127.0.0.1:8000/"


def _config(config_file: Path, site_dir: str) -> MkDocsConfig:
    config = load_config(config_file=str(config_file), site_dir=site_dir)
    config.site_url = SERVE_URL
    return config


def _edit(path: Path, marker: str) -> None:
    """Change the first responsibility's text, as a manager would, and save the file."""
    text = path.read_text(encoding="utf-8")
    start = text.index("  text: ") + len("  text: ")
    path.write_text(text[:start] + marker + " " + text[start:], encoding="utf-8")


def run(folder: Path, edits: int) -> dict[str, object]:
    """The first build and ``edits`` rebuilds, each after editing a different role."""
    from generator.site.logs import configure_logging  # noqa: PLC0415
    from generator.site.rebuild import fast_or_full  # noqa: PLC0415

    configure_logging()
    site_dir = tempfile.mkdtemp(prefix="hb-serve-")
    config_file = folder / "mkdocs.yml"
    config = _config(config_file, site_dir)
    config.plugins.on_startup(command="serve", dirty=False)
    start = time.perf_counter()
    build(config, serve_url=SERVE_URL)
    first = time.perf_counter() - start
    rebuild = fast_or_full(lambda: build(_config(config_file, site_dir), serve_url=SERVE_URL))
    roles = sorted((folder / "roles").rglob("role-*.yaml"))
    rebuilds = []
    for k in range(edits):
        path = roles[(k * 7919 + 13) % len(roles)]
        marker = f"Edited-{k}-{time.time_ns()}"
        start = time.perf_counter()
        _edit(path, marker)
        rebuild()
        rebuilds.append(time.perf_counter() - start)
        page = Path(site_dir) / "roles" / path.stem / "index.html"
        if marker not in page.read_text(encoding="utf-8"):
            raise SystemExit(f"the rebuilt {page} does not show the edit")
    config.plugins.on_shutdown()
    return {"first_build": first, "rebuilds": rebuilds}


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]), int(sys.argv[2]))))

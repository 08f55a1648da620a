"""The search index a reader downloads before the first result, at 1,000 and 10,000 roles.

Each size is a synthetic organisation (:mod:`bench.org`) with the English example
handbook's roles (``roles/``) joined under its top team, built with ``handbook build``.
Before the first result a reader's browser fetches ``search/search_index.json`` and the
search worker; both are measured as written. The example's findability queries
(``tests/findability/en.yaml``) are then typed into the built site's search box in
Chromium, so findability among 10,000 other roles is measured, not assumed. For
comparison, Material's own index of the same pages (a plain ``mkdocs build`` of what
``handbook render`` writes) is measured where asked.

``python -m bench.search_index [--sizes 1000 10000] [--plain-at 1000]`` prints the
section; ``python -m bench`` appends it to ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .org import write_handbook

LIMIT_MB = 10.0
"""At 10,000 roles, what a reader downloads before the first result stays within this."""
INDEX = "search/search_index.json"
WORKER = "assets/handbook/search-worker.js"
REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")


@dataclass
class IndexSize:
    """The search index of one organisation size."""

    roles: int
    index_bytes: int
    index_gzip_bytes: int
    worker_bytes: int
    documents: int
    build_seconds: float
    found: int | None = None
    queries: int = 0
    ready_ms: float | None = None
    missed: tuple[str, ...] = ()
    plain_index_bytes: int | None = None

    @property
    def first_result_bytes(self) -> int:
        """What a reader downloads for search before the first result (uncompressed)."""
        return self.index_bytes + self.worker_bytes


def join_example(folder: Path, example: Path = REPO) -> None:
    """Put the example handbook's roles under the synthetic organisation's top team."""
    roles = folder / "roles"
    teams = yaml.safe_load((roles / "teams.yaml").read_text(encoding="utf-8"))
    own = yaml.safe_load((example / "roles" / "teams.yaml").read_text(encoding="utf-8"))
    for team in own["teams"]:
        if "parent" not in team:
            team["parent"] = teams["teams"][0]["id"]
    teams["teams"] += own["teams"]
    (roles / "teams.yaml").write_text(
        yaml.safe_dump(teams, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    top = teams["teams"][0]["lead"]
    for path in sorted((example / "roles").rglob("*.yaml")):
        if path.name == "teams.yaml":
            continue
        target = roles / "example" / path.relative_to(example / "roles")
        target.parent.mkdir(parents=True, exist_ok=True)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.setdefault("reports_to", top)
        target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def _handbook() -> str:
    path = Path(sys.executable).parent / "handbook"
    return str(path) if path.exists() else "handbook"


def _build(folder: Path, site: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [_handbook(), "build", str(folder), "--site-dir", str(site)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"handbook build {folder} failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def _plain_index(folder: Path, work: Path) -> int:
    """The size of Material's own index of the same pages, without the handbook plugin."""
    plain, site = work / "plain", work / "plain-site"
    shutil.rmtree(plain, ignore_errors=True)
    for command in (
        [_handbook(), "render", str(folder), "--out", str(plain)],
        [str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-f",
         str(plain / "mkdocs.yml"), "-d", str(site)],
    ):  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed:\n{done.stderr[-3000:]}")
    return (site / INDEX).stat().st_size


def findability(site: Path) -> dict[str, Any] | None:
    """Found, queries, missed and ms until the index is ready, in a real browser (or None)."""
    if not CHROMIUM.exists():
        return None
    done = subprocess.run(
        [sys.executable, "-m", "tests.findability.harness", str(site),
         str(REPO / "tests" / "findability" / "en.yaml"), "--json"],
        capture_output=True, text=True, check=False, cwd=REPO,
    )  # fmt: skip
    if done.returncode != 0:
        if "playwright" in done.stderr.lower() and "No module named" in done.stderr:
            return None
        raise RuntimeError(f"the findability queries failed:\n{done.stderr[-3000:]}")
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def measure(roles: int, work: Path, *, plain: bool = False) -> IndexSize:
    """Build one size and measure its index (and its findability, when a browser is there)."""
    folder = write_handbook(work / f"search-org-{roles}", roles)
    join_example(folder)
    site = work / f"search-site-{roles}"
    seconds = _build(folder, site)
    data = (site / INDEX).read_bytes()
    result = IndexSize(
        roles=roles,
        index_bytes=len(data),
        index_gzip_bytes=len(gzip.compress(data, 6)),
        worker_bytes=(site / WORKER).stat().st_size,
        documents=len(json.loads(data)["docs"]),
        build_seconds=seconds,
    )
    found = findability(site)
    if found is not None:
        result.found, result.queries = int(found["found"]), int(found["queries"])
        result.ready_ms, result.missed = float(found["ready_ms"]), tuple(found["missed"])
    if plain:
        result.plain_index_bytes = _plain_index(folder, work / f"search-plain-{roles}")
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    return result


def _mb(value: float) -> str:
    return f"{value / 1024 / 1024:.2f} MB"


def section(results: list[IndexSize]) -> str:
    """The Markdown section for bench/RESULTS.md."""
    out = [
        "## Search index",
        "",
        "What a reader's browser downloads for search before the first result, measured on",
        "the built site: `search/search_index.json` and the search worker. Each organisation",
        "is the synthetic one (2 commitments with 3 keywords each per role) with the English",
        "example's 17 roles joined; *found* counts the example's findability queries",
        "(`tests/findability/en.yaml`) whose service was among the first 3 results in Chromium;",
        "*ready* is the time from handing the index to the worker to its answer that it is",
        "ready (its word index built), in the same Chromium.",
        "",
        "| roles | documents | index | index, gzip | worker | before the first result "
        f"| ≤ {LIMIT_MB:g} MB | found | ready | Material's own index of the same pages | build |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        found = (
            f"{r.found} of {r.queries} ({r.found / r.queries:.0%})"
            if r.found is not None
            else "no browser"
        )
        ready = f"{r.ready_ms:.0f} ms" if r.ready_ms is not None else "—"
        plain = _mb(r.plain_index_bytes) if r.plain_index_bytes is not None else "not built"
        ok = "yes" if r.first_result_bytes <= LIMIT_MB * 1024 * 1024 else "**no**"
        out.append(
            f"| {r.roles:,} | {r.documents:,} | {_mb(r.index_bytes)} | "
            f"{_mb(r.index_gzip_bytes)} | {r.worker_bytes / 1024:.1f} KB | "
            f"{_mb(r.first_result_bytes)} | {ok} | {found} | {ready} | {plain} | "
            f"{r.build_seconds:.0f} s |"
        )
    out.append("")
    out += [
        f"- missed at {r.roles:,} roles: " + ", ".join(f"`{q}`" for q in r.missed)
        for r in results
        if r.missed
    ]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Measure and print the section."""
    parser = argparse.ArgumentParser(prog="python -m bench.search_index", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--plain-at",
        type=int,
        nargs="*",
        default=[1000],
        help="sizes at which Material's own index is built too",
    )
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="handbook-search-"))
    results = []
    for roles in sorted(args.sizes):
        print(f"search index: N={roles}…", file=sys.stderr)
        results.append(measure(roles, work, plain=roles in args.plain_at))
    print(section(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

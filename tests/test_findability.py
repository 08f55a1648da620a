"""Findability: readers type what they would into the search box of a real build, in a real
browser, and the service they are after is among the first three results.

The queries (tests/findability/en.yaml, pl.yaml) mix the words of a service's own name,
other inflected forms of them, synonyms that only its ``keywords:`` hold, words typed
without Polish letters and one-letter typos.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.findability.harness import Run, read_queries, report, search, serve_static

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent / "findability"
REQUIRED = 0.9
"""The share of queries whose service must be among the first three results."""
HANDBOOKS = {"en": ".", "pl": "examples/pl"}


def _build(root: Path, handbook: str, site: Path) -> Path:
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", str(root / handbook), "--site-dir",
         str(site)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return site


@pytest.fixture(scope="module", params=sorted(HANDBOOKS))
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, root: Path
) -> tuple[str, Path]:
    language: str = request.param
    site = _build(root, HANDBOOKS[language], tmp_path_factory.mktemp(language) / "site")
    return language, site


@pytest.fixture(scope="module")
def outcomes(browser: Any, built: tuple[str, Path]) -> Run:
    language, site = built
    with serve_static(site) as base:
        return search(browser, base, read_queries(DATA / f"{language}.yaml"))


def test_the_data_covers_every_kind_of_query(built: tuple[str, Path]) -> None:
    """At least 30 queries, each kind of query well represented, every service a real one."""
    language, site = built
    queries = read_queries(DATA / f"{language}.yaml")
    assert len(queries) >= 30
    kinds = Counter(q.kind for q in queries)
    for kind in ("name", "inflection", "synonym", "typo"):
        assert kinds[kind] >= 5, f"only {kinds[kind]} {kind} queries"
    for query in queries:
        role, _ = query.anchor.split("#")
        page = (site / role / "index.html").read_text(encoding="utf-8")
        assert f'id="{query.anchor.split("#")[1]}"' in page, query


def test_readers_find_the_service_in_the_top_three(outcomes: Run) -> None:
    found = outcomes.outcomes
    rate = sum(o.found for o in found) / len(found)
    assert rate >= REQUIRED, report(found)


def test_search_sends_nothing_to_another_origin(outcomes: Run) -> None:
    assert outcomes.foreign == []


def test_the_index_holds_services_not_every_generated_word(built: tuple[str, Path]) -> None:
    """Services are documents of their own; per-team "Who serves me" pages are left out."""
    _, site = built
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "who-serves-me/" in pages, "the list of teams stays findable"
    assert not [p for p in pages if p.startswith("who-serves-me/") and p != "who-serves-me/"]
    services = [d for d in index["docs"] if "#commitment-" in d["location"]]
    assert services and all(d["boost"] > 1 for d in services)
    assert any(d.get("keywords") for d in services)

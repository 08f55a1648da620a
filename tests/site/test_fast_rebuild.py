"""``handbook serve`` rebuilds only the pages a role edit changed, and they equal a full build."""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import copy_example, subprocess_env
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from generator.site.assemble import assemble
from generator.site.rebuild import fast_or_full

pytestmark = pytest.mark.slow

SERVE_URL = "http://127.0.0.1:8000/"
ROLE = "roles/operations/facilities-coordinator.yaml"
UNRELATED = ("roles/accounts-payable-clerk", "roles/payroll-specialist", "roles/recruiter")
"""Pages the edit does not change (their files stay as they were)."""


def _config(folder: Path, site: Path) -> MkDocsConfig:
    config = load_config(config_file=str(folder / "mkdocs.yml"), site_dir=str(site))
    config.site_url = SERVE_URL
    return config


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("example") / "handbook")


class Served:
    """A handbook built and rebuilt the way ``handbook serve`` builds it."""

    def __init__(self, folder: Path, site: Path) -> None:
        self.folder, self.site = folder, site
        config = _config(folder, site)
        config.plugins.on_startup(command="serve", dirty=False)
        build(config, serve_url=SERVE_URL)
        self.rebuild: Callable[[], None] = fast_or_full(
            lambda: build(_config(folder, site), serve_url=SERVE_URL)
        )
        self.config = config

    def untouched(self) -> dict[str, tuple[int, int]]:
        """Identity of the written pages the role edit does not change."""
        found = [self.site / name / "index.html" for name in UNRELATED]
        return {str(p): (p.stat().st_ino, p.stat().st_mtime_ns) for p in found}


@pytest.fixture
def served(handbook: Path, tmp_path: Path) -> Iterator[Served]:
    folder = tmp_path / "handbook"
    shutil.copytree(handbook, folder)
    server = Served(folder, tmp_path / "site")
    yield server
    server.config.plugins.on_shutdown()


def _full_build(folder: Path, site: Path) -> None:
    """``mkdocs build`` of ``folder`` in a fresh process, at the address ``serve`` uses."""
    config_file = folder / "mkdocs.yml"
    config_file.write_text(
        f"site_url: {SERVE_URL}\n" + config_file.read_text(encoding="utf-8"), encoding="utf-8"
    )
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file), "-d", str(site)],
        check=True,
        env=subprocess_env(),
        capture_output=True,
    )


def _edit_role(folder: Path) -> None:
    path = folder / ROLE
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: Facilities Coordinator", "title: Facilities <Lead>", 1)
    text = text.replace(
        "service: Building repairs and maintenance", "service: Repairs & building care", 1
    )
    path.write_text(text, encoding="utf-8")


def _search_docs(site: Path) -> tuple[dict[str, object], list[str]]:
    data = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = sorted(json.dumps(doc, sort_keys=True) for doc in data["docs"])
    return data["config"], docs


def _pages(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.suffix != ".gz" and p.name != "search_index.json"
    }


def test_a_role_edit_rebuilds_only_its_pages_as_a_full_build_writes_them(
    served: Served, tmp_path: Path
) -> None:
    before = served.untouched()
    _edit_role(served.folder)
    served.rebuild()
    assert served.untouched() == before, "unchanged pages were written again"
    page = (served.site / "roles/facilities-coordinator/index.html").read_text(encoding="utf-8")
    assert "Facilities ‹Lead›" in page
    assert "Repairs &#38; building care" in page

    reference = tmp_path / "reference"
    shutil.copytree(served.folder, reference)
    _full_build(reference, tmp_path / "full")
    fast, full = _pages(served.site), _pages(tmp_path / "full")
    assert fast.keys() == full.keys()
    differing = sorted(name for name in fast if fast[name] != full[name])
    assert differing == []
    assert _search_docs(served.site) == _search_docs(tmp_path / "full")


@pytest.mark.parametrize("changed", ["mkdocs.yml", "content/index.md"])
def test_other_edits_take_the_full_build(served: Served, changed: str) -> None:
    before = served.untouched()
    path = served.folder / changed
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _edit_role(served.folder)
    served.rebuild()
    assert served.untouched() != before, "the site was not built again"
    page = (served.site / "roles/facilities-coordinator/index.html").read_text(encoding="utf-8")
    assert "Facilities ‹Lead›" in page


def test_a_broken_edit_keeps_the_last_good_site(served: Served) -> None:
    path = served.folder / ROLE
    good = path.read_text(encoding="utf-8")
    page = served.site / "roles/facilities-coordinator/index.html"
    shown = page.read_bytes()
    path.write_text(good.replace("team: facilities", "team: no-such-team", 1), encoding="utf-8")
    with pytest.raises(Exception, match="no-such-team"):
        served.rebuild()
    assert page.read_bytes() == shown
    path.write_text(good, encoding="utf-8")
    _edit_role(served.folder)
    served.rebuild()
    assert "Facilities ‹Lead›" in page.read_text(encoding="utf-8")


def test_the_first_rebuild_after_a_failed_full_build_is_full(served: Served) -> None:
    path = served.folder / "mkdocs.yml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("roles_dir: roles", "roles_dir: missing"), encoding="utf-8")
    with pytest.raises(Exception):  # noqa: B017 - whatever MkDocs raises
        served.rebuild()
    path.write_text(good, encoding="utf-8")
    _edit_role(served.folder)
    served.rebuild()
    page = (served.site / "roles/facilities-coordinator/index.html").read_text(encoding="utf-8")
    assert "Facilities ‹Lead›" in page


def test_no_fast_rebuild_is_left_once_serving_ends(served: Served) -> None:
    """After the server stops, a builder in the same process always builds fully."""
    served.config.plugins.on_shutdown()
    built: list[str] = []
    fast_or_full(lambda: built.append("full"))()
    assert built == ["full"]


def test_what_serving_keeps_is_left_out_of_collections_until_it_ends(served: Served) -> None:
    """The kept build is frozen for the garbage collector after every build, and thawed when
    serving ends."""
    assert gc.get_freeze_count() > 0
    _edit_role(served.folder)
    served.rebuild()
    assert gc.get_freeze_count() > 0
    served.config.plugins.on_shutdown()
    assert gc.get_freeze_count() == 0


def test_collections_wait_for_a_page_rebuild_to_end(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page rebuild runs without garbage collections; they run again after it."""
    seen: list[bool] = []

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return assemble(*args, **kwargs)

    monkeypatch.setattr("generator.site.plugin.assemble", watched)
    _edit_role(served.folder)
    served.rebuild()
    assert seen == [False]
    assert gc.isenabled()

"""Rendering in several processes: the site and the exported Markdown are the same as in one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import copy_example

from generator.render import workers

needs_fork = pytest.mark.skipif(not workers.can_fork(), reason="fork is unavailable here")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _run(command: str, handbook: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", command, str(handbook), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def _handbook(command: str, handbook: Path, *args: str) -> None:
    result = _run(command, handbook, *args)
    assert result.returncode == 0, result.stderr


@needs_fork
@pytest.mark.parametrize("command, option", [("build", "--site-dir"), ("render", "--out")])
def test_one_and_two_processes_write_the_same_files(
    tmp_path: Path, command: str, option: str
) -> None:
    handbook = copy_example(tmp_path / "handbook")
    for jobs in ("1", "2"):
        _handbook(command, handbook, option, str(tmp_path / f"out-{jobs}"), "--jobs", jobs)
    one, two = _files(tmp_path / "out-1"), _files(tmp_path / "out-2")
    assert len(one) > 50
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []


def test_work_is_shared_only_when_it_pays() -> None:
    if workers.can_fork():
        assert workers.processes(4, 10) == 4
        assert workers.processes(8, 3) == 3
        assert workers.processes(None, workers.SMALL_WORK) == workers.usable_cpus()
    assert workers.processes(None, workers.SMALL_WORK - 1) == 1
    assert workers.processes(1, 1000) == 1


@needs_fork
def test_results_keep_their_order_whatever_the_processes() -> None:
    squares = [i * i for i in range(101)]
    for jobs in (1, 2, 3, 7):
        assert workers.fork_map(lambda i: i * i, 101, jobs) == squares


def test_jobs_must_be_a_positive_whole_number(tmp_path: Path) -> None:
    result = _run("build", tmp_path, "--jobs", "0")
    assert result.returncode == 2
    assert "--jobs" in result.stderr
    assert "Traceback" not in result.stderr


@needs_fork
def test_a_page_that_fails_in_a_worker_fails_the_build(tmp_path: Path) -> None:
    """The failing page is named, the build exits 1 and the previous site stays."""
    handbook = copy_example(tmp_path / "handbook", measured=False)
    site = tmp_path / "site"
    _handbook("build", handbook, "--site-dir", str(site), "--jobs", "2")
    before = _files(site)
    (handbook / "theme" / "broken.html").write_text("{{ nothing.at.all }}", encoding="utf-8")
    for name in ("broken-a", "broken-b"):  # neighbours: one of them is a worker's
        page = handbook / "content" / f"{name}.md"
        page.write_text(f"---\ntemplate: broken.html\n---\n# {name}\n", encoding="utf-8")
    result = _run("build", handbook, "--site-dir", str(site), "--jobs", "2")
    assert result.returncode == 1
    assert "Error building page 'broken-" in result.stderr
    assert "Traceback" not in result.stderr
    assert _files(site) == before


def test_pages_are_shared_only_with_plugins_that_keep_no_page_state(tmp_path: Path) -> None:
    from mkdocs.config import load_config  # noqa: PLC0415 - a real configuration, loaded

    from generator.site.parallel_pages import can_spread  # noqa: PLC0415

    handbook = copy_example(tmp_path / "handbook", measured=False)
    assert can_spread(load_config(str(handbook / "mkdocs.yml"))) is workers.can_fork()
    (handbook / "hook.py").write_text(
        "def on_page_context(context, **kwargs):\n    return context\n"
    )
    config = handbook / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n  - hook.py\n")
    assert not can_spread(load_config(str(config)))

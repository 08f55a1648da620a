"""The hostile-input corpus: each case in tests/hostile/ plants one defect in a small organisation.

A case folder holds the files it adds to (or replaces in) ``tests/hostile/_base/`` and an
``expected.yaml``::

    description: what is wrong
    exit: 1                      # status of `handbook validate`
    remove: [roles/…]            # base files to leave out (optional)
    transform:                   # byte-level changes after copying (optional)
      - {file: roles/…, encoding: cp1250}      # re-encode the UTF-8 text
      - {file: roles/…, bom: true}             # prepend a UTF-8 byte-order mark
      - {file: roles/…, crlf: true}            # CRLF line ends
      - {file: roles/…, replace: [old, new]}   # e.g. plant an invisible character
    generate:                    # files made at test time (optional)
      - {file: roles/…, kind: large | deep-flow | deep-block | binary | symlink, target: …}
    xfail: reason                # a known defect: the case runs as a strict xfail (optional)
    values:                      # loaded values of an accepted case (optional)
      - {role: id, path: [field, 0, field], equals: value}
    diagnostics:                 # each must be reported (message and hint are substrings)
      - {file, line, column, severity, path, message, hint, code}
        repeats: true            # the same finding may also be reported at other places

Every error reported must be one of the expected diagnostics, so a planted defect
causes no follow-on noise. The real command line is run for each case; the time of
the work itself is measured in-process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import run_handbook, subprocess_env, tree_digest

from generator.model.settings import Settings
from generator.project import load_project

HOSTILE = Path(__file__).resolve().parent / "hostile"
BASE = HOSTILE / "_base"
CASES = sorted(p.name for p in HOSTILE.iterdir() if p.is_dir() and not p.name.startswith("_"))
SPEC = "expected.yaml"
CLI_TIMEOUT = 60.0
WORK_LIMIT = 5.0
"""Seconds after which one case counts as hanging: every case takes well under half a second
on an idle machine, and the exponential or quadratic inputs of the corpus would take minutes
without their guards; the margin keeps a busy machine from failing the check."""

_MB = 1_000_000


def _spec(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((HOSTILE / name / SPEC).read_text(encoding="utf-8"))
    return data


# --- building a case -------------------------------------------------------------------------


def _large_role() -> bytes:
    """A well-formed role file just over the size limit."""
    head = "id: printer-fixer\ntitle: Printer Fixer\nteam: support\nsummary: |\n"
    line = "  " + "All work and no play makes a dull printer. " * 3 + "\n"
    return (head + line * (_MB // len(line) + 10)).encode("utf-8")


def _deep_block() -> bytes:
    """Block mappings nested 200 levels, one level per line."""
    lines = ["id: printer-fixer"] + [f"{'  ' * i}k{i}:" for i in range(200)]
    return ("\n".join(lines) + " end\n").encode("utf-8")


_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"

_GENERATORS = {
    "large": _large_role,
    "deep-flow": lambda: b"title: " + b"[" * 100_000 + b"\n",
    "deep-block": _deep_block,
    "binary": lambda: _PNG,
}


def _transform(path: Path, step: dict[str, Any]) -> None:
    data = path.read_bytes()
    if "replace" in step:
        old, new = step["replace"]
        data = data.replace(old.encode("utf-8"), new.encode("utf-8"))
    if step.get("crlf"):
        data = data.replace(b"\n", b"\r\n")
    if "encoding" in step:
        data = data.decode("utf-8").encode(step["encoding"])
    if step.get("bom"):
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)


def materialise(name: str, target: Path) -> Path:
    """Write the base organisation with the case's files over it into ``target``."""
    spec = _spec(name)
    shutil.copytree(BASE, target)
    case = HOSTILE / name
    for source in sorted(case.rglob("*")):
        if source.is_file() and source.name != SPEC:
            dest = target / source.relative_to(case)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
    for rel in spec.get("remove", []):
        (target / rel).unlink()
    for step in spec.get("transform", []):
        _transform(target / step["file"], step)
    for item in spec.get("generate", []):
        dest = target / item["file"]
        dest.parent.mkdir(parents=True, exist_ok=True)
        if item["kind"] == "symlink":
            dest.symlink_to(item["target"])
        else:
            dest.write_bytes(_GENERATORS[item["kind"]]())
    return target


# --- running the command line once per case, in parallel -----------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    """What ``handbook validate --format json`` did for one case."""

    folder: Path
    returncode: int
    stdout: str
    stderr: str


def _run(folder: Path) -> Outcome:
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", str(folder), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
        env=subprocess_env(),
        check=False,
    )
    return Outcome(folder, result.returncode, result.stdout, result.stderr)


@pytest.fixture(scope="session")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    """Every case materialised and validated by the real CLI, two or more at a time."""
    root = tmp_path_factory.mktemp("hostile")
    folders = {name: materialise(name, root / name) for name in CASES}
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = dict(zip(folders, pool.map(_run, folders.values()), strict=True))
    yield results


@pytest.fixture(scope="session")
def warm() -> None:
    """Compile the schemas and import everything once, so timings measure the work only."""
    load_project(BASE, Settings())


# --- assertions ------------------------------------------------------------------------------


def _matches(expected: dict[str, Any], actual: dict[str, Any], *, anywhere: bool = False) -> bool:
    """Whether ``actual`` is the ``expected`` diagnostic (at any place, with ``anywhere``)."""
    exact = ("file", "severity", "path", "code")
    if not anywhere:
        exact += ("line", "column")
    if any(key in expected and expected[key] != actual[key] for key in exact):
        return False
    return all(
        expected[key] in actual[key] for key in ("message", "hint") if expected.get(key) is not None
    )


def _shown(diags: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  {d['file']}:{d['line']}:{d['column']} {d['severity']} {d['path']} "
        f"{d['message']!r} hint={d['hint']!r} [{d['code']}]"
        for d in diags
    )


def _value(obj: Any, path: list[str | int]) -> Any:
    for part in path:
        obj = obj[part] if isinstance(part, int) else getattr(obj, part)
    return obj


def test_every_category_has_cases() -> None:
    """The corpus covers each kind of hostile input the handbook promises to withstand."""
    prefixes = (
        "duplicate-key", "yaml11-no-off", "yaml11-sexagesimal", "yaml11-octal", "unquoted-date",
        "alias-bomb", "tab-", "bom-", "latin1-", "cp1250-", "binary-", "empty-file", "list-root",
        "large-file", "deep-", "dangling-team", "dangling-reports-to", "dangling-escalate-to",
        "dangling-customer-team", "dangling-customer-role", "dangling-expectation-commitment",
        "dangling-reward-requires", "dangling-team-parent", "dangling-team-lead",
        "duplicate-role-id-across-files", "file-stem-mismatch", "reports-to-cycle",
        "team-parent-cycle", "shares-over-100", "disordered-", "id-path-traversal",
        "misspelled-",
    )  # fmt: skip
    missing = [p for p in prefixes if not any(c.startswith(p) for c in CASES)]
    assert not missing


def _with_known_bugs(names: list[str]) -> list[Any]:
    """Cases whose ``expected.yaml`` names a known defect run as strict xfails."""
    params = []
    for name in names:
        reason = _spec(name).get("xfail")
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(name, marks=marks, id=name))
    return params


@pytest.mark.parametrize("name", _with_known_bugs(CASES))
def test_case(name: str, outcomes: dict[str, Outcome]) -> None:
    """Exit status, diagnostics with file:line, path and message; never a traceback."""
    spec = _spec(name)
    outcome = outcomes[name]
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert outcome.returncode == spec["exit"], outcome.stdout + outcome.stderr
    actual: list[dict[str, Any]] = json.loads(outcome.stdout)["diagnostics"]
    for expected in spec["diagnostics"]:
        assert any(_matches(expected, d) for d in actual), (
            f"expected {expected}\nbut got:\n{_shown(actual)}"
        )
    unexpected = [
        d
        for d in actual
        if d["severity"] == "error"
        and not any(_matches(e, d, anywhere=e.get("repeats", False)) for e in spec["diagnostics"])
    ]
    assert not unexpected, f"follow-on errors:\n{_shown(unexpected)}"
    for diag in actual:
        if diag["severity"] == "error" and diag["code"] != "yaml-size":
            assert diag["line"] >= 1, diag


@pytest.mark.parametrize("name", CASES)
def test_case_is_fast(name: str, outcomes: dict[str, Outcome], warm: None) -> None:
    """Loading, checking and linting a hostile case ends in bounded time (no blow-up)."""
    folder = outcomes[name].folder
    started = time.perf_counter()
    project, _diags = load_project(folder, Settings())
    elapsed = time.perf_counter() - started
    assert elapsed < WORK_LIMIT, f"{elapsed:.2f} s"
    for check in _spec(name).get("values", []):
        role = project.organisation.roles[check["role"]]
        assert _value(role, check["path"]) == check["equals"]


def _handbook(*args: str) -> subprocess.CompletedProcess[str]:
    return run_handbook(*args, timeout=CLI_TIMEOUT * 3)


@pytest.mark.slow
def test_traversal_ids_write_nothing_and_keep_the_site(tmp_path: Path) -> None:
    """Ids that climb out of the site fail the build; every file outside roles/ stays as it was."""
    work = tmp_path / "work"
    org = work / "org"
    shutil.copytree(BASE, org)
    first = _handbook("build", str(org))
    assert first.returncode == 0, first.stderr
    site_before = tree_digest(org / "site")
    assert "roles/director/index.html" in site_before
    outside_before = tree_digest(work)
    traversal = ["id-path-traversal", "id-percent-encoded-traversal", "team-id-backslash-traversal"]
    for name in traversal:
        case = HOSTILE / name
        for source in case.rglob("*.yaml"):
            if source.name != SPEC:
                dest = org / source.relative_to(case)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, dest)
    second = _handbook("build", str(org))
    assert second.returncode == 1, second.stderr
    assert "Traceback" not in second.stderr
    assert "is not a valid id" in second.stderr
    assert tree_digest(org / "site") == site_before
    outside_after = tree_digest(work)
    changed = {
        path
        for path in set(outside_before) | set(outside_after)
        if not path.startswith("org/roles/") and outside_before.get(path) != outside_after.get(path)
    }
    assert not changed
    assert sorted(p.name for p in org.iterdir()) == sorted(
        ["content", "mkdocs.yml", "roles", "site"]
    )

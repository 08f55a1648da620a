"""Checks kept between loads (``mkdocs serve``) report exactly what a fresh load reports."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from helpers import TODAY, copy_example

from generator.check import LintContext, RoleEntry
from generator.check.cache import RuleCache
from generator.check.registry import CheckFunc
from generator.cli.commands import load_settings
from generator.diagnostics.values import Diagnostic
from generator.project import FileCache, load_project

FACILITIES = "roles/operations/facilities-coordinator.yaml"
PROCUREMENT = "roles/operations/procurement-specialist.yaml"
QUALITY = "roles/operations/quality-engineer.yaml"
TEAMS = "roles/teams.yaml"

Edit = Callable[[Path], None]


def _replace(file: str, old: str, new: str) -> Edit:
    def edit(root: Path) -> None:
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        _write(path, text.replace(old, new, 1))

    return edit


def _write(path: Path, text: str) -> None:
    """Write ``text`` and move the modification time on, as a later save would."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    later = max(path.stat().st_mtime_ns, before + 1_000_000_000)
    os.utime(path, ns=(later, later))


def _delete(file: str) -> Edit:
    return lambda root: (root / file).unlink()


EDITS: list[tuple[str, Edit, str | None]] = [
    ("a share over 100 in one role", _replace(FACILITIES, "share: 30", "share: 90"), "HB107"),
    (
        "a misspelt manager",
        _replace(FACILITIES, "reports_to: head-of-operations", "reports_to: head-of-operatons"),
        "HB101",
    ),
    (
        "another role's id renamed (the known roles change)",
        _replace(PROCUREMENT, "id: procurement-specialist", "id: buyer"),
        "HB113",
    ),
    (
        "a team's lead unknown (teams.yaml)",
        _replace(TEAMS, "lead: production-planner", "lead: nobody-here"),
        "HB101",
    ),
    ("the share mended", _replace(FACILITIES, "share: 90", "share: 30"), None),
    ("a role file removed", _delete(QUALITY), None),
    (
        "a role file that no longer parses",
        _replace(FACILITIES, "team: facilities", "team: ["),
        None,
    ),
]


def _codes(diags: list[Diagnostic]) -> set[str]:
    return {d.code for d in diags if d.code}


@pytest.fixture
def handbook(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "handbook", measured=False)


def test_kept_checks_report_what_a_fresh_load_reports(handbook: Path) -> None:
    settings = load_settings(handbook)
    files: FileCache = {}
    rules = RuleCache()
    load_project(handbook, settings, today=TODAY, cache=files, rule_cache=rules)
    for name, edit, code in EDITS:
        edit(handbook)
        kept, kept_diags = load_project(
            handbook, settings, today=TODAY, cache=files, rule_cache=rules
        )
        fresh, fresh_diags = load_project(handbook, settings, today=TODAY)
        assert kept_diags == fresh_diags, name
        assert kept.organisation == fresh.organisation, name
        if code is not None:
            assert code in _codes(kept_diags), name


def test_an_unchanged_role_is_not_checked_again(
    handbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(handbook)
    files: FileCache = {}
    rules = RuleCache()
    first, _ = load_project(handbook, settings, today=TODAY, cache=files, rule_cache=rules)
    checked: list[str] = []
    original = RuleCache._check

    def counting(
        self: RuleCache, ctx: LintContext, checks: Sequence[CheckFunc], stale: list[RoleEntry]
    ) -> None:
        checked.extend(entry.role.id for entry in stale)
        original(self, ctx, checks, stale)

    monkeypatch.setattr(RuleCache, "_check", counting)
    _replace(FACILITIES, "share: 30", "share: 90")(handbook)
    load_project(handbook, settings, today=TODAY, cache=files, rule_cache=rules)
    assert checked == ["facilities-coordinator"]
    assert len(first.organisation.roles) > 10

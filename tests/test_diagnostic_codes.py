"""One diagnostic vocabulary: every code the source can emit is declared and listed."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest
from helpers import REPO_ROOT, run_handbook, write_valid_org

from generator.diagnostics import codes

SOURCE = REPO_ROOT / "generator"
CODE_LITERAL = re.compile(r"(HB[0-9]{3}|yaml-[a-z-]+|feedback-report)")


def _handbook(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_handbook(*args, cwd=cwd)


def _emitted_codes() -> set[str]:
    """Codes named anywhere in the source: ``codes.NAME`` references and code literals."""
    declared = {name: value for name, value in vars(codes).items() if isinstance(value, codes.Code)}
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "codes"
                and node.attr in declared
            ):
                found.add(declared[node.attr].code)
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and CODE_LITERAL.fullmatch(node.value)
                and path.name != "codes.py"
            ):
                found.add(node.value)
    return found


def test_every_emitted_code_is_listed_by_handbook_rules() -> None:
    listed = {line.split()[0] for line in _handbook("rules").stdout.splitlines()}
    emitted = _emitted_codes()
    assert len(emitted) > 30
    assert emitted <= listed, sorted(emitted - listed)


def test_every_declared_code_is_emitted_somewhere() -> None:
    declared = {c.code for c in codes.all_codes()}
    assert declared <= _emitted_codes(), sorted(declared - _emitted_codes())


def test_codes_and_names_are_unique() -> None:
    spelled = codes.keys()
    assert len(spelled) == len(set(spelled))


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("HB199", "unknown rule 'HB199'; did you mean 'HB119'?"),
        ("promises-nothin", "did you mean 'promises-nothing'?"),
        ("HB001", "'HB001' cannot be re-levelled"),
    ],
)
def test_rules_keys_are_checked(tmp_path: Path, key: str, expected: str) -> None:
    write_valid_org(tmp_path, mkdocs={"rules": {key: "off"}})
    result = _handbook("validate", str(tmp_path))
    assert result.returncode == 1, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_rules_accept_codes_and_names(tmp_path: Path) -> None:
    write_valid_org(tmp_path, mkdocs={"rules": {"HB111": "off", "unused-expectation": "error"}})
    result = _handbook("validate", str(tmp_path), "--format", "json")
    assert "unknown rule" not in result.stderr
    assert '"HB111"' not in result.stdout

"""The dependency-drift report: an upgraded uv.lock compared with the committed one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "lock_drift.py"


def lock(*packages: tuple[str, str]) -> str:
    """A uv.lock with these packages (the project itself first, as uv writes it)."""
    parts = ['version = 1\nrevision = 3\nrequires-python = ">=3.11"\n']
    parts.append(
        '[[package]]\nname = "expectations-handbook"\nversion = "0.2.0"\n'
        'source = { editable = "." }\n'
    )
    for name, version in packages:
        parts.append(
            f'[[package]]\nname = "{name}"\nversion = "{version}"\n'
            'source = { registry = "https://pypi.org/simple" }\n'
            f'wheels = [{{ url = "https://example.invalid/{name}-{version}-py3-none-any.whl" }}]\n'
        )
    return "\n".join(parts)


def drift(tmp_path: Path, before: str, after: str) -> subprocess.CompletedProcess[str]:
    """Run the script on two lock files written to ``tmp_path``."""
    (tmp_path / "committed.lock").write_text(before, encoding="utf-8")
    (tmp_path / "upgraded.lock").write_text(after, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(SCRIPT), "committed.lock", "upgraded.lock"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )


def test_changed_added_and_removed_packages_are_listed(tmp_path: Path) -> None:
    before = lock(("markdown", "3.6"), ("mkdocs", "1.6.0"), ("six", "1.16.0"))
    after = lock(("markdown", "3.10.2"), ("mkdocs", "1.6.0"), ("ghp-import", "2.1.0"))
    done = drift(tmp_path, before, after)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "## Dependency drift"
    assert "1 of 4 locked packages have newer versions within the ranges." in lines
    assert "| markdown | 3.6 | 3.10.2 |" in lines
    assert not [line for line in lines if line.startswith("| mkdocs ")]
    assert "New packages: ghp-import 2.1.0" in lines
    assert "No longer needed: six 1.16.0" in lines


def test_no_drift_says_so(tmp_path: Path) -> None:
    same = lock(("markdown", "3.6"), ("mkdocs", "1.6.0"))
    done = drift(tmp_path, same, same)
    assert done.returncode == 0
    assert "All 3 locked packages are already the newest versions the ranges allow." in done.stdout
    assert "|" not in done.stdout


def test_a_package_locked_at_two_versions(tmp_path: Path) -> None:
    before = lock(("numpy", "1.26.4"), ("numpy", "2.0.2"))
    after = lock(("numpy", "1.26.4"), ("numpy", "2.3.1"))
    done = drift(tmp_path, before, after)
    assert "| numpy | 1.26.4, 2.0.2 | 1.26.4, 2.3.1 |" in done.stdout.splitlines()


def test_bad_input_is_one_line_and_exit_1(tmp_path: Path) -> None:
    done = drift(tmp_path, "[[package]\n", lock())
    assert done.returncode == 1
    assert done.stderr.startswith("lock_drift.py: ") and len(done.stderr.splitlines()) == 1
    assert "Traceback" not in done.stderr
    missing = subprocess.run(
        [sys.executable, str(SCRIPT), "only-one.lock"], capture_output=True, text=True, check=False
    )
    assert missing.returncode == 2 and missing.stderr.startswith("usage: ")

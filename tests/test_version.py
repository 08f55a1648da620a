"""The package's version: installed metadata, the source tree's pyproject, and releases."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from helpers import REPO_ROOT, subprocess_env

import generator
from generator import version


def test_the_running_version_is_the_projects() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert generator.__version__ == project["project"]["version"]
    assert version.package_version() == generator.__version__


def test_a_source_tree_without_installing_reads_its_pyproject(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "expectations-handbook"\nversion = "4.5.6"\n')
    assert version._source_version(pyproject) == "4.5.6"
    pyproject.write_text('[project]\nname = "another-project"\nversion = "4.5.6"\n')
    assert version._source_version(pyproject) == version.UNKNOWN
    pyproject.write_text("[project\n")
    assert version._source_version(pyproject) == version.UNKNOWN
    assert version._source_version(tmp_path / "missing.toml") == version.UNKNOWN


@pytest.mark.parametrize(
    ("text", "released"),
    [
        ("0.2.0", True),
        ("1.0", True),
        ("2.1.0rc1", True),
        ("1.0.post2", True),
        ("0.3.0.dev0", False),
        ("0.2.0+local", False),
        (version.UNKNOWN, False),
    ],
)
def test_releases_are_told_from_development_versions(text: str, released: bool) -> None:
    assert version.is_release(text) is released


def test_the_command_reports_its_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "--version"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=True,
    )
    assert done.stdout.strip() == f"handbook {generator.__version__}"

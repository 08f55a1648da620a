"""``handbook new`` gives a handbook that stays valid whenever it is created."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from helpers import REPO_ROOT

from generator import version
from generator.cli import commands as cli
from generator.cli.scaffold import VERSION_TOKEN, create, scaffold_files
from generator.diagnostics.values import HandbookError
from generator.project import load_project
from generator.version import __version__


@pytest.mark.parametrize("year", [2026, 2031, 2040])
def test_new_handbook_is_clean_in_any_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, year: int
) -> None:
    epoch = int(dt.datetime(year, 3, 1, tzinfo=dt.UTC).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    create(tmp_path / "h")
    _project, diags = load_project(tmp_path / "h")
    assert diags == []
    role = (tmp_path / "h" / "roles" / "managing-director.yaml").read_text("utf-8")
    next_review = dt.date(year, 3, 1) + dt.timedelta(days=365)
    assert f'review_by: "{next_review.isoformat()}"' in role


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    create(tmp_path)
    with pytest.raises(HandbookError, match="already exists"):
        create(tmp_path)


def test_a_new_handbook_pins_the_version_that_made_it() -> None:
    files = scaffold_files("7.8.9")
    assert not [name for name, text in files.items() if VERSION_TOKEN in text]
    assert "\nexpectations-handbook==7.8.9\n" in files["requirements.txt"]
    hooks = yaml.safe_load(files[".pre-commit-config.yaml"])["repos"][0]["hooks"]
    assert [h["additional_dependencies"] for h in hooks] == [["expectations-handbook==7.8.9"]] * 2
    assert f"expectations-handbook=={__version__}\n" in scaffold_files()["requirements.txt"]


def test_the_scaffolds_hooks_are_the_published_hooks() -> None:
    """The scaffold's local hooks install the tool themselves and run what other repos run."""
    published = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    hooks = yaml.safe_load(scaffold_files()[".pre-commit-config.yaml"])["repos"][0]["hooks"]
    assert [h["id"] for h in hooks] == [h["id"] for h in published]
    for ours, theirs in zip(hooks, published, strict=True):
        assert ours["language"] == theirs["language"] == "python"
        for key in ("name", "entry", "pass_filenames", "require_serial"):
            assert ours[key] == theirs[key], key


@pytest.mark.parametrize(("running", "warned"), [("0.3.0.dev0", True), ("0.3.0", False)])
def test_new_warns_when_it_pins_a_development_version(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    running: str,
    warned: bool,
) -> None:
    monkeypatch.setattr(version, "__version__", running)
    assert cli.main(["new", str(tmp_path / "h")]) == 0
    pinned = (tmp_path / "h" / "requirements.txt").read_text(encoding="utf-8")
    assert f"expectations-handbook=={running}\n" in pinned
    stderr = capsys.readouterr().err
    assert ("pins the development version 0.3.0.dev0" in stderr) is warned

"""Settings read from a plain mkdocs.yml without MkDocs equal MkDocs' own reading of it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO_ROOT, subprocess_env
from mkdocs.config import base

from generator.site import settings_file
from generator.site.build import handbook_settings, load_mkdocs_config
from generator.site.config import HandbookConfig


def _full(config_file: Path) -> Any:
    return handbook_settings(load_mkdocs_config(config_file))


@pytest.mark.parametrize("folder", [REPO_ROOT, REPO_ROOT / "examples" / "pl"])
def test_quick_settings_equal_mkdocs_reading(folder: Path) -> None:
    config_file = folder / "mkdocs.yml"
    quick = settings_file.quick_settings(config_file)
    assert quick is not None, "a plain mkdocs.yml is read without MkDocs"
    assert quick == _full(config_file)


def test_quick_settings_with_env_tag_and_site_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(REPO_ROOT / "roles", tmp_path / "roles")
    (tmp_path / "docs").mkdir()
    monkeypatch.setenv("HANDBOOK_TEST_ROLES", "roles")
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(
        "site_name: Handbook\n"
        "site_url: https://handbook.example.org/team\n"
        "repo_url: https://git.example.org/org/handbook\n"
        "edit_uri: edit/main/\n"
        "plugins:\n"
        "  - handbook:\n"
        "      roles_dir: !ENV [HANDBOOK_TEST_ROLES, elsewhere]\n"
        "      audience: leaders\n"
        "      rules: {workload-limit: error}\n"
        "      feedback: {min_responses: 3, origins: [https://intranet.example.org]}\n",
        encoding="utf-8",
    )
    quick = settings_file.quick_settings(config_file)
    assert quick is not None
    assert quick == _full(config_file)


def test_inherit_is_left_to_mkdocs(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "base.yml").write_text(
        "site_name: Base\nplugins:\n  - handbook:\n      max_commitments: 3\n", encoding="utf-8"
    )
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("INHERIT: base.yml\nsite_name: Child\n", encoding="utf-8")
    assert settings_file.quick_settings(config_file) is None
    assert settings_file.load_settings(config_file) == _full(config_file)


def _defaults(config: type[base.Config]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, option in config._schema:
        sub = getattr(option, "config_class", None)
        found[name] = _defaults(sub) if sub is not None else option.default
    return found


def _declared(options: settings_file.Options) -> dict[str, Any]:
    return {
        name: _declared(value) if isinstance(value, dict) else value[1]
        for name, value in options.items()
    }


def test_every_plugin_option_is_read_with_its_default() -> None:
    declared = _declared(settings_file.HANDBOOK)
    defaults = _defaults(HandbookConfig)
    assert declared.keys() == defaults.keys()
    for name, default in defaults.items():
        if name in {"priorities", "calendar"}:  # parsed by their own option classes
            continue
        assert declared[name] == default, name


def test_a_bad_option_is_reported_by_validate(tmp_path: Path) -> None:
    shutil.copytree(REPO_ROOT / "roles", tmp_path / "roles")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Handbook\nplugins:\n  - handbook:\n      max_commitments: lots\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", str(tmp_path)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "max_commitments" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


_PROBE = """\
import sys
from generator.cli.commands import main
code = main(['validate', sys.argv[1]])
heavy, prefixes = set(sys.argv[2].split()), tuple(sys.argv[3].split())
loaded = sorted(m for m in sys.modules if m.split('.')[0] in heavy or m.startswith(prefixes))
print(code, loaded)
"""


def _loaded_by_validate(folder: Path, packages: str, modules: str) -> str:
    """``<exit status> [<modules loaded>]``: of ``packages`` and modules starting ``modules``."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, str(folder), packages, modules],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
        check=False,
    )
    assert result.stdout.strip(), result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


def test_validate_imports_no_build_machinery() -> None:
    loaded = _loaded_by_validate(
        REPO_ROOT,
        "jinja2 material starlette markdown",
        "mkdocs.commands mkdocs.config generator.render generator.site.build generator.site.plugin",
    )
    assert loaded == "0 []"


def test_validate_of_a_plain_handbook_imports_only_the_check(tmp_path: Path) -> None:
    """No calendar, measurements or second language: none of their libraries is loaded."""
    from bench.org import write_handbook  # noqa: PLC0415 - a synthetic 30-role handbook

    loaded = _loaded_by_validate(
        write_handbook(tmp_path / "org", 30),
        "babel fastjsonschema holidays jsonschema sqlalchemy tempfile",
        "generator.measure.outcomes generator.load.measurements generator.requests "
        "generator.cli.requests generator.feedback",
    )
    assert loaded == "0 []"

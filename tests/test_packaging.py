"""The wheel on its own: installed offline into an empty environment, ``handbook new``
writes a handbook whose own CI steps and pre-commit hooks pass against that wheel.

The wheelhouse (tests/wheelhouse.py) is made without a network: the wheel is built from
a copy of this checkout, its dependencies are repacked from this environment. Every pip
in these tests runs with ``PIP_NO_INDEX=1`` and ``PIP_FIND_LINKS`` set to it, and no
configuration file, so nothing is fetched from a package index.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Sequence
from email.parser import Parser
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO_ROOT
from packaging.utils import canonicalize_name
from wheelhouse import (
    build_wheel,
    clean_env,
    closure,
    make_venv,
    repack,
    requirements_of,
    setuptools_wheel,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is needed"),
]

DISTRIBUTION = "expectations-handbook"
GITHUB_WORKFLOWS = (
    ".github/workflows/handbook-check.yml",
    ".github/workflows/handbook-publish.yml",
)
GITLAB_CI = ".gitlab-ci.yml"
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "A",
    "GIT_AUTHOR_EMAIL": "a@example.com",
    "GIT_COMMITTER_NAME": "A",
    "GIT_COMMITTER_EMAIL": "a@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
PROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
VERSION: str = PROJECT["version"]


def need(module: str) -> None:
    """A tool from the test environment; fail on CI, skip elsewhere when it is missing."""
    if importlib.util.find_spec(module) is None:
        message = f"{module} is needed (pre-commit installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def run(args: Sequence[str | Path], cwd: Path, env: dict[str, str]) -> str:
    """Run a command; fail the test with its output unless it succeeds; return stdout."""
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, the wheels it needs and setuptools, in one folder."""
    need("virtualenv")
    work = tmp_path_factory.mktemp("packaging")
    house = work / "wheelhouse"
    house.mkdir()
    wheel = build_wheel(REPO_ROOT, house, work)
    for dist in closure(requirements_of(wheel)):
        if canonicalize_name(dist.metadata["Name"]) != DISTRIBUTION:
            repack(dist, house)
    shutil.copy2(setuptools_wheel(), house)
    return house


def offline(home: Path, wheelhouse: Path, **extra: str) -> dict[str, str]:
    """A clean environment whose pip installs from the wheelhouse only."""
    return clean_env(
        home, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(wheelhouse), **GIT_IDENTITY, **extra
    )


@pytest.fixture(scope="module")
def tool(wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of an empty environment into which only the tool was installed."""
    work = tmp_path_factory.mktemp("tool")
    bin_dir = make_venv(work / "venv")
    run([bin_dir / "python", "-m", "pip", "install", DISTRIBUTION], work, offline(work, wheelhouse))
    return bin_dir


def new_handbook(tool: Path, where: Path, env: dict[str, str]) -> tuple[Path, str]:
    """``handbook new`` in a git repository, then a pull request's change; return the base."""
    run([tool / "handbook", "new", "handbook"], where, env)
    handbook = where / "handbook"
    run(["git", "init", "-q", "-b", "main"], handbook, env)
    run(["git", "add", "-A"], handbook, env)
    run(["git", "commit", "-q", "-m", "A new handbook"], handbook, env)
    base = run(["git", "rev-parse", "HEAD"], handbook, env).strip()
    role = handbook / "roles" / "managing-director.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("response: 4h", "response: 2h"))
    run(["git", "commit", "-q", "-am", "Faster urgent decisions"], handbook, env)
    return handbook, base


def load(path: Path) -> Any:
    """A YAML file as data."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def ci_scripts(handbook: Path, context: dict[str, str]) -> list[tuple[str, str]]:
    """Every shell script the scaffold's CI runs, named by file, job and step, in order."""
    scripts = []
    for name in GITHUB_WORKFLOWS:
        for job_id, job in load(handbook / name)["jobs"].items():
            for step in job.get("steps", []):
                if "run" in step:
                    unknown = set(step.get("env", {})) - set(context)
                    assert not unknown, f"{name} › {step['name']} needs {unknown}"
                    scripts.append((f"{name} › {job_id} › {step['name']}", step["run"]))
    for job_id, job in load(handbook / GITLAB_CI).items():
        if isinstance(job, dict) and "script" in job:
            scripts.append((f"{GITLAB_CI} › {job_id}", "\n".join(job["script"])))
    return scripts


def test_the_wheel_carries_its_data_and_metadata(wheelhouse: Path) -> None:
    (wheel,) = wheelhouse.glob("expectations_handbook-*.whl")
    info = f"expectations_handbook-{VERSION}.dist-info"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        meta = Parser().parsestr(archive.read(f"{info}/METADATA").decode("utf-8"))
    assert {name.split("/")[0] for name in names} == {"generator", info}
    for data in (
        "generator/py.typed",
        "generator/load/schemas/role.schema.json",
        "generator/i18n/locale/pl/LC_MESSAGES/handbook.po",
        "generator/site/plugin.py",
        "generator/cli/new/dot-pre-commit-config.yaml",
        "generator/cli/new/dot-github/workflows/handbook-check.yml",
        "generator/cli/new/requirements.txt",
        "generator/cli/new/__pl__/roles/prezes-zarzadu.yaml",
        "generator/cli/new/__pl__/mkdocs.yml",
    ):
        assert data in names, data
    assert meta["Name"] == DISTRIBUTION and meta["Version"] == VERSION
    assert meta["License-Expression"] == "MIT"
    assert meta["Author"] == PROJECT["authors"][0]["name"]
    assert set(meta.get_all("Classifier") or []) == set(PROJECT["classifiers"])
    assert "Typing :: Typed" in PROJECT["classifiers"]
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL") or [])
    assert urls == PROJECT["urls"] and {"Source", "Issues", "Changelog"} <= set(urls)


def test_the_wheel_alone_runs_the_tool(tool: Path, tmp_path: Path, wheelhouse: Path) -> None:
    env = offline(tmp_path, wheelhouse)
    code = "import generator; print(generator.__file__); print(generator.__version__)"
    module, version = run([tool / "python", "-c", code], tmp_path, env).split()
    assert Path(module).is_relative_to(tool.parent)  # the installed copy, not this checkout
    assert version == VERSION
    done = subprocess.run(
        [tool / "handbook", "--version"], env=env, capture_output=True, text=True, check=False
    )
    assert done.stdout.strip() == f"handbook {VERSION}"


def test_a_new_handbook_pins_the_version_that_made_it(tool: Path, tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    run([tool / "handbook", "new", "h"], tmp_path, env)
    requirements = (tmp_path / "h" / "requirements.txt").read_text(encoding="utf-8")
    assert f"\n{DISTRIBUTION}=={VERSION}\n" in requirements
    hooks = load(tmp_path / "h" / ".pre-commit-config.yaml")["repos"][0]["hooks"]
    for hook in hooks:
        assert hook["language"] == "python"
        assert hook["additional_dependencies"] == [f"{DISTRIBUTION}=={VERSION}"]


def test_a_new_handbooks_ci_passes_offline(tool: Path, wheelhouse: Path, tmp_path: Path) -> None:
    handbook, base = new_handbook(tool, tmp_path, offline(tmp_path, wheelhouse))
    runner = make_venv(tmp_path / "runner")  # the CI machine's Python: nothing installed
    summary = tmp_path / "summary.md"
    context = {"BASE_SHA": base}
    env = offline(
        tmp_path,
        wheelhouse,
        PATH=os.pathsep.join([str(runner), clean_env(tmp_path)["PATH"]]),
        GITHUB_STEP_SUMMARY=str(summary),
        CI_MERGE_REQUEST_DIFF_BASE_SHA=base,
        CI_PROJECT_DIR=str(handbook),
        **context,
    )
    for key, value in load(handbook / GITLAB_CI).get("variables", {}).items():
        env[key] = str(value).replace("$CI_PROJECT_DIR", str(handbook))
    scripts = ci_scripts(handbook, context)
    installs = [name for name, script in scripts if "pip install -r requirements.txt" in script]
    assert len(installs) == 4, installs  # each GitHub job that builds, each GitLab job
    for name, script in scripts:
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=handbook,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, f"{name}: {done.stdout}{done.stderr}"
    installed = run([runner / "python", "-m", "pip", "list", "--format", "freeze"], tmp_path, env)
    assert f"{DISTRIBUTION}=={VERSION}" in installed.splitlines()
    text = summary.read_text(encoding="utf-8")
    assert "## Role files" in text and "no problems found" in text
    assert "first response 4 hours → 2 hours" in text
    assert "first response 4 hours → 2 hours" in (handbook / "handbook-changes.md").read_text(
        encoding="utf-8"
    )
    for site in ("site", "_site", "public"):
        assert (handbook / site / "roles").is_dir(), site


def test_the_pre_commit_hooks_install_the_tool_offline(
    tool: Path, wheelhouse: Path, tmp_path: Path
) -> None:
    need("pre_commit")
    cache = tmp_path / "pre-commit-cache"
    env = offline(
        tmp_path, wheelhouse, PRE_COMMIT_HOME=str(cache), VIRTUALENV_NO_PERIODIC_UPDATE="1"
    )
    assert shutil.which("handbook", path=env["PATH"]) is None  # the hooks bring their own
    handbook, _ = new_handbook(tool, tmp_path, env)
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"]
    output = run(pre_commit, handbook, env)
    assert re.search(r"^handbook validate\.+Passed$", output, re.MULTILINE), output
    assert re.search(r"^handbook codeowners\.+Passed$", output, re.MULTILINE), output
    (hook_tool,) = cache.glob("repo*/py_env-*/bin/handbook")
    assert run([hook_tool, "--version"], tmp_path, env).strip() == f"handbook {VERSION}"

    run([tool / "handbook", "codeowners"], handbook, env)
    run(["git", "add", "CODEOWNERS"], handbook, env)
    run(["git", "commit", "-q", "-m", "Owners approve their roles"], handbook, env)
    role = handbook / "roles" / "managing-director.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("@your-github-handle", "@dana"))
    run(["git", "commit", "-q", "-am", "A new owner"], handbook, env)
    done = subprocess.run(
        pre_commit, cwd=handbook, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"^handbook codeowners\.+Failed$", done.stdout, re.MULTILINE), done.stdout
    assert "CODEOWNERS is out of date" in done.stdout

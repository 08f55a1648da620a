"""CI templates: lint-clean workflows, the same in every scaffold, and a PR run that works."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO_ROOT, epoch_of, subprocess_env

from generator.cli.scaffold import create, scaffold_files

BIN = Path(sys.executable).parent
WORKFLOWS = (".github/workflows/handbook-check.yml", ".github/workflows/handbook-publish.yml")
RELEASE = ".github/workflows/release.yml"
DRIFT = ".github/workflows/dependency-drift.yml"
PROJECT_WORKFLOWS = (RELEASE, DRIFT)
"""The project's own workflows, which no handbook has."""
GITLAB_DRIFT_JOB = "dependency-drift"
SCAFFOLD_INSTALL = "python -m pip install -r requirements.txt"
PROJECT_INSTALL = "python -m pip install ."


def tool(name: str) -> str:
    """A linter from the test environment; fail on CI, skip elsewhere when it is missing."""
    found = shutil.which(name) or shutil.which(name, path=str(BIN))
    if found is None:
        message = f"{name} is needed (the test extra installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def scaffold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new handbook as ``handbook new`` writes it."""
    directory = tmp_path_factory.mktemp("scaffold") / "handbook"
    create(directory)
    return directory


def all_workflow_files(scaffold: Path) -> list[Path]:
    """The scaffold's and the project's own GitHub workflows."""
    project = [REPO_ROOT / w for w in (*WORKFLOWS, *PROJECT_WORKFLOWS)]
    return [scaffold / w for w in WORKFLOWS] + project


def test_scaffold_has_the_ci_files() -> None:
    files = scaffold_files()
    for name in (*WORKFLOWS, ".gitlab-ci.yml", ".pre-commit-config.yaml", "requirements.txt"):
        assert name in files, name


def test_actionlint(scaffold: Path) -> None:
    done = subprocess.run(
        [tool("actionlint"), "-no-color", *map(str, all_workflow_files(scaffold))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    "schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"]
)
def test_github_workflow_schema(scaffold: Path, schema: str) -> None:
    done = subprocess.run(
        [
            tool("check-jsonschema"),
            "--builtin-schema",
            schema,
            *map(str, all_workflow_files(scaffold)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_gitlab_ci_schema(scaffold: Path) -> None:
    files = [scaffold / ".gitlab-ci.yml", REPO_ROOT / ".gitlab-ci.yml"]
    done = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_project_uses_the_scaffolds_ci(scaffold: Path) -> None:
    """The same files, installing from the checkout; GitLab CI adds the drift job."""
    for name in (*WORKFLOWS, ".gitlab-ci.yml"):
        ours = (REPO_ROOT / name).read_text(encoding="utf-8")
        theirs = (scaffold / name).read_text(encoding="utf-8")
        theirs = theirs.replace(SCAFFOLD_INSTALL, PROJECT_INSTALL).replace(
            "cache-dependency-path: requirements.txt", "cache-dependency-path: pyproject.toml"
        )
        if name == ".gitlab-ci.yml":
            ours_data = yaml.safe_load(ours)
            del ours_data[GITLAB_DRIFT_JOB]
            assert ours_data == yaml.safe_load(theirs), name
        else:
            assert ours == theirs, name


def load(path: Path) -> dict[Any, Any]:
    """A YAML file as data."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_actions_are_pinned_and_permissions_least(scaffold: Path) -> None:
    for path in all_workflow_files(scaffold):
        workflow = load(path)
        assert workflow["permissions"] == {}, path
        for job in workflow["jobs"].values():
            assert "permissions" in job
            assert "write" not in {v for k, v in job["permissions"].items() if k == "contents"}
            for step in job["steps"]:
                if "uses" in step:
                    ref = step["uses"].split("@", 1)[1]
                    assert len(ref) == 40 and int(ref, 16) >= 0, step["uses"]
    publish = load(scaffold / WORKFLOWS[1])
    assert publish["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    checkout = publish["jobs"]["build"]["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0  # full history for the role pages


def test_pre_commit_hooks() -> None:
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {hook["id"]: hook for hook in hooks}
    assert by_id["handbook-validate"]["entry"] == "handbook validate"
    assert by_id["handbook-codeowners"]["entry"] == "handbook codeowners --check"
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["pass_filenames"] is False


def git(root: Path, *args: str) -> str:
    """Run git with a fixed identity."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@example.com",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    return subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")
def test_the_pull_request_workflow_runs_on_a_scaffold(tmp_path: Path) -> None:
    directory = tmp_path / "handbook"
    create(directory)
    git(directory, "init", "-q", "-b", "main")
    git(directory, "add", "-A")
    git(directory, "commit", "-q", "-m", "A new handbook")
    base = git(directory, "rev-parse", "HEAD").strip()
    role = directory / "roles" / "managing-director.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("response: 4h", "response: 2h"))
    git(directory, "commit", "-q", "-am", "Faster urgent decisions")
    summary = tmp_path / "summary.md"
    workflow = load(directory / WORKFLOWS[0])
    steps = [s for s in workflow["jobs"]["check"]["steps"] if "run" in s]
    assert steps[0]["run"] == SCAFFOLD_INSTALL
    environment = subprocess_env(
        GITHUB_STEP_SUMMARY=str(summary),
        BASE_SHA=base,
        PATH=os.pathsep.join([str(BIN), os.environ.get("PATH", "")]),
        SOURCE_DATE_EPOCH=epoch_of(dt.date(2027, 1, 15)),
    )
    for step in steps[1:]:  # the generator is already installed here
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=directory,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, f"{step['name']}: {done.stdout}{done.stderr}"
    text = summary.read_text(encoding="utf-8")
    assert "## Role files" in text and "no problems found" in text
    assert "\n### Managing Director\n" in text
    assert (
        "service “Decisions on escalated questions”, urgent requests: first response 4 hours"
        " → 2 hours (stricter)" in text
    )
    assert (directory / "site" / "index.html").is_file()


def test_github_annotations(tmp_path: Path) -> None:
    directory = tmp_path / "handbook"
    create(directory)
    role = directory / "roles" / "managing-director.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("resolution: 1d", "resolution: 1h"))
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", "--format", "github"],
        cwd=directory,
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=False,
    )
    assert done.returncode == 1
    line = next(x for x in done.stdout.splitlines() if x.startswith("::error "))
    assert line.startswith("::error file=roles/managing-director.yaml,line=")
    assert ",col=" in line and ",title=HB" in line
    assert (
        "::service 'decisions', target 'urgent': 'resolution' (1h) is shorter than 'response' (4h)"
    ) in line


def step_named(job: dict[str, Any], start: str) -> dict[str, Any]:
    """The one step of a job whose name starts with ``start``."""
    (step,) = [s for s in job["steps"] if s.get("name", "").startswith(start)]
    return dict(step)


def test_releases_publish_version_tags_through_trusted_publishing() -> None:
    workflow = load(REPO_ROOT / RELEASE)
    assert workflow[True] == {"push": {"tags": ["v*"]}}  # YAML 1.1 reads the key `on` as True
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    assert build["permissions"] == {"contents": "read"}
    runs = [s.get("run", "") for s in build["steps"]]
    order = [
        next(i for i, run in enumerate(runs) if marker in run)
        for marker in ('"$TAG" != "v$version"', "python -m build", "twine check --strict")
    ]
    assert order == sorted(order)  # the tag is checked before anything is built
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    (upload,) = [s for s in publish["steps"] if "gh-action-pypi-publish" in s.get("uses", "")]
    assert "password" not in upload.get("with", {})  # no token: PyPI trusts the workflow


@pytest.mark.parametrize(
    ("tag", "changelog", "ok"),
    [
        ("v1.4.0", "## [1.4.0] - 2027-01-15\n", True),
        ("v1.4.1", "## [1.4.0]\n", False),  # the tag is not the version
        ("v1.4.0", "## [1.3.0] - 2027-01-15\n", False),  # the changelog does not say what is new
        ("v1.4.0", "## [1.4.0] - Unreleased\n", False),  # nor when
        ("v1.4.0", "## [1x4x0] - 2027-01-15\n", False),
        ("1.4.0", "## [1.4.0]\n", False),
    ],
)
def test_the_release_stops_unless_the_tag_is_the_version(
    tmp_path: Path, tag: str, changelog: str, ok: bool
) -> None:
    step = step_named(load(REPO_ROOT / RELEASE)["jobs"]["build"], "Check that the tag")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.4.0"\n')
    (tmp_path / "CHANGELOG.md").write_text(f"# Changelog\n\n{changelog}")
    github_env = tmp_path / "github-env"
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=tmp_path,
        env={**os.environ, "TAG": tag, "GITHUB_ENV": str(github_env)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode == 0) is ok, done.stdout + done.stderr
    if ok:
        assert github_env.read_text(encoding="utf-8") == "VERSION=1.4.0\n"
    else:
        assert done.stdout.startswith("::error file=")


def test_the_projects_version_has_a_changelog_section() -> None:
    version = load_toml(REPO_ROOT / "pyproject.toml")["project"]["version"]
    assert f"## [{version}]" in (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def load_toml(path: Path) -> dict[str, Any]:
    """A TOML file as data."""
    return tomllib.loads(path.read_text(encoding="utf-8"))


DRIFT_COMMANDS = ("uv lock --upgrade", "scripts/lock_drift.py", "uv sync --all-extras", "pytest")


def test_dependency_drift_runs_weekly_and_only_on_schedule() -> None:
    workflow = load(REPO_ROOT / DRIFT)
    assert set(workflow[True]) == {"schedule", "workflow_dispatch"}  # never on push or PR
    (schedule,) = workflow[True]["schedule"]
    _minute, _hour, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit()  # once a week
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read"}  # it can push nothing
    script = "\n".join(s.get("run", "") for s in job["steps"])
    assert "GITHUB_STEP_SUMMARY" in step_named(job, "Report the changed versions")["run"]
    gitlab = load(REPO_ROOT / ".gitlab-ci.yml")[GITLAB_DRIFT_JOB]
    assert gitlab["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    for commands in (script, "\n".join(gitlab["script"])):
        positions = [commands.index(command) for command in DRIFT_COMMANDS]
        assert positions == sorted(positions)
        assert "git push" not in commands and "git commit" not in commands
    assert "dependency-drift.md" in gitlab["artifacts"]["paths"]

"""CODEOWNERS generated from the roles' owners and the team tree, and checked."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import load, role_with, subprocess_env, write_valid_org

from generator.diagnostics import codes
from generator.git import codeowners

ADMINS = ["@acme/handbook-admins"]


def test_roles_belong_to_their_owners_and_build_files_to_the_admins(tmp_path: Path) -> None:
    project, _ = load(write_valid_org(tmp_path))
    text = codeowners.generate(project, ADMINS)
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert text.startswith(codeowners.HEADER)
    assert lines[0] == "* @acme/handbook-admins"
    assert "/roles/support/helpdesk-agent.yaml @hela @dana" in lines
    assert "/roles/teams.yaml @acme/handbook-admins" in lines
    # the build's files come last, so no role pattern can take them over
    assert lines[-len(codeowners.ADMIN_FILES) :] == [
        f"/{path} @acme/handbook-admins" for path in codeowners.ADMIN_FILES
    ]
    assert "/mkdocs.yml @acme/handbook-admins" in lines


def test_a_role_without_owners_falls_back_to_its_teams_lead(tmp_path: Path) -> None:
    roles = role_with("helpdesk-agent", ["owners"], [])
    project, _ = load(write_valid_org(tmp_path, roles=roles))
    assert codeowners.role_owners(project, "helpdesk-agent") == ("@hela",)  # the helpdesk lead's
    text = codeowners.generate(project, ADMINS)
    assert "/roles/support/helpdesk-agent.yaml @hela\n" in text


def test_invalid_owners_are_left_out_and_reported(tmp_path: Path) -> None:
    roles = role_with("helpdesk-agent", ["owners"], ["Hela Hansen", "@dana"])
    project, _ = load(write_valid_org(tmp_path, roles=roles))
    assert "/roles/support/helpdesk-agent.yaml @dana\n" in codeowners.generate(project, ADMINS)
    (diag,) = codeowners.codeowners_diagnostics(project, ADMINS)
    assert "'Hela Hansen' is not a @user" in diag.message
    assert diag.location.file == "roles/support/helpdesk-agent.yaml"


def test_stale_file_is_a_warning(tmp_path: Path) -> None:
    project, _ = load(write_valid_org(tmp_path))
    assert codeowners.codeowners_diagnostics(project, ADMINS) == []  # no file, not required
    (missing,) = codeowners.codeowners_diagnostics(project, ADMINS, required=True)
    assert "no CODEOWNERS" in missing.message
    path, changed = codeowners.write(project, ADMINS)
    assert changed and path == tmp_path / "CODEOWNERS"
    assert codeowners.codeowners_diagnostics(project, ADMINS) == []
    roles = role_with("helpdesk-agent", ["owners"], ["@olga"])
    project, _ = load(write_valid_org(tmp_path, roles=roles))
    (stale,) = codeowners.codeowners_diagnostics(project, ADMINS)
    assert stale.message.startswith("CODEOWNERS is out of date")
    assert stale.code == codes.CODEOWNERS.code
    assert "handbook codeowners" in stale.hint


def test_a_hand_written_file_is_left_alone(tmp_path: Path) -> None:
    project, _ = load(write_valid_org(tmp_path))
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "CODEOWNERS").write_text("* @someone\n", encoding="utf-8")
    assert codeowners.codeowners_diagnostics(project, ADMINS) == []
    with pytest.raises(FileExistsError, match="maintained by hand"):
        codeowners.write(project, ADMINS)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")
def test_handbook_in_a_sub_folder_of_a_repository(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    handbook = write_valid_org(tmp_path / "docs" / "handbook")
    project, _ = load(handbook)
    path, _ = codeowners.write(project, ADMINS)
    assert path == tmp_path / "CODEOWNERS"
    text = path.read_text(encoding="utf-8")
    assert "/docs/handbook/roles/company/director.yaml @dana\n" in text
    assert "/docs/handbook/mkdocs.yml @acme/handbook-admins\n" in text
    assert "/.github/ @acme/handbook-admins\n" in text


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")
def test_a_second_handbook_in_the_repository_does_not_claim_the_file(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    main, _ = load(write_valid_org(tmp_path))
    codeowners.write(main, ADMINS)
    roles = role_with("helpdesk-agent", ["owners"], ["@olga"])
    other, _ = load(write_valid_org(tmp_path / "examples" / "other", roles=roles))
    assert codeowners.codeowners_diagnostics(other, ADMINS) == []
    assert codeowners.codeowners_diagnostics(main, ADMINS) == []


def test_paths_are_escaped() -> None:
    assert codeowners._pattern("roles/Sales team/#1.yaml") == r"/roles/Sales\ team/\#1.yaml"


def test_cli_writes_and_checks(tmp_path: Path) -> None:
    write_valid_org(tmp_path, mkdocs=True)
    command = [sys.executable, "-m", "generator.cli", "codeowners", str(tmp_path)]
    command += ["--admin", ADMINS[0]]

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, "--check"], capture_output=True, text=True, env=subprocess_env(), check=False
        )

    missing = check()  # a new handbook has no CODEOWNERS yet: a warning, not a failure
    assert missing.returncode == 0, missing.stderr
    assert "warning: there is no CODEOWNERS file" in missing.stderr
    subprocess.run(command, check=True, env=subprocess_env(), capture_output=True)
    again = check()
    assert again.returncode == 0, again.stderr
    assert again.stderr == ""
    roles = role_with("helpdesk-agent", ["owners"], ["@olga"])
    write_valid_org(tmp_path, roles=roles, mkdocs=True)
    stale = check()
    assert stale.returncode == 1
    assert "CODEOWNERS is out of date" in stale.stderr


def test_cli_check_passes_with_warnings_only(tmp_path: Path) -> None:
    write_valid_org(tmp_path, mkdocs=True)
    command = [sys.executable, "-m", "generator.cli", "codeowners", str(tmp_path)]
    command += ["--admin", ADMINS[0]]
    subprocess.run(command, check=True, env=subprocess_env(), capture_output=True)
    roles = role_with("helpdesk-agent", ["owners"], ["Hela Hansen", "@hela", "@dana"])
    write_valid_org(tmp_path, roles=roles, mkdocs=True)
    subprocess.run(command, check=True, env=subprocess_env(), capture_output=True)
    done = subprocess.run(
        [*command, "--check"], capture_output=True, text=True, env=subprocess_env(), check=False
    )
    assert done.returncode == 0, done.stderr
    assert "'Hela Hansen' is not a @user" in done.stderr


def test_cli_check_fails_on_errors(tmp_path: Path) -> None:
    write_valid_org(tmp_path, mkdocs=True)
    (tmp_path / "roles" / "teams.yaml").write_text("teams: [\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "codeowners", str(tmp_path), "--check"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=False,
    )
    assert done.returncode == 1
    assert "teams.yaml" in done.stderr and "error" in done.stderr

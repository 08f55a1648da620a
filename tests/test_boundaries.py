"""What reaches another format is escaped for it, and what validation accepts is read
safely: every control character in every output, symbolic links, unsafe names, pipes,
commit subjects, leftover build folders and the cost of validating many diagnostics."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from helpers import ROLE_FILES, run_handbook, subprocess_env, valid_roles, write_valid_org

from generator.diagnostics import escape
from generator.diagnostics.values import Diagnostic, Location, Severity, format_github, format_text
from generator.git import codeowners
from generator.load.files import SAFE_NAME
from generator.project import load_project

CONTROLS = [chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]] + [
    "\u200b", "\u200e", "\u202e", "\u2028", "\u2066", "\ufeff",
]  # fmt: skip


def _handbook(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_handbook(*args, cwd=cwd)


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_every_output_shows_control_characters_as_escapes(char: str) -> None:
    text = f"a{char}b"
    for shown in (
        escape.terminal(text),
        escape.github_message(text),
        escape.github_property(text),
        escape.markdown_text(text),
    ):
        assert char not in shown and not escape.has_invisible(shown)
        assert shown.startswith("a") and shown.endswith("b")
    diag = Diagnostic(Severity.ERROR, Location(f"roles/{text}.yaml", 1, 3), text, f"$.{text}",
                      hint=text, code="HB001", source_line=f"x: {text}")  # fmt: skip
    assert char not in format_github(diag)
    shown = format_text(diag).splitlines()
    assert len(shown) == 4 and not any(char in line for line in shown)
    with pytest.raises(escape.UnsafeNameError):
        escape.codeowners_pattern(f"roles/{text}.yaml")


def test_escapes_name_the_character() -> None:
    assert escape.terminal("a\x1b[31mb\nc\u202ed") == "a\\x1b[31mb\\nc\\u202ed"
    assert escape.markdown_text("<b>*x*</b>") == "&#60;b&#62;&#42;x&#42;&#60;/b&#62;"
    assert escape.codeowners_pattern("roles/a b/#c.yaml") == "/roles/a\\ b/\\#c.yaml"


@pytest.mark.parametrize("name", ["a\nb", "a\tb", "a b", "a\x1bb", "a\u202eb", "-x", "a/b"])
def test_unsafe_names_are_refused(name: str) -> None:
    assert not SAFE_NAME.fullmatch(name)


@pytest.mark.parametrize("name", ["people", "finanse", "księgowość", "it_ops", "v1.2", "a-b"])
def test_safe_names_are_accepted(name: str) -> None:
    assert SAFE_NAME.fullmatch(name)


def test_a_folder_name_cannot_inject_a_codeowners_line(tmp_path: Path) -> None:
    helpdesk = ROLE_FILES["helpdesk-agent"]
    bad = f"x\n/roles/** @outsider\t/{helpdesk.rsplit('/', 1)[1]}"
    roles = {**valid_roles()}
    roles[bad] = roles.pop(helpdesk)
    write_valid_org(tmp_path, roles=roles)
    project, diags = load_project(tmp_path)
    (refused,) = [d for d in diags if d.code == "HB140"]
    assert refused.severity is Severity.ERROR and "it is not read" in refused.message
    assert "@outsider" not in codeowners.generate(project, ["@admins"])
    result = _handbook("validate", "--strict", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1 and "[HB140]" in result.stderr
    assert "\n/roles/** @outsider" not in result.stderr


def test_linked_teams_file_is_skipped_and_never_read(tmp_path: Path) -> None:
    write_valid_org(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=hunter2\n", encoding="utf-8")
    teams = tmp_path / "roles" / "teams.yaml"
    teams.unlink()
    teams.symlink_to(secret)
    result = _handbook("validate", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert "hunter2" not in result.stderr + result.stdout
    assert "symbolic link to a file skipped" in result.stderr


def test_linked_roles_folder_is_not_walked(tmp_path: Path) -> None:
    write_valid_org(tmp_path / "real")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (tmp_path / "roles").symlink_to(tmp_path / "real" / "roles")
    project, diags = load_project(tmp_path)
    assert not project.organisation.roles
    assert any("symbolic link to a folder skipped" in d.message for d in diags)


def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    write_valid_org(tmp_path)
    os.mkfifo(tmp_path / "roles" / "pipe.yaml")
    _project, diags = load_project(tmp_path)
    (refused,) = [d for d in diags if d.location.file == "roles/pipe.yaml"]
    assert refused.message == "cannot read the file: it is a pipe or a device, not a file"


def test_a_commit_subject_with_separators_keeps_its_commit_in_the_history(
    tmp_path: Path,
) -> None:
    from generator.git.history import history_by_role  # noqa: PLC0415

    write_valid_org(tmp_path)
    env = {**subprocess_env(), "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@e.x",
           "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@e.x"}  # fmt: skip

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "first")
    role = tmp_path / "roles" / ROLE_FILES["helpdesk-agent"]
    role.write_text(role.read_text(encoding="utf-8").replace("Helpdesk", "Service Desk", 1))
    git("commit", "-qam", "Rename\x1e\x1f title\x1e")
    project, _ = load_project(tmp_path)
    history = history_by_role(project)["helpdesk-agent"]
    assert [e.subject for e in history.entries] == ["Rename\x1e\x1f title\x1e", "first"]


def test_the_next_build_removes_folders_a_killed_build_left(tmp_path: Path) -> None:
    from generator.site.build import _hold, _remove_leftovers  # noqa: PLC0415

    target = tmp_path / "site"
    left = tmp_path / ".site.new-abc"
    running = tmp_path / ".site.new-def"
    for folder in (left, running):
        folder.mkdir()
        (folder / "index.html").write_text("x", encoding="utf-8")
    held = _hold(running)
    try:
        _remove_leftovers(target)
    finally:
        if held is not None:
            os.close(held)
    assert not left.exists()
    assert running.exists()


def _role_with_unknown_keys(root: Path, count: int) -> None:
    roles = valid_roles()
    data = roles[ROLE_FILES["helpdesk-agent"]]
    for i in range(count):
        data[f"unknown-{i}"] = i
    write_valid_org(root, roles=roles)


def test_validation_time_grows_linearly_with_diagnostics(tmp_path: Path) -> None:
    """1×, 4× and 16× the diagnostics: the ratio stays near linear (quadratic would be 256)."""
    seconds = []
    for factor in (1, 4, 16):
        root = tmp_path / f"x{factor}"
        _role_with_unknown_keys(root, 250 * factor)
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            _project, diags = load_project(root)
            best = min(best, time.process_time() - start)
        assert sum(d.code == "HB001" for d in diags) == 250 * factor
        seconds.append(best)
    assert seconds[2] / seconds[0] < 64, seconds

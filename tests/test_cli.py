"""The ``handbook`` command, run as a real process: exit codes, formats and safe builds."""

from __future__ import annotations

import json
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import (
    REPO_ROOT,
    ROLE_FILES,
    TODAY,
    copy_example,
    epoch_of,
    role_with,
    subprocess_env,
    teams_with,
    tree_digest,
    write_valid_org,
)

from generator.cli.commands import main
from generator.diagnostics.codes import all_codes

RULES = list(all_codes())

HEADLINE = re.compile(
    r"^(?P<file>[^\s:]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning|info): "
    r"(?:(?P<path>\$\S*): )?(?P<message>.+) \[(?P<code>[\w-]+)\]$"
)
AGENT = "roles/" + ROLE_FILES["helpdesk-agent"]
VENDOR = "roles/" + ROLE_FILES["vendor-manager"]


SCAFFOLD_DOT_FILES = [".github", ".gitignore", ".gitlab-ci.yml", ".pre-commit-config.yaml"]


def handbook(
    *args: str | Path, cwd: Path | None = None, epoch: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m generator.cli`` with the build date pinned to the tests' date."""
    env = subprocess_env(SOURCE_DATE_EPOCH=epoch or epoch_of(TODAY))
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


def output(result: subprocess.CompletedProcess[str]) -> str:
    """Everything the command printed."""
    return result.stdout + result.stderr


def headlines(text: str) -> list[dict[str, str]]:
    """The parsed ``file:line:col: severity: $.path: message [code]`` lines of ``text``."""
    return [m.groupdict() for m in map(HEADLINE.match, text.splitlines()) if m]


def broken_org(root: Path, *, mkdocs: bool = False) -> Path:
    """The valid organisation with defects in four files (one is only a warning)."""
    return write_valid_org(
        root,
        teams=teams_with(("teams", 1, "parent"), "compny"),
        roles={
            **role_with("helpdesk-agent", ("reports_to",), "helpdesk-laed"),
            **role_with("vendor-manager", ("commitments", 0, "targets", 0, "response"), "0h"),
            **role_with("director", ("owners",), []),
            "support/duplicate-keys.yaml": "id: duplicate-keys\nid: again\n",
        },
        mkdocs=mkdocs,
    )


EXPECTED_BROKEN = [
    ("roles/company/director.yaml", "1", "1", "warning", "HB110"),
    ("roles/support/duplicate-keys.yaml", "2", "1", "error", "yaml-duplicate-key"),
    (AGENT, "4", "13", "error", "HB101"),
    ("roles/teams.yaml", "9", "13", "error", "HB101"),
    (VENDOR, "26", "19", "error", "HB001"),
]


# --- validate ------------------------------------------------------------------------------


def test_validate_example_organisation() -> None:
    result = handbook("validate", REPO_ROOT)
    assert result.returncode == 0, output(result)
    # notes only: promises that one role keeps alone, escalations that reach nobody at night
    assert re.search(r"^Found \d+ infos\.$", result.stderr, re.M), result.stderr
    assert ": error:" not in result.stderr and ": warning:" not in result.stderr
    assert "Traceback" not in output(result)


def test_validate_defaults_to_the_current_folder(tmp_path: Path) -> None:
    write_valid_org(tmp_path)
    result = handbook("validate", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, output(result)
    assert json.loads(result.stdout) == {
        "diagnostics": [],
        "counts": {"info": 0, "warning": 0, "error": 0},
    }


def test_validate_reports_every_defect_at_once(tmp_path: Path) -> None:
    result = handbook("validate", broken_org(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in output(result)
    found = headlines(result.stderr)
    assert [(h["file"], h["line"], h["column"], h["severity"], h["code"]) for h in found] == (
        EXPECTED_BROKEN
    )
    lines = result.stderr.splitlines()
    assert f"{AGENT}:4:13: error: $.reports_to: unknown role 'helpdesk-laed' [HB101]" in lines
    assert (
        "roles/teams.yaml:9:13: error: $.teams[1].parent: team 'support': unknown team 'compny'"
        " [HB101]"
    ) in lines
    assert (
        f"{VENDOR}:26:19: error: $.commitments[0].targets[0].response: service"
        " 'hardware-repairs', target 'normal': '0h' is not a duration like 30m, 2h, 3d or 1w"
        " [HB001]"
    ) in lines
    # The source line with a caret under the column, then the hint.
    index = lines.index(f"{AGENT}:4:13: error: $.reports_to: unknown role 'helpdesk-laed' [HB101]")
    assert lines[index + 1 : index + 4] == [
        "    4 | reports_to: helpdesk-laed",
        "      |             ^",
        "  hint: did you mean 'helpdesk-lead'?",
    ]
    assert lines[-1] == "Found 4 errors, 1 warning."
    assert result.stdout == ""


def test_validate_json(tmp_path: Path) -> None:
    result = handbook("validate", broken_org(tmp_path), "--format", "json")
    assert result.returncode == 1
    assert "Traceback" not in output(result)
    report = json.loads(result.stdout)
    assert report["counts"] == {"info": 0, "warning": 1, "error": 4}
    items = report["diagnostics"]
    assert [
        (d["file"], str(d["line"]), str(d["column"]), d["severity"], d["code"]) for d in items
    ] == EXPECTED_BROKEN
    assert items[2] == {
        "severity": "error",
        "file": AGENT,
        "line": 4,
        "column": 13,
        "path": "$.reports_to",
        "message": "unknown role 'helpdesk-laed'",
        "hint": "did you mean 'helpdesk-lead'?",
        "code": "HB101",
    }


def test_validate_github_annotations(tmp_path: Path) -> None:
    broken = broken_org(tmp_path)
    result = handbook("validate", ".", "--format", "github", cwd=broken)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    assert lines[0].startswith(
        "::warning file=roles/company/director.yaml,line=1,col=1,title=HB110 $::"
    )
    assert lines[2] == (
        f"::error file={AGENT},line=4,col=13,title=HB101 $.reports_to::"
        "unknown role 'helpdesk-laed'%0Adid you mean 'helpdesk-lead'?"
    )
    for line in lines[1:]:
        assert re.match(r"::error file=[^,]+,line=\d+,col=\d+,title=[^:]+::.+", line), line


def test_strict_turns_a_warning_into_failure(tmp_path: Path) -> None:
    write_valid_org(tmp_path, roles=role_with("director", ("owners",), []))
    result = handbook("validate", tmp_path)
    assert result.returncode == 0
    (found,) = headlines(result.stderr)
    assert (found["severity"], found["code"]) == ("warning", "HB110")
    strict = handbook("validate", tmp_path, "--strict")
    assert strict.returncode == 1
    assert "Traceback" not in output(strict)


def test_strict_makes_an_overdue_review_an_error(tmp_path: Path) -> None:
    write_valid_org(tmp_path)
    later = epoch_of(TODAY.replace(year=2036))
    result = handbook("validate", tmp_path, epoch=later)
    assert result.returncode == 0
    assert {(h["severity"], h["code"]) for h in headlines(result.stderr)} == {("warning", "HB109")}
    strict = handbook("validate", tmp_path, "--strict", epoch=later)
    assert strict.returncode == 1
    assert {(h["severity"], h["code"]) for h in headlines(strict.stderr)} == {("error", "HB109")}


def test_settings_come_from_mkdocs_yml(tmp_path: Path) -> None:
    write_valid_org(
        tmp_path,
        roles=role_with("director", ("owners",), []),
        mkdocs={"rules": {"HB110": "off"}, "priorities": ["urgent", "normal", "low"]},
    )
    result = handbook("validate", tmp_path, "--strict")
    assert result.returncode == 0, output(result)
    write_valid_org(tmp_path, mkdocs={"priorities": ["p1", "p2"]})
    result = handbook("validate", tmp_path)
    assert result.returncode == 1
    assert {h["code"] for h in headlines(result.stderr)} == {"HB119"}


def test_mkdocs_yml_without_the_plugin(tmp_path: Path) -> None:
    write_valid_org(tmp_path, mkdocs=True)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\ndocs_dir: content\nplugins: [search]\n", encoding="utf-8"
    )
    result = handbook("validate", tmp_path)
    assert result.returncode == 1
    assert "the 'handbook' plugin is not enabled" in result.stderr
    assert "Traceback" not in output(result)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["validate", "does-not-exist"], id="no-such-folder"),
        pytest.param(["validate", "roles/teams.yaml"], id="file-not-folder"),
        pytest.param(["validate", "--bogus"], id="unknown-option"),
        pytest.param(["build", "."], id="build-without-mkdocs-yml"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    write_valid_org(tmp_path)
    result = handbook(*args, cwd=tmp_path)
    assert result.returncode == 2, output(result)
    assert "Traceback" not in output(result)
    assert result.stdout == ""
    assert result.stderr.startswith(("usage: handbook", "handbook: error: "))


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([], id="no-command"),
        pytest.param(["frobnicate"], id="unknown-command"),
        pytest.param(["validate", "--format", "xml"], id="unknown-format"),
        pytest.param(["render", "."], id="render-without-out"),
    ],
)
def test_argument_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2
    assert "usage: handbook" in capsys.readouterr().err


# --- rules ---------------------------------------------------------------------------------


def test_rules_lists_every_rule() -> None:
    result = handbook("rules")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(RULES)
    codes = [line.split()[0] for line in lines]
    assert codes == sorted(r.code for r in RULES)
    for rule in RULES:
        (line,) = [x for x in lines if x.startswith(rule.code)]
        assert line.split()[1:3] == [rule.name, str(rule.severity)]
        assert rule.summary.split("\n")[0] in line


# --- new, build, render: real MkDocs builds ------------------------------------------------


@pytest.fixture(scope="module")
def built_new(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A handbook made by ``handbook new``, validated and built once."""
    root = tmp_path_factory.mktemp("new") / "handbook"
    created = handbook("new", root)
    assert created.returncode == 0, output(created)
    validated = handbook("validate", root)
    assert validated.returncode == 0, output(validated)
    assert "1 role in 2 teams: no problems found." in validated.stderr
    built = handbook("build", root)
    assert built.returncode == 0, output(built)
    assert "Traceback" not in output(built)
    return root


def test_new_writes_a_handbook(built_new: Path) -> None:
    for name in (
        "mkdocs.yml",
        "roles/teams.yaml",
        "roles/managing-director.yaml",
        "content/index.md",
        ".gitignore",
        "schema/role.schema.json",
        "schema/teams.schema.json",
    ):
        assert (built_new / name).is_file(), name


def test_new_handbook_builds(built_new: Path) -> None:
    site = built_new / "site"
    page = site / "roles" / "managing-director" / "index.html"
    assert page.is_file()
    assert "Managing Director" in page.read_text(encoding="utf-8")
    assert (site / "index.html").is_file()
    leftovers = [p.name for p in built_new.iterdir() if p.name.startswith(".site")]
    assert leftovers == []


def test_built_site_folder_has_normal_permissions(built_new: Path) -> None:
    probe = built_new / "probe"
    probe.mkdir()
    expected = stat.S_IMODE(probe.stat().st_mode)
    probe.rmdir()
    assert stat.S_IMODE((built_new / "site").stat().st_mode) == expected


def test_new_refuses_an_existing_handbook(built_new: Path) -> None:
    before = tree_digest(built_new)
    result = handbook("new", built_new)
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert "Traceback" not in output(result)
    assert tree_digest(built_new) == before


def test_new_refuses_when_one_file_exists(tmp_path: Path) -> None:
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles" / "teams.yaml").write_text("organisation: Mine\n", encoding="utf-8")
    result = handbook("new", tmp_path)
    assert result.returncode == 1
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "roles",
        "roles/teams.yaml",
    ]
    assert (tmp_path / "roles" / "teams.yaml").read_text(encoding="utf-8") == "organisation: Mine\n"


def test_new_into_a_folder_with_other_files(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("mine\n", encoding="utf-8")
    result = handbook("new", tmp_path)
    assert result.returncode == 0, output(result)
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "mine\n"
    assert (tmp_path / "mkdocs.yml").is_file()


def test_new_on_a_file_is_a_clean_error(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("mine\n", encoding="utf-8")
    result = handbook("new", target)
    assert result.returncode in (1, 2)
    assert "Traceback" not in output(result)
    assert target.read_text(encoding="utf-8") == "mine\n"


def test_failed_build_leaves_the_previous_site(built_new: Path, tmp_path: Path) -> None:
    root = tmp_path / "handbook"
    shutil.copytree(built_new, root)
    before = tree_digest(root / "site")
    assert "roles/managing-director/index.html" in before
    role = root / "roles" / "managing-director.yaml"
    good = role.read_text(encoding="utf-8")
    role.write_text(
        good.replace("reports_to", "x").replace("team: management", "team: managment"),
        encoding="utf-8",
    )
    result = handbook("build", root)
    assert result.returncode == 1
    assert "Traceback" not in output(result)
    assert headlines(result.stderr)[0]["code"] == "HB101"
    assert "Build stopped: the previous site was left as it was." in result.stderr
    assert tree_digest(root / "site") == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".")) == SCAFFOLD_DOT_FILES
    # A warning stops a strict build the same way.
    role.write_text(good.replace('owners: ["@your-github-handle"]\n', ""), encoding="utf-8")
    strict = handbook("build", root, "--strict")
    assert strict.returncode == 1
    assert tree_digest(root / "site") == before
    # Fixed again, the site is rebuilt and swapped in without leftovers.
    role.write_text(good, encoding="utf-8")
    (root / "site" / "stale.html").write_text("old", encoding="utf-8")
    rebuilt = handbook("build", root)
    assert rebuilt.returncode == 0, output(rebuilt)
    assert not (root / "site" / "stale.html").exists()
    assert (root / "site" / "roles" / "managing-director" / "index.html").is_file()
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".")) == SCAFFOLD_DOT_FILES


def test_build_into_a_file_is_refused(built_new: Path, tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("mine\n", encoding="utf-8")
    result = handbook("build", built_new, "--site-dir", target)
    assert "Traceback" not in output(result)
    assert result.returncode in (1, 2)
    assert target.read_text(encoding="utf-8") == "mine\n"


def test_render_writes_markdown_that_plain_mkdocs_builds(built_new: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = handbook("render", built_new, "--out", out)
    assert result.returncode == 0, output(result)
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert f"Wrote {len(written)} files to {out}" in result.stderr
    for name in (
        "mkdocs.yml",
        "docs/index.md",
        "docs/roles/managing-director.md",
        "docs/teams/index.md",
        "docs/schema/role.schema.json",
    ):
        assert name in written
    page = (out / "docs" / "roles" / "managing-director.md").read_text(encoding="utf-8")
    assert "Managing Director" in page
    config = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "handbook" not in config.split("plugins:")[1].split("\n", 2)[1]
    site = tmp_path / "plain-site"
    plain = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(out / "mkdocs.yml"), "-d", str(site)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
        check=False,
    )
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert (site / "roles" / "managing-director" / "index.html").is_file()
    assert (site / "teams" / "management" / "index.html").is_file()


def test_render_into_a_file_is_a_clean_error(built_new: Path, tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("mine\n", encoding="utf-8")
    result = handbook("render", built_new, "--out", target)
    assert result.returncode in (1, 2)
    assert "Traceback" not in output(result)


def test_render_refuses_a_broken_organisation(tmp_path: Path) -> None:
    broken_org(tmp_path / "org", mkdocs=True)
    result = handbook("render", tmp_path / "org", "--out", tmp_path / "out")
    assert result.returncode == 1
    assert "Traceback" not in output(result)
    assert not (tmp_path / "out").exists()


def test_build_the_test_organisation(tmp_path: Path) -> None:
    write_valid_org(tmp_path, mkdocs=True)
    site = tmp_path / "public"
    result = handbook("build", tmp_path, "--site-dir", site)
    assert result.returncode == 0, output(result)
    for role_id in ROLE_FILES:
        assert (site / "roles" / role_id / "index.html").is_file(), role_id
    assert [p.name for p in (tmp_path / "content").iterdir()] == ["index.md"]


def test_github_annotations_name_files_from_the_checkout(tmp_path: Path) -> None:
    broken_org(tmp_path / "handbook")
    result = handbook("validate", "handbook", "--format", "github", cwd=tmp_path)
    files = re.findall(r"file=([^,]+),", result.stdout)
    assert files and all(f.startswith("handbook/roles/") for f in files)


def test_build_reads_each_role_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check before the build and the build itself share one reading of the files."""
    from generator.load import files  # noqa: PLC0415 - the reader whose calls are counted

    copy_example(tmp_path / "handbook", measured=False)
    read: list[str] = []
    original = files._read

    def counting(path: Path, display: str) -> files.RoleRead:
        read.append(display)
        return original(path, display)

    monkeypatch.setattr(files, "_read", counting)
    monkeypatch.chdir(tmp_path)  # a relative folder, as typed
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch_of(TODAY))
    assert main(["build", "handbook", "--jobs", "1", "--site-dir", str(tmp_path / "site")]) == 0
    assert (tmp_path / "site" / "index.html").is_file()
    roles = (tmp_path / "handbook" / "roles").rglob("*.yaml")
    expected = [r.relative_to(tmp_path / "handbook").as_posix() for r in roles]
    assert sorted(read) == sorted(e for e in expected if not e.endswith("/teams.yaml"))

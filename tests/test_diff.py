"""``handbook diff``: the semantic change between two git revisions, in plain words."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import subprocess_env, to_yaml, valid_roles, write_valid_org

from generator.git import diff
from generator.git import revisions as gitrev
from generator.model.settings import Settings

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")


class Repo:
    """A git repository in a temporary folder with dated commits."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.day = 0
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        """Run git in the repository with a fixed identity and the next day's date."""
        stamp = f"2026-03-{self.day + 1:02d}T12:00:00+00:00"
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Ann Author",
            "GIT_AUTHOR_EMAIL": "ann@example.com",
            "GIT_COMMITTER_NAME": "Ann Author",
            "GIT_COMMITTER_EMAIL": "ann@example.com",
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_DATE": stamp,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout

    def commit(self, subject: str) -> str:
        """Commit everything; return the commit id."""
        self.day += 1
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", subject)
        return self.git("rev-parse", "HEAD").strip()

    def write_role(self, path: str, data: Any) -> None:
        """Write one role file below ``roles/``."""
        target = self.root / "roles" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(to_yaml(data), encoding="utf-8")


def edit(roles: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The second version: levels, targets, customers, criteria and owners changed."""
    lead = roles["support/helpdesk-lead.yaml"]
    lead["commitments"][0]["targets"][0]["response"] = "30m"
    lead["commitments"][0]["targets"][1]["resolution"] = "3d"
    lead["rewards"][0]["requires"] = {"first-fix-rate": "meets", "ticket-rating": "meets"}
    lead["owners"] = ["@hela", "@olga"]
    lead["responsibilities"].append({"id": "training", "text": "Train new agents.", "share": 10})
    agent = roles["support/helpdesk-agent.yaml"]
    agent["expectations"][0]["meets"] = 45
    agent["commitments"][0]["customers"] = ["team:support", "role:director", "team:vendor"]
    return roles


def build_history(repo: Repo) -> dict[str, str]:
    """Five commits covering every change kind; returns commit ids by step name."""
    write_valid_org(repo.root)
    shas = {"initial": repo.commit("Start the handbook")}
    roles = edit(valid_roles())
    for path, data in roles.items():
        repo.write_role(path, data)
    shas["levels"] = repo.commit("Faster urgent IT help; stricter answer time")
    agent = roles.pop("support/helpdesk-agent.yaml")
    agent["team"] = "company"
    repo.git("mv", "roles/support/helpdesk-agent.yaml", "roles/company/helpdesk-agent.yaml")
    repo.write_role("company/helpdesk-agent.yaml", agent)
    lead = roles["support/helpdesk-lead.yaml"]
    lead["commitments"][0]["id"] = "computer-help"
    lead["expectations"][1]["commitment"] = "computer-help"
    repo.write_role("support/helpdesk-lead.yaml", lead)
    shas["moved"] = repo.commit("Agents join the company team")
    newcomer = {**agent, "id": "office-assistant", "title": "Office Assistant", "owners": []}
    repo.write_role("company/office-assistant.yaml", newcomer)
    (repo.root / "roles" / "vendor" / "vendor-manager.yaml").unlink()
    shas["staff"] = repo.commit("An office assistant; the vendor manager leaves")
    text = (repo.root / "roles" / "company" / "director.yaml").read_text(encoding="utf-8")
    (repo.root / "roles" / "company" / "director.yaml").write_text(
        "# The director's role.\n" + text, encoding="utf-8"
    )
    shas["comment"] = repo.commit("Explain the file")
    return shas


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Repo, dict[str, str]]:
    """A repository with a history of role changes."""
    (tmp_path / "handbook").mkdir()
    repository = Repo(tmp_path / "handbook")
    return repository, build_history(repository)


def changes(root: Path, base: str, head: str | None) -> list[diff.Change]:
    """The changes between two revisions of the handbook at ``root``."""
    found, _old, _new = diff.compare(root, base, head, Settings())
    return found


def words(found: list[diff.Change]) -> list[str]:
    """Every change in words."""
    return [c.words for c in found]


def test_levels_targets_customers_criteria_and_owners(repo: tuple[Repo, dict[str, str]]) -> None:
    repository, shas = repo
    found = changes(repository.root, shas["initial"], shas["levels"])
    by_kind = {c.kind: c for c in found}
    level = by_kind["expectation-level"]
    assert level.role == "helpdesk-agent"
    assert level.words == (
        "expectation “Calls are answered quickly.”: meets 60 → 45 seconds until a call is"
        " answered (stricter)"
    )  # the only reward of the role requires the exceeds level, so none is named
    assert level.direction == "stricter"
    assert level.impacts == ()
    targets = [c for c in found if c.kind == "commitment-target"]
    assert [c.field for c in targets] == [
        "commitments.it-requests.targets.urgent.response",
        "commitments.it-requests.targets.normal.resolution",
    ]
    assert words(targets) == [
        "service “Help with computers”, urgent requests: first response 1 hour → 30 minutes"
        " (stricter)",
        "service “Help with computers”, normal requests: resolution 2 business days → 3 business"
        " days (looser)",
    ]
    customers = by_kind["commitment-customers"]
    assert customers.words == "service “Password resets”: now also for everyone in Fixit Vendor"
    criteria = by_kind["reward-criteria"]
    assert criteria.words == (
        "reward “Quarterly bonus”: requires “Most tickets are fixed at first contact.”"
        " (meets, was exceeds); now also requires “Colleagues are happy with the help.” (meets)"
    )
    assert criteria.direction is None  # one requirement easier, one added
    owners = by_kind["owners-changed"]
    assert owners.words == "owners: added @olga (now @hela and @olga)"
    added = by_kind["responsibility-added"]
    assert added.words == "new responsibility: “Train new agents.” (10% of working time)"


def test_moves_renames_and_feedback_keys(repo: tuple[Repo, dict[str, str]]) -> None:
    repository, shas = repo
    found = changes(repository.root, shas["levels"], shas["moved"])
    kinds = {c.kind for c in found}
    assert {"role-moved", "file-moved", "commitment-changed", "feedback-key-renamed"} <= kinds
    moved = next(c for c in found if c.kind == "role-moved")
    assert moved.words == "moved from IT Support to Company"
    feedback = next(c for c in found if c.kind == "feedback-key-renamed")
    assert feedback.before == "helpdesk-lead/it-requests"
    assert feedback.after == "helpdesk-lead/computer-help"
    assert feedback.words == (
        "feedback on “Help with computers” given before this change will no longer be shown:"
        " its key changes"
    )
    assert not any(c.kind == "commitment-removed" for c in found)
    reference = next(c for c in found if c.field == "expectations.ticket-rating.commitment")
    assert reference.words == (
        "expectation “Colleagues are happy with the help.”: feedback on “Help with computers”"
        " → “Help with computers” (the same, under a new identifier)"
    )
    assert reference.impacts == ()  # the expectation measures the same service


def test_roles_added_and_removed(repo: tuple[Repo, dict[str, str]]) -> None:
    repository, shas = repo
    found = changes(repository.root, shas["moved"], shas["staff"])
    assert words([c for c in found if c.kind == "role-added"]) == [
        "new role: Office Assistant in Company, reports to Helpdesk Lead"
    ]
    removed = next(c for c in found if c.kind == "role-removed")
    assert removed.role == "vendor-manager"
    assert removed.words == (
        "role removed: Vendor Account Manager, team Fixit Vendor; feedback on “Hardware repairs”"
        " will no longer be shown"
    )


def test_a_comment_changes_nothing(repo: tuple[Repo, dict[str, str]]) -> None:
    repository, shas = repo
    assert changes(repository.root, shas["staff"], shas["comment"]) == []


def test_working_tree_is_the_default_head(repo: tuple[Repo, dict[str, str]]) -> None:
    repository, _ = repo
    path = repository.root / "roles" / "company" / "director.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Leads the company.", "Leads us."))
    found = changes(repository.root, "HEAD", None)
    assert [c.field for c in found] == ["summary"]


def test_role_rename_renames_feedback_keys() -> None:
    roles = valid_roles()
    old = roles["support/helpdesk-lead.yaml"]
    new = {**old, "id": "service-desk-lead"}
    before = _organisation({"support/helpdesk-lead.yaml": old})
    after = _organisation({"support/service-desk-lead.yaml": new})
    found = diff.diff_organisations(before, after)
    assert [c.kind for c in found] == ["role-renamed", "file-moved", "feedback-key-renamed"]
    assert found[0].words == "new identifier: the role's page moves to a new address"
    assert (found[2].before, found[2].after) == (
        "helpdesk-lead/it-requests",
        "service-desk-lead/it-requests",
    )
    assert found[2].words.startswith("feedback on “Help with computers” given before")


def _organisation(roles: dict[str, Any]) -> Any:
    from generator.load.construct import role_from_data  # noqa: PLC0415
    from generator.model.organisation import Organisation  # noqa: PLC0415

    built = {d["id"]: role_from_data(d, f"roles/{p}") for p, d in roles.items()}
    return Organisation("Test", {}, built)


def test_markdown_escapes_and_does_not_mention(repo: tuple[Repo, dict[str, str]]) -> None:
    repository, shas = repo
    found, _old, new = diff.compare(repository.root, shas["initial"], shas["levels"], Settings())
    text = diff.format_markdown(found, new)
    assert text.startswith("## Handbook changes\n")
    assert "### Helpdesk Agent\n" in text
    assert "- expectation “Calls are answered quickly.”: meets 60 → 45" in text
    assert "\n7 changes to 2 roles (2 stricter, 1 looser).\n" in text
    assert "@\u2060olga" in text and "@olga" not in text
    hostile = diff.Change("role-changed", "title “<img src=x onerror=alert(1)>” [x](y)", "r")
    assert "<img" not in diff.format_markdown([hostile])
    assert diff.format_markdown([]).endswith("No changes to roles or teams.\n")


def test_cli_json_and_markdown(repo: tuple[Repo, dict[str, str]]) -> None:
    repository, shas = repo
    command = [sys.executable, "-m", "generator.cli", "diff", "-C", str(repository.root)]
    done = subprocess.run(
        [*command, shas["initial"], shas["moved"], "--format", "json"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=True,
    )
    document = json.loads(done.stdout)
    assert document["base"] == shas["initial"]
    assert document["counts"]["feedback-key-renamed"] == 1
    kinds = {c["kind"] for c in document["changes"]}
    assert {"expectation-level", "commitment-target", "role-moved", "reward-criteria"} <= kinds
    markdown = subprocess.run(
        [*command, "HEAD~1"], capture_output=True, text=True, env=subprocess_env(), check=True
    )
    assert markdown.stdout.startswith("## Handbook changes")
    unknown = subprocess.run(
        [*command, "no-such-rev"], capture_output=True, text=True, env=subprocess_env(), check=False
    )
    assert unknown.returncode == 2
    assert "unknown revision" in unknown.stderr


def test_handbook_in_a_sub_folder(tmp_path: Path) -> None:
    repository = Repo(tmp_path)
    write_valid_org(tmp_path / "docs" / "handbook")
    first = repository.commit("Start")
    roles = edit(valid_roles())
    for path, data in roles.items():
        target = tmp_path / "docs" / "handbook" / "roles" / path
        target.write_text(to_yaml(data), encoding="utf-8")
    found = changes(tmp_path / "docs" / "handbook", first, None)
    assert any(c.kind == "expectation-level" for c in found)


def test_outside_a_repository(tmp_path: Path) -> None:
    write_valid_org(tmp_path)
    with pytest.raises(gitrev.GitError, match="not inside a git repository"):
        changes(tmp_path, "HEAD", None)

"""Role history: dated, meaningful changes from git, shown on role pages."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from test_diff import Repo, build_history

from generator.git import history
from generator.model.changes import Change
from generator.model.settings import Settings
from generator.project import load_project
from generator.render.pages import environment

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """A repository whose roles changed over five commits."""
    (tmp_path / "handbook").mkdir()
    repository = Repo(tmp_path / "handbook")
    build_history(repository)
    return repository


def test_history_follows_a_moved_file(repo: Repo) -> None:
    found = history.role_history(repo.root, "roles/company/helpdesk-agent.yaml")
    assert [e.subject for e in found.entries] == [
        "Agents join the company team",
        "Faster urgent IT help; stricter answer time",
        "Start the handbook",
    ]
    assert [e.date for e in found.entries] == ["2026-03-04", "2026-03-03", "2026-03-02"]
    assert found.complete and not found.shallow
    assert [c.kind for c in found.entries[0].changes] == ["role-moved"]  # not the file move
    assert found.entries[2].changes[0].words == "description first published"


def test_history_of_every_role_at_once(repo: Repo) -> None:
    project, _ = load_project(repo.root)
    by_role = history.history_by_role(project)
    assert set(by_role) == set(project.organisation.roles)
    agent = by_role["helpdesk-agent"]
    assert agent.entries[0].changes[0].words == "moved from IT Support to Company"
    director = by_role["director"]
    assert [e.subject for e in director.entries] == ["Start the handbook"]  # a comment is no change
    lead = by_role["helpdesk-lead"]
    assert any(c.kind == "feedback-key-renamed" for c in lead.entries[0].changes)
    assert (
        by_role["office-assistant"].entries[0].sha
        == repo.git("rev-parse", "--short=7", "HEAD~1").strip()
    )


def test_history_speaks_the_handbooks_language(repo: Repo) -> None:
    project, _ = load_project(repo.root, Settings(language="pl"))
    by_role = history.history_by_role(project)
    agent = by_role["helpdesk-agent"]
    assert [c.words for c in agent.entries[0].changes] == [
        "przeniesiona z zespołu IT Support do zespołu Company"
    ]
    assert agent.entries[1].changes[0].words == (
        "oczekiwanie „Calls are answered quickly.”: próg „spełnia” 60 → 45 seconds until a call"
        " is answered (ostrzej)"
    )
    assert agent.entries[2].changes[0].words == "pierwsza publikacja opisu roli"
    html = environment("pl").get_template("partials/history.md.j2").render(history=agent)
    assert "Historia" in html and "pierwsza publikacja opisu roli" in html


def test_limit_marks_history_incomplete(repo: Repo) -> None:
    found = history.role_history(repo.root, "roles/support/helpdesk-lead.yaml", max_entries=1)
    assert len(found.entries) == 1
    assert not found.complete


def test_shallow_clone_degrades_gracefully(repo: Repo, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "3", f"file://{repo.root}", str(clone)], check=True
    )
    project, _ = load_project(clone)
    by_role = history.history_by_role(project)
    assistant = by_role["office-assistant"]  # added after the oldest commit the clone has
    assert assistant.shallow
    assert [e.subject for e in assistant.entries] == [
        "An office assistant; the vendor manager leaves"
    ]
    agent = by_role["helpdesk-agent"]  # last changed in the clone's oldest commit
    assert agent.entries == () and agent.shallow and not agent.complete


def test_outside_git_there_is_no_history(tmp_path: Path) -> None:
    from helpers import write_valid_org  # noqa: PLC0415

    project, _ = load_project(write_valid_org(tmp_path))
    assert history.history_by_role(project) == {}


def render(found: history.RoleHistory) -> str:
    """The history partial as the role page includes it."""
    return environment("en").get_template("partials/history.md.j2").render(history=found)


def test_rendering_escapes_commit_subjects() -> None:
    change = Change("expectation-level", "answer-time: meets 60 → 45 (stricter)", "agent")
    entry = history.HistoryEntry(
        "2026-03-03", "<script>alert(1)</script> faster", "1a2b3c4", (change,)
    )
    html = render(history.RoleHistory((entry,), complete=True))
    assert "<script>" not in html
    assert "&#60;script&#62;" in html
    assert '<time datetime="2026-03-03">' in html
    assert "<li>answer-time&#58; meets 60 → 45 &#40;stricter&#41;</li>" in html
    assert "\n\n" not in html.strip()  # one HTML block
    assert "<code>1a2b3c4</code>" in html


def test_rendering_notes_shallow_and_empty_histories() -> None:
    assert render(history.RoleHistory()).strip() == ""
    shallow = render(history.RoleHistory((), complete=False, shallow=True))
    assert "Only recent history was available" in shallow

"""Pages that mention a role's parts elsewhere stay the size of their own text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from helpers import write_org

from generator.load.schema import load_schemas
from generator.model.settings import Settings
from generator.project import load_project
from generator.render.pages import render_site

TEAMS = {
    "organisation": "Fan-out Ltd.",
    "teams": [{"id": "top", "name": "Top"}]
    + [{"id": f"t{n}", "name": f"Team {n}", "parent": "top"} for n in range(8)],
}
LONG = "Every invoice is checked against its order " + "and its delivery note " * 10 + "first."


def role(**extra: Any) -> dict[str, Any]:
    """A role serving all eight teams, one reward requiring a long expectation."""
    return {
        "id": "clerk", "title": "Clerk", "team": "top", "owners": ["@o"], "summary": "Checks.",
        "review_by": "2099-12-31", "responsibilities": [{"id": "r", "text": "Check."}],
        "expectations": [
            {"id": "checked", "text": LONG, "measure": "share", "better": "higher", "meets": 90}
        ],
        "commitments": [{
            "id": "invoices", "service": "Invoice checks", "request_via": "the form",
            "customers": [f"team:t{n}" for n in range(8)],
            "targets": [{"priority": "normal", "response": "1d"}],
        }],
        "rewards": [{"id": "bonus", "reward": "A bonus", "requires": {"checked": "meets"}}],
        **extra,
    }  # fmt: skip


def pages(tmp_path: Path, language: str = "en") -> dict[str, str]:
    root = write_org(tmp_path, TEAMS, {"top/clerk.yaml": role()})
    settings = Settings(language=language)
    project, diags = load_project(root, settings)
    assert not [d for d in diags if d.severity.name == "ERROR"], diags
    site = render_site(project.organisation, settings, schemas=load_schemas())
    return dict(site.pages)


def test_a_who_serves_page_names_five_customers_and_links_the_rest(tmp_path: Path) -> None:
    page = pages(tmp_path)["who-serves-me/t3.md"]
    row = next(line for line in page.splitlines() if "Invoice checks" in line)
    assert len(re.findall(r'href="\.\./\.\./teams/t\d/"', row)) == 5
    assert '<a href="../../roles/clerk/#commitment-invoices">and 3 more</a>' in row
    role_page = pages(tmp_path / "again")["roles/clerk.md"]
    assert len(re.findall(r'href="\.\./\.\./teams/t\d/"', role_page)) >= 8  # all, once


def test_the_count_is_translated(tmp_path: Path) -> None:
    row = next(
        line
        for line in pages(tmp_path, "pl")["who-serves-me/t0.md"].splitlines()
        if "Invoice" in line
    )
    assert ">i jeszcze 3</a>" in row


def test_a_reward_names_a_long_expectation_by_its_start(tmp_path: Path) -> None:
    page = pages(tmp_path)["roles/clerk.md"]
    rewards = page[page.index("## Rewards") :]
    name = re.search(r'<a href="#expectation-checked">([^<]*)</a>', rewards)
    assert name is not None
    assert name[1].endswith("…") and len(name[1]) <= 120
    assert LONG.startswith(name[1][:-1].rstrip())
    assert LONG in page  # the expectation itself is shown whole

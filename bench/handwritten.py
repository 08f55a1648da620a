"""The second baseline: the same organisation as hand-written Markdown pages, built by MkDocs.

What a user would otherwise write: one Markdown page per role with the same content
(summary, responsibilities, expectations, services with their targets, rewards), a
folder per team nested as the team tree (teams as navigation sections, each with an
index page listing its roles), and plain MkDocs with the Material theme, the same
features plus ``navigation.prune`` and its own search. No plugin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .org import mkdocs_config, organisation


def _customers(customers: list[str]) -> str:
    words = []
    for customer in customers:
        kind, _, ident = customer.partition(":")
        words.append("everyone" if customer == "everyone" else f"{kind} {ident}")
    return ", ".join(words)


def role_markdown(role: dict[str, Any]) -> str:
    """One role's page as its author would write it."""
    lines = [f"# {role['title']}", "", role["summary"], ""]
    if role.get("reports_to"):
        lines += [f"Reports to {role['reports_to']}.", ""]
    lines += ["## Responsibilities", ""]
    lines += [f"- {r['text']} ({r['share']} %)" for r in role["responsibilities"]]
    lines += ["", "## Expectations", "", "| Expectation | Measure | Meets | Exceeds |"]
    lines += ["| --- | --- | --- | --- |"]
    for e in role["expectations"]:
        measure = e.get("measure", "mean rating from internal customers")
        lines.append(f"| {e['text']} | {measure} | {e['meets']} | {e['exceeds']} |")
    lines += ["", "## Services", ""]
    for c in role["commitments"]:
        lines += [
            f"### {c['service']}",
            "",
            f"- **For:** {_customers(c['customers'])}",
            f"- **How to ask:** {c['request_via']}",
            f"- **Bring:** {'; '.join(c['requester_provides'])}",
            f"- **Hours:** {c['hours']}",
            f"- **Keywords:** {', '.join(c['keywords'])}",
        ]
        if c.get("escalate_to"):
            lines.append(f"- **Escalate to:** {c['escalate_to']}")
        lines += ["", "| Priority | First response | Resolution |", "| --- | --- | --- |"]
        lines += [
            f"| {t['priority']} | {t['response']} | {t['resolution']} |" for t in c["targets"]
        ]
        lines.append("")
    lines += ["## Rewards", ""]
    for reward in role["rewards"]:
        needs = ", ".join(f"{k} {v}" for k, v in reward["requires"].items())
        lines.append(f"- {reward['reward']} (requires {needs})")
    return "\n".join(lines) + "\n"


def write_handwritten(folder: Path, count: int, *, seed: int = 7) -> Path:
    """Write the hand-written equivalent of the synthetic organisation; return its config file."""
    teams, roles = organisation(count, seed=seed)
    parent = {t["id"]: t.get("parent") for t in teams["teams"]}
    names = {t["id"]: t["name"] for t in teams["teams"]}

    def folder_of(team: str) -> Path:
        chain = []
        current: str | None = team
        while current:
            chain.append(current)
            current = parent[current]
        return docs.joinpath(*reversed(chain))

    docs = folder / "docs"
    by_team: dict[str, list[dict[str, Any]]] = {t: [] for t in names}
    for role in roles:
        by_team[role["team"]].append(role)
    for team, members in by_team.items():
        here = folder_of(team)
        here.mkdir(parents=True, exist_ok=True)
        listing = [f"# {names[team]}", "", "## Roles", ""]
        listing += [f"- [{r['title']}]({r['id']}.md): {r['summary']}" for r in members]
        (here / "index.md").write_text("\n".join(listing) + "\n", encoding="utf-8")
        for role in members:
            (here / f"{role['id']}.md").write_text(role_markdown(role), encoding="utf-8")
    (docs / "index.md").write_text(f"# Handbook of {count} roles\n", encoding="utf-8")
    config = mkdocs_config(count)
    config["docs_dir"] = "docs"
    config["plugins"] = ["search"]
    config["validation"] = {"links": {"not_found": "ignore"}}
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path

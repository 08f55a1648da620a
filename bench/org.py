"""A synthetic, valid organisation of any size, written as a handbook folder."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROLES_PER_TEAM = 25
"""Teams grow with the organisation: N/25 teams (at least ``MIN_TEAMS``)."""
MIN_TEAMS = 10
TEAMS_PER_DEPARTMENT = 6
EVERYONE_EVERY = 5
"""One service in five is for everyone, as HR, payroll and IT helpdesk services are."""

_FEATURES = [
    "navigation.tabs",
    "navigation.indexes",
    "navigation.prune",
    "navigation.top",
    "navigation.footer",
    "search.suggest",
    "search.highlight",
    "content.action.edit",
]

_NOUNS = [
    "supplier invoices", "purchase orders", "customer complaints", "release notes",
    "safety audits", "training plans", "access requests", "budget forecasts",
    "travel bookings", "contract renewals", "quality reports", "shift rotas",
    "onboarding checklists", "expense claims", "stock counts", "data exports",
    "service tickets", "hiring plans", "month-end figures", "maintenance work orders",
]  # fmt: skip
_VERBS = [
    "Prepare", "Review", "Approve", "Coordinate", "Maintain", "Plan", "Check",
    "Publish", "Track", "Reconcile", "Schedule", "Improve",
]  # fmt: skip
_TITLES = [
    "Specialist", "Coordinator", "Analyst", "Engineer", "Officer", "Advisor",
    "Administrator", "Planner", "Associate", "Consultant",
]  # fmt: skip
_AREAS = [
    "Finance", "People", "Operations", "Technology", "Sales", "Legal", "Facilities",
    "Procurement", "Quality", "Logistics", "Marketing", "Security", "Data", "Support",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class TeamSpec:
    """One team of the tree."""

    id: str
    name: str
    parent: str | None


def team_count(roles: int) -> int:
    """How many teams an organisation of ``roles`` roles has: one per 25 roles."""
    return max(MIN_TEAMS, roles // ROLES_PER_TEAM)


def department_count(teams: int) -> int:
    """How many departments hold ``teams`` teams: about one per six teams, at least three."""
    return max(3, round(teams / TEAMS_PER_DEPARTMENT))


def team_tree(teams: int, departments: int | None = None) -> list[TeamSpec]:
    """A root office, ``departments`` departments under it and the other teams spread below."""
    if departments is None:
        departments = department_count(teams)
    tree = [TeamSpec("office", "Executive Office", None)]
    depts = [TeamSpec(f"dept-{d + 1}", _department_name(d), "office") for d in range(departments)]
    tree += depts
    for t in range(teams - 1 - departments):
        dept = depts[t % departments]
        area = _AREAS[(t * 3 + 1) % len(_AREAS)]
        tree.append(TeamSpec(f"team-{t + 1}", f"{area} Team {t + 1}", dept.id))
    return tree


def _department_name(d: int) -> str:
    area = _AREAS[d % len(_AREAS)]
    return f"{area} Department" + (f" {d // len(_AREAS) + 1}" if d >= len(_AREAS) else "")


def _sentence(rng: random.Random) -> str:
    area = rng.choice(_AREAS).lower()
    return f"{rng.choice(_VERBS)} the {rng.choice(_NOUNS)} for the {area} area"


def _role_ids(count: int, tree: list[TeamSpec]) -> list[tuple[str, str]]:
    """(role id, team id) for ``count`` roles: the top role first, team leads next, then members."""
    placed: list[tuple[str, str]] = []
    for index in range(count):
        team = tree[index % len(tree)]
        placed.append((f"role-{index + 1:05d}", team.id))
    return placed


def role_data(  # noqa: PLR0917 - one role from its place in the organisation
    index: int,
    ident: str,
    team: str,
    manager: str | None,
    roles: list[tuple[str, str]],
    tree: list[TeamSpec],
    rng: random.Random,
) -> dict[str, Any]:
    """One role with about 6 responsibilities, 4 expectations, 2 commitments and 2 rewards."""
    area = rng.choice(_AREAS)
    title = f"{area} {rng.choice(_TITLES)} {index + 1}"
    responsibilities = [
        {
            "id": f"duty-{k + 1}",
            "text": f"{_sentence(rng)}, and keep colleagues informed.",
            "share": 15,
        }
        for k in range(6)
    ]
    responsibilities[0]["text"] = (
        f"{_sentence(rng)}; see the [process guide](https://intranet.example/{ident}) "
        "for *every* step."
    )
    commitments = []
    for k in range(2):
        other_team = rng.choice(tree).id
        other_role = rng.choice(roles)[0]
        commitment: dict[str, Any] = {
            "id": f"service-{k + 1}",
            "service": f"{_VERBS[(index + k) % len(_VERBS)]} {rng.choice(_NOUNS)}",
            "keywords": [
                _NOUNS[(index + k) % len(_NOUNS)],
                f"{area.lower()} help",
                f"{area.lower()} request {index + 1}-{k + 1}",
            ],
            "customers": (
                ["everyone"]
                if (2 * index + k) % EVERYONE_EVERY == 0
                else [f"team:{other_team}", f"role:{other_role}"]
            ),
            "request_via": f"{area.lower()}@example.com or #{area.lower()}-help",
            "requester_provides": ["a short description of the request", "the deadline"],
            "targets": [
                {"priority": "urgent", "response": "2h", "resolution": "1d"},
                {"priority": "normal", "response": "1d", "resolution": "5d"},
            ],
            "hours": "business",
        }
        if manager:
            commitment["escalate_to"] = manager
        commitments.append(commitment)
    expectations = [
        {
            "id": f"measure-{k + 1}",
            "text": f"{_sentence(rng)} on time.",
            "measure": "business days from request to completion",
            "better": "lower",
            "meets": 5,
            "exceeds": 3,
            "volume": f"about {10 * (k + 1)} a month",
        }
        for k in range(3)
    ]
    expectations.append(
        {
            "id": "colleague-rating",
            "text": "Colleagues are satisfied with the service.",
            "source": "feedback",
            "commitment": "service-1",
            "better": "higher",
            "meets": 4.0,
            "exceeds": 4.5,
        }
    )
    data: dict[str, Any] = {"id": ident, "title": title, "team": team}
    if manager:
        data["reports_to"] = manager
    data.update(
        owners=[f"@owner-{index % 97}"],
        summary=(
            f"Keeps the {area.lower()} work of the team running: {_sentence(rng).lower()}, "
            f"and makes sure *nobody* waits for {rng.choice(_NOUNS)}."
        ),
        review_by="2035-06-30",
        responsibilities=responsibilities,
        expectations=expectations,
        commitments=commitments,
        rewards=[
            {
                "id": "annual-bonus",
                "reward": "Annual bonus of up to 8% of base pay",
                "requires": {"measure-1": "meets", "measure-2": "meets"},
            },
            {
                "id": "service-award",
                "reward": "Quarterly service award",
                "requires": {"measure-3": "exceeds", "colleague-rating": "meets"},
            },
        ],
    )
    return data


def organisation(count: int, *, seed: int = 7) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The team tree (teams.yaml data) and ``count`` role documents."""
    rng = random.Random(seed)
    tree = team_tree(team_count(count))
    roles = _role_ids(count, tree)
    lead_of = {}
    for ident, team in roles:
        lead_of.setdefault(team, ident)
    parent_of = {t.id: t.parent for t in tree}
    documents = []
    for index, (ident, team) in enumerate(roles):
        if lead_of[team] == ident:  # the team lead reports to the lead of the team above
            parent = parent_of[team]
            manager = lead_of.get(parent) if parent else None
            while parent and manager is None:
                parent = parent_of[parent]
                manager = lead_of.get(parent) if parent else None
        else:
            manager = lead_of[team]
        documents.append(role_data(index, ident, team, manager, roles, tree, rng))
    teams = {
        "organisation": f"Synthetic Organisation of {count} roles",
        "teams": [
            {
                "id": t.id,
                "name": t.name,
                **({"parent": t.parent} if t.parent else {}),
                **({"lead": lead_of[t.id]} if t.id in lead_of else {}),
                "channel": f"#{t.id}",
            }
            for t in tree
        ],
    }
    return teams, documents


def mkdocs_config(count: int) -> dict[str, Any]:
    """The handbook's mkdocs.yml: Material with the same features as the example handbook."""
    return {
        "site_name": f"Handbook of {count} roles",
        "docs_dir": "content",
        "theme": {"name": "material", "features": list(_FEATURES)},
        "plugins": [
            "search",
            {"handbook": {"roles_dir": "roles", "feedback": {"endpoint": "/api/feedback"}}},
        ],
        "markdown_extensions": [
            "admonition",
            "attr_list",
            "md_in_html",
            "tables",
            {"toc": {"permalink": True}},
        ],
    }


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def write_handbook(folder: Path, count: int, *, seed: int = 7) -> Path:
    """Write a handbook of ``count`` roles (mkdocs.yml, content/, roles/); return the folder."""
    teams, documents = organisation(count, seed=seed)
    (folder / "content").mkdir(parents=True, exist_ok=True)
    (folder / "content" / "index.md").write_text(
        f"# Handbook\n\nThe synthetic organisation of {count} roles.\n", encoding="utf-8"
    )
    (folder / "mkdocs.yml").write_text(_dump(mkdocs_config(count)), encoding="utf-8")
    roles = folder / "roles"
    roles.mkdir(exist_ok=True)
    (roles / "teams.yaml").write_text(_dump(teams), encoding="utf-8")
    for data in documents:
        team_dir = roles / data["team"]
        team_dir.mkdir(exist_ok=True)
        (team_dir / f"{data['id']}.yaml").write_text(_dump(data), encoding="utf-8")
    return folder

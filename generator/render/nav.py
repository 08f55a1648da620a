"""The navigation of the generated pages: the team tree with its roles, then the views."""

from __future__ import annotations

import html
from typing import Any

from generator import i18n
from generator.model.index import OrgIndex
from generator.model.organisation import Team
from generator.render import addresses

NavItem = str | dict[str, Any]


def _nav_title(value: str) -> str:
    """A title for MkDocs' navigation, which themes print unescaped.

    Material also writes it through ``striptags`` (which unescapes) into ``<title>``, so
    angle brackets become look-alike quotes: no title can close an element.
    """
    text = " ".join(value.split()).replace("<", "‹").replace(">", "›")
    return html.escape(text, quote=False)


def build_nav(
    index: OrgIndex,
    *,
    directory: list[str] | None = None,
    everyone: list[str] | None = None,
    workload: list[str] | None = None,
    scorecard: bool = False,
    rewards: bool = False,
    priorities: bool = False,
    language: str = i18n.SOURCE_LANGUAGE,
) -> list[NavItem]:
    """Navigation of the generated pages: the team tree with its roles, then the views.

    ``directory``, ``everyone`` and ``workload`` are the departments' pages of those
    views, when they are split (a large organisation).
    """

    def team_section(team: Team) -> dict[str, Any]:
        items: list[NavItem] = [{_nav_title(team.name): addresses.team_page(team.id)}]
        items += [
            {_nav_title(r.title): addresses.role_page(r.id)}
            for r in index.roles_by_team.get(team.id, [])
        ]
        items += [team_section(child) for child in index.children.get(team.id, [])]
        return {_nav_title(team.name): items}

    teams: list[NavItem] = [addresses.TEAMS_INDEX]
    teams += [team_section(t) for t in index.children.get(None, [])]

    def _(message: str) -> str:
        return _nav_title(i18n.translate(language, message))

    def listing(top: str, parts: list[str] | None) -> NavItem | list[NavItem]:
        if not parts:
            return top
        return [top, *({_department(src): src} for src in parts)]

    def _department(src: str) -> str:
        team = index.organisation.teams.get(src.rsplit("/", 1)[-1].removesuffix(".md"))
        return _nav_title(team.name if team else src)

    serves: list[NavItem] = [addresses.SERVES_INDEX]
    serves.append({_("Services for everyone"): listing(addresses.EVERYONE, everyone)})
    serves += [{_nav_title(t.name): addresses.serves_page(t.id)} for _, t in index.walk()]

    views: list[NavItem] = [
        {_("Teams"): teams},
        {_("Who do I ask for…?"): listing(addresses.DIRECTORY, directory)},
        {_("Who serves me"): serves},
        {_("Internal-customer map"): addresses.MAP},
    ]
    if scorecard:
        views.append({_("Scorecard"): addresses.SCORECARD})
    if rewards:
        views.append({_("Rewards"): addresses.REWARDS})
    leaders: list[NavItem] = [{_("Workload"): listing(addresses.WORKLOAD, workload)}]
    if priorities:
        leaders.append({_("What matters most"): addresses.PRIORITIES})
    views.append({_("For leaders"): leaders})
    reference: list[NavItem] = [
        {_("Role format"): addresses.FORMAT_REFERENCE},
        {_("Rules"): addresses.RULES},
    ]
    return [*views, {_("Reference"): reference}]

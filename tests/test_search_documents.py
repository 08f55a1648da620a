"""Search documents kept between serve rebuilds equal the documents made afresh."""

from __future__ import annotations

import dataclasses

from helpers import REPO_ROOT, load

from generator.cli.commands import load_settings
from generator.model.organisation import Organisation
from generator.render import addresses
from generator.render.search import DocumentCache, SearchDocument, search_documents

URLS = addresses.Urls(True)


def _documents(organisation: Organisation, cache: DocumentCache | None) -> list[SearchDocument]:
    return search_documents(organisation, URLS, titles={}, cache=cache)


def _by_location(docs: list[SearchDocument]) -> dict[str, SearchDocument]:
    return {doc["location"]: doc for doc in docs}


def test_kept_documents_follow_edited_roles_and_renamed_teams() -> None:
    project, _ = load(REPO_ROOT, load_settings(REPO_ROOT))
    org = project.organisation
    cache: DocumentCache = {}
    first = _by_location(_documents(org, cache))

    role = org.roles["facilities-coordinator"]
    team = org.teams[role.team]
    other = next(r for r in org.roles.values() if r.team != role.team)
    edited = dataclasses.replace(
        org,
        roles={**org.roles, role.id: dataclasses.replace(role, title="Site <Lead>")},
        teams={**org.teams, team.id: dataclasses.replace(team, name="Workplace & Sites")},
    )
    kept = _documents(edited, cache)
    assert kept == _documents(edited, None)

    found = _by_location(kept)
    page = URLS.url(addresses.role_page(role.id))
    assert found[page]["title"] == "Site &lt;Lead&gt;"
    assert found[page]["text"].startswith("Workplace &amp; Sites · ")
    other_page = URLS.url(addresses.role_page(other.id))
    assert found[other_page] is first[other_page], "an unchanged role's document is made again"

    urls = addresses.Urls(False)
    assert search_documents(edited, urls, titles={}, cache=cache) == search_documents(
        edited, urls, titles={}
    )

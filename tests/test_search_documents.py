"""Search documents and their JSON kept between serve rebuilds equal what is made afresh."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from helpers import REPO_ROOT, load

from generator.cli.commands import load_settings
from generator.model.organisation import Organisation
from generator.render import addresses
from generator.render.search import (
    NAVIGATION_BOOST,
    DocumentCache,
    SearchDocument,
    search_documents,
)
from generator.site.mkdocs_internals import SEARCH_INDEX
from generator.site.search import SearchTexts, SiteSearch, complete_index

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


MATERIAL_INDEX = {
    "config": {"lang": ["en"], "separator": "[\\s\\-]+"},
    "docs": [{"location": "", "title": "Home – «start»", "text": "<p>Welcome</p>"}],
}


def _complete(site: Path, search: SiteSearch, texts: SearchTexts | None) -> bytes:
    index = site / SEARCH_INDEX
    index.parent.mkdir(parents=True, exist_ok=True)
    index.write_text(json.dumps(MATERIAL_INDEX), encoding="utf-8")
    assert complete_index(site, search, texts)
    return index.read_bytes()


def test_documents_written_before_give_the_same_index(tmp_path: Path) -> None:
    project, _ = load(REPO_ROOT, load_settings(REPO_ROOT))
    docs = _documents(project.organisation, None)
    search = SiteSearch("en", docs, frozenset(), frozenset({""}))
    texts: SearchTexts = {}
    fresh = _complete(tmp_path / "fresh", search, None)
    assert _complete(tmp_path / "first", search, texts) == fresh
    assert len(texts) == len(docs)
    edited = SiteSearch("en", [*docs[1:], {**docs[0], "title": "Renamed"}], *_sets(search))
    assert _complete(tmp_path / "again", edited, texts) == _complete(
        tmp_path / "again-fresh", edited, None
    )
    data = json.loads(fresh)
    assert data["docs"][0]["boost"] == NAVIGATION_BOOST
    assert data["docs"][1:] == docs
    assert data["config"]["handbook"] == {"language": "en"}


def _sets(search: SiteSearch) -> tuple[frozenset[str], frozenset[str]]:
    return search.excluded, search.navigation

"""A real ``handbook build --strict`` of the example organisation, checked on the HTML."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import copy_example, cover_notes

from generator.model.index import OrgIndex
from generator.model.settings import Settings
from generator.project import load_project


class _Ids(HTMLParser):
    """Collects element ids, link targets and event-handler attributes of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name == "href" and value:
                self.hrefs.append(value)
            elif name.startswith("on"):
                self.handlers.append(f"{tag}[{name}]")


def parse(path: Path) -> _Ids:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    handbook = copy_example(tmp_path_factory.mktemp("example") / "handbook")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator.cli",
            "build",
            str(handbook),
            "--strict",
            "--site-dir",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    return out


@pytest.fixture(scope="module")
def index(root: Path) -> OrgIndex:
    project, diags = load_project(root, Settings())
    assert cover_notes(diags)
    return OrgIndex.build(project.organisation)


def test_every_role_and_team_has_a_page(site: Path, index: OrgIndex) -> None:
    for role_id, role in index.organisation.roles.items():
        page = site / "roles" / role_id / "index.html"
        heading = re.search(r"<h1[^>]*>(.*?)<a", page.read_text(encoding="utf-8"))
        assert heading is not None, role_id
        assert html.unescape(heading.group(1)) == role.title
    for team_id in index.organisation.teams:
        assert (site / "teams" / team_id / "index.html").is_file()
        assert (site / "who-serves-me" / f"{team_id}.html").is_file() or (
            site / "who-serves-me" / team_id / "index.html"
        ).is_file()


def test_role_page_anchors_for_every_part(site: Path, index: OrgIndex) -> None:
    for role in index.organisation.roles.values():
        ids = parse(site / "roles" / role.id / "index.html").ids
        expected = {f"responsibility-{r.id}" for r in role.responsibilities}
        expected |= {f"expectation-{e.id}" for e in role.expectations}
        expected |= {f"commitment-{c.id}" for c in role.commitments}
        expected |= {f"reward-{w.id}" for w in role.rewards}
        assert expected <= ids, role.id


def test_directory_lists_every_commitment(site: Path, index: OrgIndex) -> None:
    links = set(parse(site / "directory" / "index.html").hrefs)
    for role in index.organisation.roles.values():
        for commitment in role.commitments:
            assert f"../roles/{role.id}/#commitment-{commitment.id}" in links


def test_who_serves_me_matches_the_reverse_index(site: Path, index: OrgIndex) -> None:
    """Each team's page lists what is promised to it in particular and links to the rest."""
    assert index.for_everyone, "the example has services for everyone"
    for team_id in index.organisation.teams:
        links = set(parse(site / "who-serves-me" / team_id / "index.html").hrefs)
        shown = {h for h in links if "#commitment-" in h}
        expected = {
            f"../../roles/{s.role.id}/#commitment-{s.commitment.id}"
            for s in index.served.get(team_id, [])
            if "everyone" not in s.commitment.customers
        }
        assert shown == expected, team_id
        assert "../../everyone/" in links, team_id


def test_services_for_everyone_are_listed_once(site: Path, index: OrgIndex) -> None:
    links = parse(site / "everyone" / "index.html").hrefs
    shown = [h for h in links if "#commitment-" in h]
    expected = [f"../roles/{s.role.id}/#commitment-{s.commitment.id}" for s in index.for_everyone]
    assert sorted(shown) == sorted(expected)


def test_internal_links_resolve(site: Path) -> None:
    for page in site.rglob("*.html"):
        for href in parse(page).hrefs:
            if re.match(r"^[a-z]+:|^#|^/", href):
                continue
            target = (page.parent / href.split("#")[0]).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{page.relative_to(site)} links to missing {href}"


def test_map_schema_and_search(site: Path, index: OrgIndex) -> None:
    map_html = (site / "map" / "index.html").read_text(encoding="utf-8")
    assert '<svg class="hb-matrix"' in map_html and "mermaid" not in map_html
    schema = json.loads((site / "schema" / "role.schema.json").read_text(encoding="utf-8"))
    assert "properties" in schema
    search = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = " ".join(doc["text"] + doc["title"] for doc in search["docs"])
    for role in index.organisation.roles.values():
        assert role.title.replace("&", "&amp;") in texts or role.title in texts


def test_no_event_handlers_anywhere(site: Path) -> None:
    for page in (site / "roles").rglob("*.html"):
        assert parse(page).handlers == [], page


def test_home_page_shows_the_organisation_at_a_glance(site: Path, index: OrgIndex) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<!-- handbook:overview -->" not in home
    assert f'<strong class="hb-big">{len(index.organisation.roles)}</strong><br>roles' in home
    services = sum(len(r.commitments) for r in index.organisation.roles.values())
    assert f'<strong class="hb-big">{services}</strong>' in home
    assert 'href="map/"' in home

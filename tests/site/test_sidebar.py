"""Long sections of the sidebar list a window of entries and a link to the section's page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import tree_digest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from bench.org import write_handbook
from generator.site import sidebar

LIMIT = 4


def _build(folder: Path) -> Path:
    site = folder / "site"
    build(load_config(config_file=str(folder / "mkdocs.yml"), site_dir=str(site)))
    return site


def _sidebar_links(page: Path) -> list[tuple[str, str]]:
    html = page.read_text(encoding="utf-8")
    primary = html.split("md-sidebar--primary", 1)[1].split("md-sidebar--secondary", 1)[0]
    links = re.findall(r'<a href="([^"]*)" class="md-nav__link[^"]*">(.*?)</a>', primary, re.S)
    return [(href, " ".join(re.sub(r"<[^>]+>", "", text).split())) for href, text in links]


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sidebar, "SIDEBAR_ENTRIES", LIMIT)
        return {
            roles: _build(write_handbook(tmp_path_factory.mktemp(f"org{roles}"), roles))
            for roles in (60, 300)
        }


def test_a_long_section_lists_a_window_around_the_page_and_a_link_to_all(
    sites: dict[int, Path],
) -> None:
    links = _sidebar_links(sites[300] / "who-serves-me" / "team-5" / "index.html")
    section = [text for href, text in links if href.startswith("../") and "/" not in href[3:-1]]
    assert "Show all 13" in section  # everyone's services and the 12 teams' pages
    assert ("./", "Support Team 5") in links  # the page being read is in its window
    assert ("../", "Show all 13") in links  # to the section's page, which lists them all
    shown = [text for href, text in links if re.fullmatch(r"\.\./(team|dept)-\d+/", href)]
    assert len(shown) == LIMIT - 2  # the window is the page itself, its neighbours and the link


def test_every_page_lists_as_many_entries_whatever_the_organisation_size(
    sites: dict[int, Path],
) -> None:
    small = sites[60] / "who-serves-me" / "team-5" / "index.html"
    large = sites[300] / "who-serves-me" / "team-5" / "index.html"
    teams = {
        size: len(list((site / "who-serves-me").glob("*/index.html")))
        for size, site in sites.items()
    }
    assert teams[300] > teams[60]
    assert len(_sidebar_links(small)) == len(_sidebar_links(large))


def test_a_short_section_is_listed_whole(tmp_path: Path) -> None:
    site = _build(write_handbook(tmp_path, 30))
    links = _sidebar_links(site / "who-serves-me" / "team-5" / "index.html")
    assert not any(text.startswith("Show all") for _, text in links)
    teams = {href for href, _ in links if re.fullmatch(r"\.\./(team|dept)-\d+/", href)}
    assert len(teams) == len(list((site / "who-serves-me").glob("*-*/index.html"))) - 1


@pytest.mark.parametrize("directory_urls", [True, False])
def test_pages_that_share_a_navigation_show_the_one_the_theme_renders_for_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, directory_urls: bool
) -> None:
    monkeypatch.setattr(sidebar, "SIDEBAR_ENTRIES", LIMIT)
    folder = write_handbook(tmp_path / "org", 60)
    config = folder / "mkdocs.yml"
    config.write_text(
        f"use_directory_urls: {str(directory_urls).lower()}\n" + config.read_text("utf-8"),
        encoding="utf-8",
    )
    made: list[object] = []
    shared = sidebar.SidebarWindows.shared

    def counted(self: sidebar.SidebarWindows, key: object, caller: object) -> str:
        if key is not None:
            made.append(key)
        return shared(self, key, caller)  # type: ignore[arg-type]

    monkeypatch.setattr(sidebar.SidebarWindows, "shared", counted)
    once = tree_digest(_build(folder))
    assert len(made) - len(set(made)) > 40, "role pages of a team did not share their navigation"
    monkeypatch.setattr(sidebar.SidebarWindows, "key", lambda self, page: None)
    each = tree_digest(_build(folder))
    assert once.keys() == each.keys()
    assert [name for name in once if once[name] != each[name]] == []

"""The site's navigation: the author's pages first, then the handbook's, role pages unlisted."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import nest_paths

from generator.render.nav import NavItem


def nav_titles(nav: Iterable[Any]) -> Iterator[tuple[str, str]]:
    """(source path, title) of every titled page in a navigation spec."""
    for item in nav:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    yield value, title
                elif isinstance(value, list):
                    yield from nav_titles(value)


def hide_from_sidebar(nav: Navigation, hidden: set[str]) -> None:
    """Leave the pages ``hidden`` out of their section's listing; they keep the section as parent.

    Breadcrumbs, tabs and previous/next links still place such a page in its team,
    but no page lists a team's roles in its navigation, so every page's navigation
    stays the size of the team tree, whatever the number of roles.
    """

    def visit(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, Section):
                item.children = [
                    child
                    for child in item.children
                    if not (isinstance(child, Page) and child.file.src_uri in hidden)
                ]
                visit(item.children)

    visit(nav.items)


def merge_nav(
    user_nav: list[Any] | None,
    content_pages: list[str],
    generated: list[NavItem],
    *,
    home: str = "Home",
) -> list[Any]:
    """The site navigation: the author's (or the content folder's) first, then the handbook's."""
    if user_nav:
        return [*user_nav, *generated]
    ordered = sorted(content_pages, key=lambda p: (p != "index.md", p))
    items: list[Any] = [{home: p} if p == "index.md" else p for p in ordered[:1]]
    return [*items, *nest_paths(ordered[1:]), *generated]

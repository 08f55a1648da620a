"""Each page's sidebar: long sections show a window of their entries and a link to all of them.

The theme lists, on every page, the siblings of every section along the page's path.
In a large organisation the executive office has dozens of departments and "Who serves
me" hundreds of teams, so every page would carry every department's and every team's
link. A section with more than ``SIDEBAR_ENTRIES`` entries instead shows the entries
around the page being read and a link to the section's own page, which lists them all:
every page's navigation stays the same size, whatever the size of the organisation.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

SIDEBAR_ENTRIES = 12
"""The most entries a section lists in the sidebar, its own page not counted."""

AllTitle = Callable[[int], str]
"""The title of the link to a section's page, given how many entries it holds."""


class SidebarWindows:
    """Per-page copies of the navigation whose long sections list a window of their entries."""

    def __init__(self, nav: Navigation, all_title: AllTitle) -> None:
        self._nav = nav
        self._all_title = all_title
        self._limit = SIDEBAR_ENTRIES
        self._inactive: dict[int, Section] = {}
        self._needed = _any_windowed(nav.items, self._limit)

    def navigation(self) -> Navigation:
        """The navigation for the page being built (the one MkDocs marked active)."""
        if not self._needed:
            return self._nav
        windowed = copy.copy(self._nav)
        windowed.items = [self._item(item) for item in self._nav.items]
        return windowed

    def _item(self, item: Any) -> Any:
        if not isinstance(item, Section):
            return item
        if item.active:
            return self._section(item)
        # A section off the page's path holds no active entry on any page it is off the path of.
        cached = self._inactive.get(id(item))
        if cached is None:
            cached = self._inactive[id(item)] = self._section(item)
        return cached

    def _section(self, section: Section) -> Section:
        windowed = copy.copy(section)
        windowed.children = [self._item(child) for child in self._window(section.children)]
        return windowed

    def _window(self, children: list[Any]) -> list[Any]:
        if not _windowed(children, self._limit):
            return children
        own, entries = children[0], children[1:]
        shown = self._limit - 1  # one place for the link to all entries
        here = next((i for i, entry in enumerate(entries) if entry.active), 0)
        start = max(0, min(here - shown // 2, len(entries) - shown))
        window = entries[start : start + shown]
        return [own, *window, Link(self._all_title(len(entries)), own.url)]


def _windowed(children: list[Any], limit: int) -> bool:
    """Whether a section with ``children`` lists a window: more than ``limit`` entries besides
    its own page (a section without a page of its own has nowhere to list them all)."""
    return bool(children) and isinstance(children[0], Page) and len(children) - 1 > limit


def _any_windowed(items: list[Any], limit: int) -> bool:
    """Whether any section of ``items``, at any depth, lists a window."""
    return any(
        isinstance(item, Section)
        and (_windowed(item.children, limit) or _any_windowed(item.children, limit))
        for item in items
    )

"""Each page's sidebar: long sections show a window of their entries and a link to all of them.

The theme lists, on every page, the siblings of every section along the page's path.
In a large organisation the executive office has dozens of departments and "Who serves
me" hundreds of teams, so every page would carry every department's and every team's
link. A section with more than ``SIDEBAR_ENTRIES`` entries instead shows the entries
around the page being read and a link to the section's own page, which lists them all:
every page's navigation stays the same size, whatever the size of the organisation.

Pages the sidebar does not list (role pages) show the same navigation as every other
unlisted page of their section in the same folder, so the theme renders it once for
all of them (:meth:`SidebarWindows.shared`).
"""

from __future__ import annotations

import copy
import posixpath
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

SIDEBAR_ENTRIES = 12
"""The most entries a section lists in the sidebar, its own page not counted."""

THEME_BELOW = "handbook-theme"
"""The prefix under which a template of the theme folders below the handbook's is found."""

AllTitle = Callable[[int], str]
"""The title of the link to a section's page, given how many entries it holds."""


class SidebarWindows:
    """Per-page copies of the navigation whose long sections list a window of their entries."""

    def __init__(
        self, nav: Navigation, all_title: AllTitle, unlisted: Collection[str] = ()
    ) -> None:
        self._nav = nav
        self._all_title = all_title
        self._limit = SIDEBAR_ENTRIES
        self._inactive: dict[int, Section] = {}
        self._needed = _any_windowed(nav.items, self._limit)
        self._unlisted = unlisted
        self._folders = frozenset(_folders(_urls(nav.items)))
        self._made: dict[object, str] = {}

    def key(self, page: Page) -> object:
        """What the navigation of ``page`` is made of, when pages share it; else None.

        The sidebar of a page it does not list depends only on the page's sections (which
        of them are open and which window they show) and on the folder its links are
        relative to, unless some listed page lies below the page's own address.
        """
        if page.file.src_uri not in self._unlisted or page.url in self._folders:
            return None
        folder = posixpath.dirname(page.url.rstrip("/"))
        return folder, tuple(id(section) for section in page.ancestors)

    def shared(self, key: object, caller: Callable[[], str]) -> str:
        """The navigation of pages of ``key``, rendered by ``caller`` for the first of them."""
        if key is None:
            return caller()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = caller()
        return made

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


def _urls(items: Iterable[Any]) -> Iterator[str]:
    """The address of every page and link the navigation lists."""
    for item in items:
        if isinstance(item, Section):
            yield from _urls(item.children)
        elif item.url is not None:
            yield item.url


def _folders(urls: Iterable[str]) -> Iterator[str]:
    """Every folder (``a/``, ``a/b/``) the addresses ``urls`` lie in or are."""
    for url in urls:
        parts = url.split("/")
        for end in range(1, len(parts)):
            yield "/".join(parts[:end]) + "/"


def theme_below(loader: BaseLoader | None, dirs: list[str], folder: str) -> BaseLoader:
    """``loader``, which also finds the templates of the theme folders after ``folder`` under
    :data:`THEME_BELOW`: a template of ``folder`` can include the one it stands in front of."""
    below = dirs[dirs.index(folder) + 1 :] if folder in dirs else dirs
    theme = PrefixLoader({THEME_BELOW: FileSystemLoader(below)})
    return theme if loader is None else ChoiceLoader([loader, theme])

"""Finished pages and search entries kept between ``mkdocs serve`` rebuilds.

During ``mkdocs serve`` the plugin instance lives across rebuilds, and so do these
caches: the theme's finished output and search entries by everything they depend
on. A full rebuild (one :mod:`generator.site.rebuild` cannot do page by page) still
runs every MkDocs step over the whole site but redoes the work only for the pages an
edit changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, DictLoader
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.site.mkdocs_internals import search_index, wrap_search_entries
from generator.site.rebuild import editable_theme_dirs

CACHED_TEMPLATE = "handbook-cached-page.html"
"""The template a page whose finished HTML is reused renders with: the HTML itself."""


def _digest(*parts: object) -> bytes:
    data = repr(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).digest()


def _nav_shape(items: Iterable[Any]) -> Iterator[tuple[str, str, str]]:
    for item in items:
        yield type(item).__name__, str(item.title), str(getattr(item, "url", ""))
        children = getattr(item, "children", None)
        if children:
            yield "(", "", ""
            yield from _nav_shape(children)
            yield ")", "", ""


def _theme_files(config: MkDocsConfig) -> list[tuple[str, int]]:
    """Files of the theme folders outside installed packages (they change while serving)."""
    found: list[tuple[str, int]] = []
    for base in editable_theme_dirs(config):
        found += [(str(p), p.stat().st_mtime_ns) for p in sorted(base.rglob("*")) if p.is_file()]
    return found


def _toc_flat(toc: Iterable[Any]) -> Iterator[tuple[str, str, int]]:
    for anchor in toc:
        yield anchor.id, anchor.title, anchor.level
        yield from _toc_flat(anchor.children)


class OutputCache:
    """The theme's finished HTML of generated pages, reused while nothing it shows changed.

    A page's key covers the site (configuration file, theme overrides, assets, plugins,
    the whole navigation) and the page (content, title, table of contents, metadata,
    links, neighbours), so a cached page is byte-for-byte what the theme would render.
    """

    def __init__(self) -> None:
        self.site = b""
        self.pages: dict[str, tuple[bytes, str]] = {}
        self.keys: dict[str, bytes] = {}

    def start(self, config: MkDocsConfig, nav: Navigation) -> None:
        """Compute what every page of this build shares."""
        text = Path(config.config_file_path).read_bytes() if config.config_file_path else b""
        self.site = _digest(
            text,
            config.site_url,
            list(config.extra_css),
            [str(s) for s in config.extra_javascript],
            list(config.plugins),
            _theme_files(config),
            list(_nav_shape(nav.items)),
        )
        self.keys = {}

    def reuse(self, page: Page) -> str | None:
        """The cached output of ``page`` when its key is unchanged (the key is kept for storing)."""
        neighbours = [
            (p.title, p.url) if p is not None else None
            for p in (page.previous_page, page.next_page)
        ]
        key = _digest(
            self.site,
            page.url,
            page.title,
            page.content,
            list(_toc_flat(page.toc)),
            page.meta,
            page.edit_url,
            page.canonical_url,
            page.update_date,
            neighbours,
        )
        src = page.file.src_uri
        self.keys[src] = key
        entry = self.pages.get(src)
        return entry[1] if entry is not None and entry[0] == key else None

    def store(self, page: Page, output: str) -> None:
        """Remember the theme's output of a page looked up in this build."""
        src = page.file.src_uri
        key = self.keys.get(src)
        if key is not None:
            self.pages[src] = (key, output)


class SearchCache:
    """Search entries per page, so a rebuild parses only the pages whose content changed.

    It wraps the search index Material's search plugin makes for each build; the
    entries of a page are a function of its URL, title, content, table of contents
    and metadata, which make the key.
    """

    def __init__(self) -> None:
        self.pages: dict[str, tuple[bytes, list[Any]]] = {}

    def attach(self, plugin: object) -> bool:
        """Wrap ``plugin``'s index (False when it is not a search index this knows)."""
        index = search_index(plugin)
        if index is None:
            return False

        def add_entry(original: Any, page: Page) -> None:
            meta = {k: v for k, v in page.meta.items() if v != CACHED_TEMPLATE}
            key = _digest(page.url, page.title, page.content, list(_toc_flat(page.toc)), meta)
            src = page.file.src_uri
            entry = self.pages.get(src)
            if entry is not None and entry[0] == key:
                index.entries.extend(entry[1])
                return
            before = len(index.entries)
            original(page)
            self.pages[src] = (key, list(index.entries[before:]))

        wrap_search_entries(index, add_entry)
        return True


class ServeCaches:
    """What ``mkdocs serve`` keeps between rebuilds, and the hooks that use it.

    The plugin holds one only while serving; a plain build has none and does no
    caching work at all.
    """

    def __init__(self) -> None:
        self.outputs = OutputCache()
        self.search = SearchCache()
        self.reused: set[str] = set()

    def attach_search(self, config: MkDocsConfig) -> None:
        """Let the search index reuse the entries of unchanged pages."""
        for name, plugin in config.plugins.items():
            if name.endswith("search"):
                self.search.attach(plugin)

    def start(self, config: MkDocsConfig, nav: Navigation) -> None:
        """Begin a rebuild whose navigation is ``nav``."""
        self.outputs.start(config, nav)
        self.reused = set()

    def reuse(self, page: Page) -> bool:
        """Mark ``page`` to be written from its cached output when nothing it shows changed."""
        output = self.outputs.reuse(page)
        if output is None:
            return False
        page.handbook_output = output  # type: ignore[attr-defined]
        page.meta["template"] = CACHED_TEMPLATE
        self.reused.add(page.file.src_uri)
        return True

    def template_loader(self, loader: BaseLoader) -> BaseLoader:
        """The theme's loader, plus the template that writes a reused page as it is."""
        cached = DictLoader({CACHED_TEMPLATE: "{{ page.handbook_output }}"})
        return ChoiceLoader([cached, loader])

    def store(self, page: Page, output: str) -> None:
        """Remember the theme's output of a page that was rendered in this rebuild."""
        if page.file.src_uri not in self.reused:
            self.outputs.store(page, output)

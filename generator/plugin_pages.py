"""Generated pages for MkDocs: HTML without per-page Markdown set-up, kept between rebuilds.

A generated page is headings and raw HTML blocks. MkDocs would build a new Markdown
converter for every page and feed the whole page through it; here one converter
with the site's extensions turns only the headings into HTML (ids, permalinks and
the table of contents exactly as MkDocs makes them) and the raw blocks are kept as
written, as Markdown keeps them. A page of any other shape goes through MkDocs.

During ``mkdocs serve`` the plugin instance lives across rebuilds, and so do its
caches: page HTML by page source, search entries and the theme's finished output by
everything they depend on. A rebuild still runs every MkDocs step over the whole
site (navigation and search index stay whole) but redoes the work only for the pages
an edit changed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page, _ExtractTitleTreeprocessor
from mkdocs.structure.toc import get_toc

_HEADING = re.compile(r"#{1,6} [^\n]*")
_PLACEHOLDER = "HBRAWBLOCK{:06d}"
_PLACED = re.compile(r"<p>HBRAWBLOCK([0-9]{6})</p>")
_ANCHOR = re.compile(r"""\sid="([^"]+)"|<a\s[^>]*?\bname="([^"]+)\"""")


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """A page's HTML and what MkDocs learns from converting it."""

    content: str
    toc_tokens: list[dict[str, Any]]
    title: str | None
    anchors: frozenset[str]


class PageConverter:
    """Converts generated pages with one Markdown instance; remembers every result."""

    def __init__(self, config: MkDocsConfig) -> None:
        self.key = settings_key(config)
        self._md = markdown.Markdown(
            extensions=config.markdown_extensions, extension_configs=config.mdx_configs or {}
        )
        self._title = _ExtractTitleTreeprocessor()
        self._title._register(self._md)
        self._cache: dict[str, RenderedPage | None] = {}

    def convert(self, source: str) -> RenderedPage | None:
        """The page's HTML, or None when the page is not headings and raw HTML blocks."""
        if source in self._cache:
            return self._cache[source]
        rendered = self._convert(source)
        self._cache[source] = rendered
        return rendered

    def forget_except(self, sources: Iterable[str]) -> None:
        """Drop results for pages that no longer exist."""
        keep = set(sources)
        self._cache = {k: v for k, v in self._cache.items() if k in keep}

    def _convert(self, source: str) -> RenderedPage | None:
        skeleton: list[str] = []
        raw: list[str] = []
        for chunk in source.split("\n\n"):
            block = chunk.strip("\n")
            if not block:
                continue
            if block.startswith("<"):
                skeleton.append(_PLACEHOLDER.format(len(raw)))
                raw.append(block)
            elif _HEADING.fullmatch(block):
                skeleton.append(block)
            else:
                return None
        self._title.title = None
        md = self._md.reset()
        html = md.convert("\n\n".join(skeleton))
        content = _PLACED.sub(lambda m: raw[int(m[1])] + "\n", html).strip()
        anchors = frozenset(a or b for a, b in _ANCHOR.findall(content))
        tokens: list[dict[str, Any]] = getattr(md, "toc_tokens", [])
        return RenderedPage(content, tokens, self._title.title, anchors)


def settings_key(config: MkDocsConfig) -> str:
    """What of the configuration changes how a page's Markdown becomes HTML."""
    return repr((config.markdown_extensions, config.mdx_configs))


class GeneratedPage(Page):
    """A page the handbook generates; converted by a shared :class:`PageConverter`."""

    def __init__(
        self, title: str | None, file: File, config: MkDocsConfig, converter: PageConverter
    ) -> None:
        super().__init__(title, file, config)
        self.converter = converter
        self.handbook_output: str | None = None

    def render(self, config: MkDocsConfig, files: Files) -> None:
        """Use the converter; a page it cannot convert goes through MkDocs."""
        rendered = None if self.markdown is None else self.converter.convert(self.markdown)
        if rendered is None:
            super().render(config, files)
            return
        self.content = rendered.content
        self.toc = get_toc(rendered.toc_tokens)  # type: ignore[arg-type]
        self._title_from_render = rendered.title
        self.present_anchor_ids = set(rendered.anchors)


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


# --- finished pages and search entries, kept between serve rebuilds ---------------

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
    for folder in config.theme.dirs:
        base = Path(folder)
        if "site-packages" in base.parts or "dist-packages" in base.parts:
            continue
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
        index = getattr(plugin, "search_index", None)
        if index is None or not callable(getattr(index, "add_entry_from_context", None)):
            return False
        if not isinstance(getattr(index, "entries", None), list):
            return False
        original = index.add_entry_from_context
        cache = self

        def add_entry_from_context(page: Page) -> None:
            meta = {k: v for k, v in page.meta.items() if v != CACHED_TEMPLATE}
            key = _digest(page.url, page.title, page.content, list(_toc_flat(page.toc)), meta)
            src = page.file.src_uri
            entry = cache.pages.get(src)
            if entry is not None and entry[0] == key:
                index.entries.extend(entry[1])
                return
            before = len(index.entries)
            original(page)
            cache.pages[src] = (key, list(index.entries[before:]))

        index.add_entry_from_context = add_entry_from_context
        return True

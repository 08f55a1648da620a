"""Generated pages for MkDocs: HTML without per-page Markdown set-up.

A generated page is headings and raw HTML blocks. MkDocs would build a new Markdown
converter for every page and feed the whole page through it; here one converter
with the site's extensions turns only the headings into HTML (ids, permalinks and
the table of contents exactly as MkDocs makes them) and the raw blocks are kept as
written, as Markdown keeps them. A page of any other shape goes through MkDocs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from generator.render import workers
from generator.site.mkdocs_internals import TitleExtractor, record_render

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
        self._title = TitleExtractor(self._md)
        self._cache: dict[str, RenderedPage | None] = {}

    def convert(self, source: str) -> RenderedPage | None:
        """The page's HTML, or None when the page is not headings and raw HTML blocks."""
        if source in self._cache:
            return self._cache[source]
        rendered = self._convert(source)
        self._cache[source] = rendered
        return rendered

    def prepare(self, sources: Sequence[str], jobs: int | None) -> None:
        """Convert ``sources`` ahead, shared by ``jobs`` processes (None: one per usable CPU);
        with one process, pages are converted when MkDocs asks for them."""
        missing = [source for source in dict.fromkeys(sources) if source not in self._cache]
        count = workers.processes(jobs, len(missing))
        if count > 1:
            done = workers.fork_map(lambda i: self._convert(missing[i]), len(missing), count)
            self._cache.update(zip(missing, done, strict=True))

    def forget(self, sources: Iterable[str]) -> None:
        """Drop the results for ``sources`` (pages an edit replaced)."""
        for source in sources:
            self._cache.pop(source, None)

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
        self._title.reset()
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
        record_render(self, rendered.title, rendered.anchors)

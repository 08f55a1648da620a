"""Every private name of MkDocs and Material the handbook relies on, in one place.

Each is used because no public API does the job; each has a contract test
(``tests/site/test_mkdocs_internals.py``) that fails by name when an upgrade changes it.

- ``mkdocs.structure.pages._ExtractTitleTreeprocessor`` and its ``_register``: the
  title MkDocs takes from a page's first heading, for pages converted without
  ``Page.render``.
- ``Page._title_from_render`` and ``Page.present_anchor_ids``: what ``Page.render``
  records for the title and for MkDocs' anchor-link validation.
- Material's ``search`` plugin: ``search_index.add_entry_from_context`` and
  ``search_index.entries``, to reuse search entries of unchanged pages while serving.
- ``mkdocs.commands.build._populate_page`` and ``_build_page``: MkDocs' steps for one
  page, run for the pages an edit changed when ``handbook serve`` rebuilds only those;
  ``_build_page`` is also taken over for a while by :func:`page_writer`, so that a build
  writes its pages in several processes.
- ``mkdocs.commands.serve.LiveReloadServer`` (the name ``serve()`` instantiates) and
  ``LiveReloadServer._serve_request``: to answer ``/api/`` on the same origin.
- Material's page configuration, the JSON in ``<script id="__config">`` that its
  ``base.html`` writes: its ``search`` key names the search worker the theme's script
  starts, and ``base`` the way back to the site's root. The handbook's worker takes its
  place; the UI and its messages stay Material's.
- Material's search index file, ``search/search_index.json`` (``config`` and ``docs``):
  the theme's script fetches it and hands both to the worker.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import markdown
import mkdocs.commands.build as build_steps
import mkdocs.commands.serve as mkdocs_serve
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.pages import Page, _ExtractTitleTreeprocessor

SEARCH_INDEX = "search/search_index.json"
"""Where Material's search plugin writes the index the theme's script fetches."""

_PAGE_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)

_HTML_SAFE_JSON = {ord(c): f"\\u{ord(c):04x}" for c in "<>&'"}
"""What Jinja's ``tojson`` escapes, so the JSON cannot end its script element early."""

SERVER_NAME = "LiveReloadServer"
"""The class ``mkdocs.commands.serve.serve`` instantiates, looked up in its module."""


class TitleExtractor:
    """The title MkDocs would give a page, taken from the Markdown converter's output."""

    def __init__(self, md: markdown.Markdown) -> None:
        self._processor = _ExtractTitleTreeprocessor()
        self._processor._register(md)

    def reset(self) -> None:
        """Forget the previous page's title before converting the next one."""
        self._processor.title = None

    @property
    def title(self) -> str | None:
        """The title found in the last conversion."""
        found: str | None = self._processor.title
        return found


def record_render(page: Page, title: str | None, anchors: Iterable[str]) -> None:
    """Record on ``page`` what ``Page.render`` records besides content and table of contents."""
    page._title_from_render = title
    page.present_anchor_ids = set(anchors)


def search_index(plugin: object) -> Any | None:
    """The search index a search plugin builds, when it is one the handbook knows."""
    index = getattr(plugin, "search_index", None)
    if index is None or not callable(getattr(index, "add_entry_from_context", None)):
        return None
    if not isinstance(getattr(index, "entries", None), list):
        return None
    return index


def wrap_search_entries(
    index: Any, wrapper: Callable[[Callable[[Page], None], Page], None]
) -> None:
    """Route every ``add_entry_from_context(page)`` of ``index`` through ``wrapper``."""
    original = index.add_entry_from_context

    def add_entry_from_context(page: Page) -> None:
        wrapper(original, page)

    index.add_entry_from_context = add_entry_from_context


class RoutingLiveReloadServer(LiveReloadServer):
    """MkDocs' live-reload server handing requests under a prefix to a WSGI app."""

    prefix = "/api/"

    def __init__(self, *args: Any, app: Callable[..., Iterable[bytes]], **kwargs: Any) -> None:
        self.app = app
        super().__init__(*args, **kwargs)

    def _serve_request(
        self, environ: dict[str, Any], start_response: Any
    ) -> Iterable[bytes] | None:
        path = environ.get("PATH_INFO", "")
        if path.startswith(self.prefix) or path == self.prefix.rstrip("/"):
            return self.app(environ, start_response)
        result: Iterable[bytes] | None = super()._serve_request(environ, start_response)
        return result


@contextmanager
def server_class(factory: Callable[..., LiveReloadServer]) -> Iterator[None]:
    """Make ``mkdocs.commands.serve.serve`` build its server with ``factory`` for a while."""
    original = getattr(mkdocs_serve, SERVER_NAME)
    setattr(mkdocs_serve, SERVER_NAME, factory)
    try:
        yield
    finally:
        setattr(mkdocs_serve, SERVER_NAME, original)


def page_search_worker(output: str) -> str | None:
    """The search worker a page of Material's starts (relative to the page), if it has one."""
    found = _PAGE_CONFIG.search(output)
    if found is None:
        return None
    worker = json.loads(found.group(2)).get("search")
    return worker if isinstance(worker, str) else None


def replace_search_worker(output: str, site_path: str) -> str:
    """A page of Material's that starts the worker at ``site_path`` (from the site's root)."""

    def swap(found: re.Match[str]) -> str:
        config = json.loads(found.group(2))
        if not isinstance(config.get("search"), str):
            return found.group(0)
        base = str(config.get("base") or ".").rstrip("/")
        config["search"] = f"{base}/{site_path}"
        text = json.dumps(config, separators=(",", ":")).translate(_HTML_SAFE_JSON)
        return found.group(1) + text + found.group(3)

    return _PAGE_CONFIG.sub(swap, output, count=1)


PageWriter = Callable[..., None]
"""MkDocs' ``_build_page(page, config, doc_files, nav, env, dirty=False, excluded=False)``."""


@contextmanager
def page_writer(make: Callable[[PageWriter], PageWriter]) -> Iterator[None]:
    """Let MkDocs' build write each page with ``make(original)`` for a while."""
    original = build_steps._build_page
    build_steps._build_page = make(original)
    try:
        yield
    finally:
        build_steps._build_page = original


def populate_page(page: Page, config: Any, files: Any) -> None:
    """MkDocs' per-page reading steps: read the source, run the hooks, convert to HTML."""
    build_steps._populate_page(page, config, files)


def build_page(page: Page, config: Any, doc_files: Any, nav: Any, env: Any) -> None:
    """MkDocs' per-page writing steps: render the theme's template, run the hooks, write."""
    excluded = page.file.inclusion.is_excluded()
    build_steps._build_page(page, config, doc_files, nav, env, excluded=excluded)

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
- ``mkdocs.commands.serve.LiveReloadServer`` (the name ``serve()`` instantiates) and
  ``LiveReloadServer._serve_request``: to answer ``/api/`` on the same origin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import markdown
import mkdocs.commands.serve as mkdocs_serve
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.pages import Page, _ExtractTitleTreeprocessor

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

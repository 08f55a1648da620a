"""Pages written by several processes: MkDocs' theme step spread over the CPUs.

MkDocs renders each page's theme template and writes its HTML one page after the
other. Within :func:`pages_in_parallel` a build only collects the pages, and once the
last one is collected, forked workers (:mod:`generator.render.workers`) write them all,
each with MkDocs' own step. A worker's share of the search index and of the log comes
back to the build in page order, so the index is the one a single process writes and
every warning counts for ``--strict``.

Only builds whose plugins are known to keep no per-page state elsewhere are spread
(:data:`STATELESS_PLUGINS`); any other build writes its pages as MkDocs does.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import BuildError
from mkdocs.structure.pages import Page

from generator.render import workers
from generator.site.mkdocs_internals import PageWriter, page_writer
from generator.site.search import search_entries

STATELESS_PLUGINS = frozenset(("search", "material/search", "handbook"))
"""Plugins whose page events change nothing a later step reads but the search index."""

Record = tuple[str, int, str]
"""A log message of a worker: logger name, level, text."""


def can_spread(config: MkDocsConfig) -> bool:
    """Whether this build's pages may be written by several processes."""
    return workers.can_fork() and set(config.plugins) <= STATELESS_PLUGINS


@contextmanager
def pages_in_parallel(config: MkDocsConfig, jobs: int | None) -> Iterator[None]:
    """Within, a build of ``config`` writes its pages with ``jobs`` processes (None: per CPU)."""
    if jobs == 1 or not can_spread(config):
        yield
        return
    writer = _Writer(jobs)
    with page_writer(writer.take_over):
        yield  # a build that fails stops here, and its collected pages are not written
    if writer.pending:
        raise BuildError(f"{len(writer.pending)} pages were collected but never written")


@dataclass
class _Writer:
    """MkDocs' page steps of one build, collected and run together at the last page."""

    jobs: int | None
    original: PageWriter | None = None
    pending: list[tuple[Page, bool]] = field(default_factory=list)
    parent: int = field(default_factory=os.getpid)
    captured: list[Record] | None = None

    def take_over(self, original: PageWriter) -> PageWriter:
        self.original = original
        return self.collect

    def collect(  # noqa: PLR0917 - the signature of MkDocs' _build_page
        self,
        page: Page,
        config: MkDocsConfig,
        doc_files: Any,
        nav: Any,
        env: Any,
        dirty: bool = False,
        excluded: bool = False,
    ) -> None:
        """MkDocs' page step, deferred until the last page; then every page is written."""
        assert self.original is not None
        if dirty:
            self.original(page, config, doc_files, nav, env, dirty, excluded)
            return
        self.pending.append((page, excluded))
        if doc_files and page.file is doc_files[-1]:
            self.write(config, doc_files, nav, env)

    def write(self, config: MkDocsConfig, doc_files: Any, nav: Any, env: Any) -> None:
        """Write every collected page, spread over the processes, then merge what came back."""
        pages, self.pending = self.pending, []
        entries = search_entries(config)
        original = self.original
        assert original is not None

        def one(i: int) -> tuple[list[Any], list[Record], str | None]:
            page, excluded = pages[i]
            self._capture_in_worker()
            before = len(entries) if entries is not None else 0
            failure = None
            try:
                original(page, config, doc_files, nav, env, False, excluded)
            except Exception as exc:  # the worker's own log says which page and why
                failure = f"{type(exc).__name__}: {exc}"
            added: list[Any] = []
            if entries is not None:
                added = entries[before:]
                del entries[before:]
            return added, self._taken(), failure

        done = workers.fork_map(one, len(pages), workers.processes(self.jobs, len(pages)))
        for added, records, failure in done:
            for name, level, text in records:
                logging.getLogger(name).log(level, "%s", text)
            if failure is not None:
                raise BuildError(failure)
            if entries is not None:
                entries.extend(added)

    def _capture_in_worker(self) -> None:
        """In a worker, keep its log messages for the build instead of printing them."""
        if os.getpid() == self.parent or self.captured is not None:
            return
        self.captured = []
        handler = _Collect(self.captured)
        manager = logging.Logger.manager
        loggers = [logging.getLogger()] + [
            found for found in manager.loggerDict.values() if isinstance(found, logging.Logger)
        ]
        for logger in loggers:
            if logger.handlers:
                logger.handlers = [handler]

    def _taken(self) -> list[Record]:
        if not self.captured:
            return []
        taken, self.captured[:] = list(self.captured), []
        return taken


class _Collect(logging.Handler):
    """Keeps every message a worker logs, to be logged again by the build."""

    def __init__(self, into: list[Record]) -> None:
        super().__init__(logging.DEBUG)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append((record.name, record.levelno, record.getMessage()))

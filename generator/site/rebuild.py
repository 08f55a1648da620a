"""Rebuilding only the pages an edit changed while ``handbook serve`` runs.

After a full build the plugin keeps what MkDocs made (configuration, files, navigation,
the theme's templates) and a snapshot of every watched file. When the next rebuild
finds that only role files, measurements or reports changed, the handbook is loaded
and assembled again, and only the generated pages whose Markdown changed (with the
neighbours whose previous/next links show a changed title) go through MkDocs' page
steps; the search index is written again. Anything else takes MkDocs' full build.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation

from generator.project import Project
from generator.site.assemble import AssembledSite

log = get_plugin_logger("handbook")

ROLE_SUFFIXES = (".yaml", ".yml")
KNOWN_PLUGINS = frozenset({"search", "material/search", "handbook"})
"""Plugins whose work for a page is done by the page steps and the post-build hooks alone."""

Snapshot = dict[str, tuple[int, int]]


class FullBuildNeededError(Exception):
    """The edit changed something only a full build brings into the site."""


@dataclass(slots=True)
class KeptBuild:
    """What the last build made, for rebuilding single pages into its site."""

    config: MkDocsConfig
    roots: list[Path]
    snapshot: Snapshot
    user_nav: list[Any] | None = None
    content_pages: list[str] = field(default_factory=list)
    files: Files | None = None
    nav: Navigation | None = None
    env: Environment | None = None
    site: AssembledSite | None = None


def watched_roots(config: MkDocsConfig) -> list[Path]:
    """Everything ``mkdocs serve`` watches: the configuration, the pages, the theme, the rest."""
    roots = [Path(config.docs_dir)]
    if config.config_file_path:
        roots.append(Path(config.config_file_path))
    roots += editable_theme_dirs(config)
    roots += [Path(path) for path in config.watch]
    return [root.resolve() for root in roots]


def editable_theme_dirs(config: MkDocsConfig) -> list[Path]:
    """The theme folders outside installed packages: they may change while serving."""
    dirs = [Path(folder) for folder in config.theme.dirs]
    return [d for d in dirs if "site-packages" not in d.parts and "dist-packages" not in d.parts]


def snapshot(roots: Iterable[Path]) -> Snapshot:
    """Modification time and size of every file under ``roots``."""
    found: Snapshot = {}
    for root in roots:
        if not root.is_file():
            _snapshot_folder(str(root), found)
            continue
        try:
            stat = root.stat()
        except OSError:
            continue
        found[str(root)] = (stat.st_mtime_ns, stat.st_size)
    return found


def _snapshot_folder(folder: str, found: Snapshot) -> None:
    """Add every file below ``folder`` to ``found`` (links to folders are not followed)."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                _snapshot_folder(entry.path, found)
            elif entry.is_file():
                stat = entry.stat()
                found[entry.path] = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            continue


def changed_paths(before: Snapshot, after: Snapshot) -> set[Path]:
    """Files added, removed or modified between two snapshots."""
    names = {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}
    return {Path(n) for n in names}


def only_data_changed(paths: Iterable[Path], project: Project) -> bool:
    """Whether every changed file is a role file, a measurement or a report the pages show."""
    settings = project.settings
    roles = project.roles_path.resolve()
    measurements = (project.root / settings.measure.measurements_dir).resolve()
    reports = {
        (project.root / name).resolve()
        for name in (settings.feedback.report, settings.measure.report)
        if name
    }
    for path in paths:
        if path.is_relative_to(roles) and path.suffix in ROLE_SUFFIXES:
            continue
        if path.is_relative_to(measurements) or path in reports:
            continue
        return False
    return True


def check_config(config: MkDocsConfig) -> None:
    """Refuse configurations whose rebuild needs more than the page steps."""
    if config.strict or not set(config.plugins) <= KNOWN_PLUGINS:
        raise FullBuildNeededError("strict mode or a plugin the page steps do not cover")


def _nav_shape(nav: Iterable[Any], ignored: frozenset[str]) -> Iterator[object]:
    """A navigation spec with the titles of ``ignored`` pages left out."""
    for item in nav:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, list):
                    yield ("section", title)
                    yield from _nav_shape(value, ignored)
                    yield ("end",)
                else:
                    yield ("page", None if value in ignored else title, value)
        else:
            yield ("item", item)


def retitled_pages(old: AssembledSite, new: AssembledSite) -> dict[str, str]:
    """New titles of role pages; raises when the navigation changed in any other way."""
    if (
        old.files != new.files
        or old.pages.keys() != new.pages.keys()
        or old.role_pages != new.role_pages
        or old.edit_urls != new.edit_urls
    ):
        raise FullBuildNeededError("pages or files were added or removed")
    shape_old = list(_nav_shape(old.nav, old.role_pages))
    if shape_old != list(_nav_shape(new.nav, new.role_pages)):
        raise FullBuildNeededError("the navigation changed")
    return {
        src: title
        for src, title in new.titles.items()
        if src in new.role_pages and old.titles.get(src) != title
    }


def changed_pages(old: Mapping[str, str], new: Mapping[str, str]) -> set[str]:
    """Generated pages whose Markdown differs."""
    return {src for src, text in new.items() if old.get(src) != text}


FastRebuild = Callable[[], bool]
_serving: list[FastRebuild] = []


def register(fast: FastRebuild | None) -> None:
    """Make ``fast`` the rebuild tried before MkDocs' full build (None: no fast rebuild)."""
    _serving[:] = [] if fast is None else [fast]


def fast_or_full(builder: Callable[..., None]) -> Callable[..., None]:
    """A serve builder that rebuilds only the changed pages when it can, else fully."""

    def build(*args: Any, **kwargs: Any) -> None:
        if not args and not kwargs and _serving and _serving[0]():
            return
        builder(*args, **kwargs)

    return build


def keep_heap() -> None:
    """Leave what serving keeps out of later garbage collections.

    A kept build of a large handbook is millions of objects; without this, every few
    rebuilds Python's full collection walks them all, which takes longer than the
    rebuild. Young garbage is collected first; :func:`release_heap` undoes it.
    """
    gc.collect(1)
    gc.freeze()


@contextlib.contextmanager
def collections_paused() -> Iterator[None]:
    """No garbage collection while a page rebuild runs (:func:`keep_heap` collects after it).

    A rebuild makes hundreds of thousands of short-lived objects, which would otherwise
    start several collections of everything not frozen, each rebuild.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def release_heap() -> None:
    """Let garbage collections see every object again (before a full build, when serving ends)."""
    gc.unfreeze()

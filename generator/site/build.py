"""Running MkDocs for the command line: its full configuration and safe builds."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, MkDocsException
from mkdocs.plugins import get_plugin_logger

from generator.diagnostics.values import Catalog, Diagnostic, HandbookError, msg
from generator.i18n import translations
from generator.load.files import FileCache
from generator.model.settings import Settings
from generator.site.config import settings_from_config
from generator.site.parallel_pages import pages_in_parallel
from generator.site.plugin import HandbookPlugin

log = get_plugin_logger("handbook")
_NOT_A_FOLDER = msg("%(target)s is a file, not a site folder; choose another --site-dir")
_FAILED = msg("the build failed")
_STOPPED = msg("Build stopped: the previous site was left as it was.")
_WRITTEN = msg("Site written to %(target)s")


class ConfigError(HandbookError):
    """mkdocs.yml cannot be read or lacks the handbook plugin."""


def load_mkdocs_config(config_file: Path, **options: Any) -> MkDocsConfig:
    """Read mkdocs.yml as MkDocs does; raise ConfigError with MkDocs' message on failure."""
    try:
        return load_config(config_file=str(config_file), **options)
    except (ConfigurationError, MkDocsException, OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{config_file}: {exc}") from None


def _plugin(config: MkDocsConfig) -> HandbookPlugin:
    for plugin in config.plugins.values():
        if isinstance(plugin, HandbookPlugin):
            return plugin
    raise ConfigError(
        f"{config.config_file_path}: the 'handbook' plugin is not enabled; "
        "add '- handbook' under 'plugins:'"
    )


def handbook_settings(config: MkDocsConfig) -> Settings:
    """The handbook settings written in a loaded mkdocs.yml."""
    return settings_from_config(_plugin(config).config, config)


def _swap_in(built: Path, target: Path) -> None:
    """Replace ``target`` by ``built``; the old site stays until the new one is in place."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    built.rename(target)
    if old.exists():
        shutil.rmtree(old)


def _hold(folder: Path) -> int | None:
    """Lock ``folder`` for this process (released when the descriptor closes), or None.

    A build holds the lock on its staging folder while it runs; a folder nobody holds
    was left by a build that was killed.
    """
    try:
        import fcntl  # noqa: PLC0415 - POSIX only

        descriptor = os.open(folder, os.O_RDONLY)
    except (ImportError, OSError):
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        return None
    return descriptor


def _remove_leftovers(target: Path) -> None:
    """Remove staging folders of earlier builds that were killed before they finished."""
    for folder in target.parent.glob(f".{target.name}.new-*"):
        if folder.is_symlink() or not folder.is_dir():
            continue
        held = _hold(folder)
        if held is None:  # another build is still writing it (or locks are unavailable)
            continue
        try:
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            os.close(held)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def build_site(
    config_file: Path,
    *,
    site_dir: Path | None = None,
    strict: bool = False,
    shown: Collection[Diagnostic] = (),
    jobs: int | None = None,
    files: FileCache | None = None,
) -> bool:
    """Build into a temporary folder beside the site, then swap it in; False on failure.

    The diagnostics in ``shown`` were already printed, so the build does not print them again.
    ``jobs`` processes render the generated pages (None: one per usable CPU, one for a small
    handbook). ``files`` holds role files the caller has read already (by absolute path):
    the build reads only those changed since.
    """
    config = load_mkdocs_config(config_file, strict=strict)
    plugin = _plugin(config)
    plugin.shown = frozenset(shown)
    plugin.jobs = jobs
    if files:
        plugin.caches.files.update(files)
    catalog = translations(handbook_settings(config).language)
    target = Path(site_dir) if site_dir else Path(config.site_dir)
    target = target.resolve()
    if target.exists() and not target.is_dir():
        log.error(msg(_NOT_A_FOLDER.template, target=target).render(catalog))
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    staging.chmod(0o777 & ~_umask())  # as a folder made by mkdir, readable by the web server
    held = _hold(staging)
    try:
        return _build_into(config, staging, target, catalog, jobs)
    finally:
        if held is not None:
            os.close(held)


def _build_into(
    config: MkDocsConfig, staging: Path, target: Path, catalog: Catalog, jobs: int | None
) -> bool:
    """Build ``config`` into ``staging`` and swap it in as ``target``; False on failure.

    ``jobs`` processes write the pages where the build's plugins allow it.
    """
    config.site_dir = str(staging)
    try:
        from mkdocs.commands.build import build  # noqa: PLC0415 - not needed to validate

        config.plugins.on_startup(command="build", dirty=False)
        try:
            with pages_in_parallel(config, jobs):
                build(config)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, SystemExit) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        message = str(exc) or _FAILED.render(catalog)
        log.error(f"{message}\n{_STOPPED.render(catalog)}")
        return False
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(staging, target)
    log.info(msg(_WRITTEN.template, target=target).render(catalog))
    return True

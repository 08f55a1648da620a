"""``handbook render --out``: the whole site as plain Markdown and a plain mkdocs.yml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig

from generator.diagnostics.values import Severity
from generator.project import Project
from generator.site.assemble import (
    REQUIRED_EXTENSIONS,
    STYLESHEETS,
    assemble,
    expand_markers,
    gather,
)
from generator.site.build import ConfigError, load_mkdocs_config
from generator.site.plugin import HandbookPlugin


def render_markdown(config_file: Path, project: Project, out: Path) -> int:
    """Write content pages, generated pages, assets and a plain mkdocs.yml to ``out``."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out} is a file; --out must be a folder")
    config = load_mkdocs_config(config_file)
    history = _history_entries(config)
    inputs, problems = gather(project, history_entries=history)
    if any(d.severity is Severity.ERROR for d in problems):
        raise ConfigError(problems)
    docs_dir = Path(config.docs_dir)
    sources = sorted(p for p in docs_dir.rglob("*") if p.is_file())
    site = assemble(
        inputs,
        directory_urls=config.use_directory_urls,
        user_nav=config.nav,
        content_pages=[p.relative_to(docs_dir).as_posix() for p in sources if p.suffix == ".md"],
    )
    docs = out / "docs"
    for source in sources:
        src = source.relative_to(docs_dir).as_posix()
        data = source.read_bytes()
        if source.suffix == ".md":
            page = data.decode("utf-8")
            expanded = expand_markers(page, src, project, directory_urls=config.use_directory_urls)
            data = expanded.encode("utf-8")
        _write(docs / src, data)
    for src_uri, text in {**site.pages, **site.files}.items():
        _write(docs / src_uri, text.encode("utf-8"))
    plain = yaml.safe_dump(_plain_config(config, site.nav), allow_unicode=True, sort_keys=False)
    _write(out / "mkdocs.yml", plain.encode("utf-8"))
    return len(sources) + len(site.pages) + len(site.files) + 1


def _history_entries(config: MkDocsConfig) -> int | None:
    """How many history entries the handbook plugin of ``config`` shows (None: no history)."""
    plugin = next(p for p in config.plugins.values() if isinstance(p, HandbookPlugin))
    return plugin.config.history_entries if plugin.config.history else None


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _plain_config(config: MkDocsConfig, nav: list[Any]) -> dict[str, Any]:
    """A minimal mkdocs.yml that builds the rendered Markdown without the handbook plugin."""
    theme = {"name": config.theme.name, "features": list(config.theme.get("features") or [])}
    return {
        "site_name": config.site_name,
        "docs_dir": "docs",
        "use_directory_urls": config.use_directory_urls,
        "theme": theme,
        "plugins": ["search"],
        "markdown_extensions": list(REQUIRED_EXTENSIONS),
        "extra_css": list(STYLESHEETS),
        "nav": nav,
    }

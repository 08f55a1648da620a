"""``handbook render --out``: the whole site as Markdown and an mkdocs.yml without the plugin.

What is written builds with any MkDocs-compatible engine (MkDocs, Zensical): internal
links are Markdown links to ``.md`` files (:mod:`generator.site.portable`), the theme's
settings are kept (its ``custom_dir`` and the handbook's overrides copied into
``overrides/``), and the handbook's stylesheets and scripts are listed and copied.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.yaml import yaml_load

from generator.diagnostics.values import Severity
from generator.i18n import theme_language
from generator.project import Project
from generator.render.pages import OVERVIEW_MARKER, leaders_notice, render_overview
from generator.site.assemble import REQUIRED_EXTENSIONS, SCRIPTS, STYLESHEETS, assemble, gather
from generator.site.build import ConfigError, load_mkdocs_config
from generator.site.plugin import OVERRIDES, HandbookPlugin
from generator.site.portable import SourceMap, portable_page

OVERRIDES_DIR = "overrides"
"""The exported theme's ``custom_dir``, next to the exported mkdocs.yml."""
LINK_CHECKS = {"unrecognized_links": "warn", "anchors": "warn"}
"""MkDocs' link validation of the export: a broken link is a warning (an error with --strict)."""
_DROPPED = ("site_dir", "watch", "INHERIT")
"""Settings of the original that do not apply to the exported folder."""


def render_markdown(config_file: Path, project: Project, out: Path, *, jobs: int | None = 1) -> int:
    """Write content pages, generated pages, assets, overrides and an mkdocs.yml to ``out``.

    ``jobs`` processes render the generated pages (None: one per usable CPU).
    """
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out} is a file; --out must be a folder")
    config = load_mkdocs_config(config_file)
    plugin = _handbook_plugin(config)
    history = plugin.config.history_entries if plugin.config.history else None
    inputs, problems = gather(project, history_entries=history)
    if any(d.severity is Severity.ERROR for d in problems):
        raise ConfigError(problems)
    docs_dir = Path(config.docs_dir)
    sources = sorted(p for p in docs_dir.rglob("*") if p.is_file())
    content = [p.relative_to(docs_dir).as_posix() for p in sources]
    site = assemble(
        inputs,
        directory_urls=config.use_directory_urls,
        user_nav=config.nav,
        content_pages=[src for src in content if src.endswith(".md")],
        jobs=jobs,
    )
    links = SourceMap.of(
        [*content, *site.pages, *site.files], directory_urls=config.use_directory_urls
    )
    docs = out / "docs"
    notice = _notice(project)
    for source, src in zip(sources, content, strict=True):
        data = source.read_bytes()
        if source.suffix == ".md":
            page = _expand_overview(data.decode("utf-8"), src, project, links)
            data = notice(page).encode("utf-8")
        _write(docs / src, data)
    for src_uri, markdown in site.pages.items():
        page = notice(portable_page(markdown, src_uri, links))
        _write(docs / src_uri, page.encode("utf-8"))
    for src_uri, text in site.files.items():
        _write(docs / src_uri, text.encode("utf-8"))
    copied = _copy_overrides(config, plugin, out / OVERRIDES_DIR)
    settings = _plain_config(config_file, config, plugin, project, site.nav, overrides=copied > 0)
    plain = yaml.dump(settings, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    _write(out / "mkdocs.yml", plain.encode("utf-8"))
    return len(sources) + len(site.pages) + len(site.files) + copied + 1


def _handbook_plugin(config: MkDocsConfig) -> HandbookPlugin:
    """The handbook plugin's instance in ``config``."""
    return next(p for p in config.plugins.values() if isinstance(p, HandbookPlugin))


def _notice(project: Project) -> Callable[[str], str]:
    """What marks a page of the leaders' edition: its notice, under the page's title."""
    if project.settings.audience != "leaders":
        return lambda page: page
    block = leaders_notice(project.settings.language).strip()

    def add(page: str) -> str:
        end = page.find("\n---\n", 3) if page.startswith("---\n") else -1
        if end >= 0:  # front matter stays first
            return page[: end + 5] + add(page[end + 5 :])
        title, sep, rest = page.partition("\n\n")
        if title.startswith("# "):
            return f"{title}\n\n{block}\n\n{rest}" if sep else f"{title}\n\n{block}\n"
        return f"{block}\n\n{page}"

    return add


def _expand_overview(markdown: str, src: str, project: Project, links: SourceMap) -> str:
    """A hand-written page with the overview marker filled in, its links to Markdown files."""
    if OVERVIEW_MARKER not in markdown:
        return markdown
    overview = render_overview(
        project.organisation, project.settings, src, directory_urls=links.directory_urls
    )
    return markdown.replace(OVERVIEW_MARKER, portable_page(overview, src, links))


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _copy_overrides(config: MkDocsConfig, plugin: HandbookPlugin, target: Path) -> int:
    """Copy the handbook's theme overrides, then the theme's ``custom_dir`` over them."""
    folders = [] if plugin.config.repository_stats else [Path(OVERRIDES)]
    if config.theme.custom_dir:
        folders.append(Path(config.theme.custom_dir))
    copied: set[Path] = set()
    for folder in folders:
        for source in sorted(p for p in folder.rglob("*") if p.is_file()):
            relative = source.relative_to(folder)
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / relative)
            copied.add(relative)
    return len(copied)


def _plain_config(
    config_file: Path,
    config: MkDocsConfig,
    plugin: HandbookPlugin,
    project: Project,
    nav: list[Any],
    *,
    overrides: bool,
) -> dict[str, Any]:
    """The original mkdocs.yml without the handbook plugin, completed with what it adds."""
    with config_file.open("rb") as stream:
        original: dict[str, Any] = yaml_load(stream, loader=cast("type[yaml.BaseLoader]", _Loader))
    plain = {key: value for key, value in original.items() if key not in _DROPPED}
    plain["docs_dir"] = "docs"
    plain["theme"] = _theme(original.get("theme"), config, plugin, project, overrides=overrides)
    plain["plugins"] = _plugins(original.get("plugins", ["search"]))
    plain["markdown_extensions"] = _extensions(original.get("markdown_extensions") or [])
    plain["extra_css"] = [*(original.get("extra_css") or []), *STYLESHEETS]
    plain["extra_javascript"] = [*(original.get("extra_javascript") or []), *SCRIPTS]
    validation = dict(original.get("validation") or {})
    validation["links"] = {**LINK_CHECKS, **(validation.get("links") or {})}
    plain["validation"] = validation
    plain["nav"] = nav
    return plain


def _theme(
    original: Any,
    config: MkDocsConfig,
    plugin: HandbookPlugin,
    project: Project,
    *,
    overrides: bool,
) -> dict[str, Any]:
    """The theme as written, in the handbook's language, with the copied overrides."""
    theme = dict(original) if isinstance(original, dict) else {"name": config.theme.name}
    theme["language"] = theme_language(project.settings.language)
    if plugin.config.fonts == "system":
        theme["font"] = False
    if overrides:
        theme["custom_dir"] = OVERRIDES_DIR
    else:
        theme.pop("custom_dir", None)
    return theme


def _plugins(original: Any) -> Any:
    """The plugins as written, without the handbook's."""
    if isinstance(original, dict):
        return {name: options for name, options in original.items() if name != "handbook"}
    return [
        item
        for item in original
        if item != "handbook" and not (isinstance(item, dict) and "handbook" in item)
    ]


def _extensions(original: Any) -> list[Any]:
    """The Markdown extensions as written, and those the generated pages need."""
    extensions: list[Any] = (
        [{name: options} if options else name for name, options in original.items()]
        if isinstance(original, dict)
        else list(original)
    )
    names = {next(iter(item)) if isinstance(item, dict) else item for item in extensions}
    extensions.extend(name for name in REQUIRED_EXTENSIONS if name not in names)
    return extensions


class _Tagged:
    """A YAML value with a tag only MkDocs resolves (``!!python/name:…``): written back as is."""

    def __init__(self, tag: str, node: yaml.Node) -> None:
        self.tag = tag
        self.node = node


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml keeping the values of unknown tags."""


def _keep_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    return _Tagged(node.tag, node)


_Loader.add_multi_constructor("!", _keep_tagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _keep_tagged)


class _Dumper(yaml.SafeDumper):
    """Writes the exported mkdocs.yml, tagged values as they were read."""


def _represent_tagged(dumper: yaml.SafeDumper, value: _Tagged) -> yaml.Node:
    return value.node


_Dumper.add_representer(_Tagged, _represent_tagged)

"""The handbook's search: Material's search UI over an index of services and a worker that
understands the site's language.

Material's search plugin still indexes the hand-written pages (and the few generated
listings that do not grow with the organisation). Generated pages are kept out of its
HTML indexing; the index gets one compact document per role, service and team instead
(:mod:`generator.render.search`). After Material writes ``search/search_index.json``,
the handbook adds those documents and its language, and every page starts the handbook's
worker (``assets/handbook/search-worker.js``) in place of the theme's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from generator.model.organisation import Organisation
from generator.render import addresses
from generator.render.assets import SEARCH_WORKER
from generator.render.search import (
    NAVIGATION_BOOST,
    DocumentCache,
    SearchDocument,
    search_documents,
)
from generator.site.mkdocs_internals import SEARCH_INDEX, replace_search_worker, search_index

INDEXED_AS_HTML = (
    addresses.FORMAT_REFERENCE,
    addresses.TEAMS_INDEX,
    addresses.SERVES_INDEX,
    addresses.MAP,
)
"""Generated pages Material indexes from their HTML: they do not grow with the roles."""
TITLE_ONLY = (addresses.DIRECTORY, addresses.EVERYONE, addresses.SCORECARD)
"""Generated listings of every service: found by their title only."""


@dataclass(frozen=True, slots=True)
class SiteSearch:
    """What the handbook adds to Material's search in one build."""

    language: str
    documents: list[SearchDocument]
    """The generated pages' documents."""
    excluded: frozenset[str]
    """Source paths of generated pages Material must not index from their HTML."""
    navigation: frozenset[str]
    """Locations of generated listings Material indexes: ranked after services."""


def material_search(config: MkDocsConfig) -> Any | None:
    """Material's search plugin of this site, when it is there and enabled."""
    for name, plugin in config.plugins.items():
        if name.endswith("search") and search_index_of(plugin) is not None:
            return plugin
    return None


def search_entries(config: MkDocsConfig) -> list[Any] | None:
    """The entries Material's search index holds so far, or None without its search."""
    plugin = material_search(config)
    index = search_index_of(plugin) if plugin is not None else None
    return index.entries if index is not None else None


def search_index_of(plugin: object) -> Any | None:
    """The plugin's search index, or None when the plugin is disabled or not Material's."""
    settings = getattr(plugin, "config", None)
    if settings is not None and getattr(settings, "enabled", True) is False:
        return None
    return search_index(plugin)


def plan_search(
    organisation: Organisation,
    pages: Mapping[str, str],
    titles: Mapping[str, str],
    *,
    language: str,
    directory_urls: bool,
    cache: DocumentCache | None = None,
) -> SiteSearch:
    """The documents and exclusions for a site whose generated pages are ``pages``.

    With ``cache`` (kept between serve rebuilds), unchanged roles' documents are reused.
    """
    urls = addresses.Urls(directory_urls)
    title_only = [src for src in TITLE_ONLY if src in pages]
    documents = search_documents(
        organisation, urls, titles=titles, title_only=title_only, cache=cache
    )
    return SiteSearch(
        language=language,
        documents=documents,
        excluded=frozenset(src for src in pages if src not in INDEXED_AS_HTML),
        navigation=frozenset(urls.url(src) for src in INDEXED_AS_HTML if src in pages),
    )


def keep_out_of_html_index(page: Page, search: SiteSearch) -> None:
    """Mark a generated page that the index holds as documents, so Material skips its HTML."""
    if page.file.src_uri in search.excluded:
        meta = page.meta.get("search")
        page.meta["search"] = {**(meta if isinstance(meta, dict) else {}), "exclude": True}


SearchTexts = dict[int, tuple[SearchDocument, str]]
"""Documents written before, as JSON, by the identity of the (unchanging) document."""


def complete_index(site_dir: Path, search: SiteSearch, texts: SearchTexts | None = None) -> bool:
    """Add the generated pages' documents and the language to Material's written index.

    With ``texts`` (kept between serve rebuilds), a document written before is not turned
    into JSON again. Returns False when there is no index (search is off).
    """
    path = site_dir / SEARCH_INDEX
    if not path.is_file():
        return False
    data = json.loads(path.read_text(encoding="utf-8"))
    docs = [_ranked(doc, search.navigation) for doc in data.get("docs", [])]
    data.setdefault("config", {})["handbook"] = {"language": search.language}
    if list(data) != ["config", "docs"]:
        data["docs"] = docs + list(search.documents)
        path.write_text(_json(data), encoding="utf-8")
        return True
    written = [_json(doc) for doc in docs] + _document_texts(search.documents, texts)
    text = '{"config":' + _json(data["config"]) + ',"docs":[' + ",".join(written) + "]}"
    path.write_text(text, encoding="utf-8")
    return True


def _json(value: object) -> str:
    """The index's JSON: compact, with every character as itself."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _document_texts(documents: list[SearchDocument], texts: SearchTexts | None) -> list[str]:
    """Each document as JSON, reusing (and then keeping only) the texts in ``texts``."""
    if texts is None:
        return [_json(doc) for doc in documents]
    written: SearchTexts = {}
    for doc in documents:
        kept = texts.get(id(doc))
        written[id(doc)] = kept if kept is not None and kept[0] is doc else (doc, _json(doc))
    texts.clear()
    texts.update(written)
    return [written[id(doc)][1] for doc in documents]


def _ranked(doc: dict[str, Any], navigation: frozenset[str]) -> dict[str, Any]:
    if "boost" not in doc and doc.get("location", "").split("#")[0] in navigation:
        return {**doc, "boost": NAVIGATION_BOOST}
    return doc


def start_handbook_worker(output: str) -> str:
    """A page's HTML that starts the handbook's search worker instead of the theme's."""
    return replace_search_worker(output, SEARCH_WORKER)

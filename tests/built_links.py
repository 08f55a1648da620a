"""A link checker for a built site: every internal link and image leads to a file (and anchor)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class _Page:
    refs: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.page = _Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.page.ids.add(str(values[name]))
        wanted = {"a": "href", "img": "src"}.get(tag)
        if wanted and values.get(wanted):
            self.page.refs.append(str(values[wanted]))


def _read(path: Path) -> _Page:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector.page


def _target(site: Path, page: Path, path: str) -> Path:
    """The file a link's path leads to from ``page`` (the site served at its root)."""
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        joined = posixpath.join(page.parent.relative_to(site).as_posix(), path)
    target = site / posixpath.normpath(joined)
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def broken_links(site: Path) -> list[str]:
    """``page: link`` for every internal link or image whose file or anchor is missing.

    A link within its page (``#id``) must find that id on the page too.
    """
    pages = {path: _read(path) for path in sorted(site.rglob("*.html"))}
    broken: list[str] = []
    for path, page in pages.items():
        for ref in page.refs:
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc:
                continue  # another site
            if not parts.path:
                if parts.fragment and unquote(parts.fragment) not in page.ids:
                    broken.append(f"{path.relative_to(site).as_posix()}: {ref}")
                continue
            target = _target(site, path, unquote(parts.path))
            where = f"{path.relative_to(site).as_posix()}: {ref}"
            if not target.is_file():
                broken.append(where)
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _read(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(where)
    return broken


def internal_link_count(site: Path) -> int:
    """How many links and images of the site lead to another of its files."""
    return sum(
        1
        for path in site.rglob("*.html")
        for ref in _read(path).refs
        if not (urlsplit(ref).scheme or urlsplit(ref).netloc or not urlsplit(ref).path)
    )

"""Pages any MkDocs-compatible engine builds: internal links point at Markdown files.

The generated pages link with URLs worked out for MkDocs' own page layout, inside raw
HTML that engines pass through untouched. For ``handbook render --out`` every such link
becomes a Markdown link to the target's ``.md`` file (``[text](../teams/a/index.md#x)``),
which MkDocs and Zensical both resolve for their layout and check. The HTML around a link
is marked ``markdown="1"`` (the ``md_in_html`` extension) so its Markdown is read; the
text of a changed block becomes character references, so that nothing else in it reads
as Markdown. Blocks without internal links are left exactly as they were.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, unquote, urlsplit

import markdown

_BLOCK_LEVEL = frozenset(markdown.Markdown().block_level_elements)
"""Elements Python-Markdown (and so every engine built on it) treats as blocks."""
_SPAN_TAGS = frozenset(
    {"address", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "legend", "li", "p", "summary"}
    | {"td", "th"}
)
"""Block-level elements whose content ``md_in_html`` reads as a line of text."""
_RAW_TEXT = frozenset({"script", "style", "textarea", "pre", "canvas", "math", "option"})
"""Elements whose content is not read as Markdown (and is left alone)."""
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "meter"}
    | {"source", "track", "wbr"}
)
_MARKDOWN_SYNTAX = re.compile(r"[!\"#&'*+\-.:<=>@\[-`{-~$]")
"""Punctuation Markdown or a common extension may read (not ``,;?/%()``: with ``[`` escaped,
nothing reads them)."""
_BACKSLASHED = frozenset("\\`*_{}[]>#+-.!")
"""What Python-Markdown reads as itself after a backslash (cheaper than a reference)."""
_LINK_ATTRIBUTE = re.compile(r"[A-Za-z_:][-A-Za-z0-9_:.]*")


@dataclass(slots=True)
class _Element:
    tag: str
    start: str
    attrs: list[tuple[str, str | None]]
    children: list[_Element | str] = field(default_factory=list)
    end: str = ""
    link: str | None = None
    """The Markdown target of an internal link."""
    holds_link: bool = False


class _TreeBuilder(HTMLParser):
    """A tree of an HTML fragment: start tags as written, text with its references read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("", "", [])
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _Element(tag, self.get_starttag_text() or "", attrs)
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Element(tag, self.get_starttag_text() or "", attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                self.stack[depth].end = f"</{tag}>"
                del self.stack[depth:]
                return
        self.stack[-1].children.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(_Text(data))

    def handle_comment(self, data: str) -> None:
        self.stack[-1].children.append(f"<!--{data}-->")


class _Text(str):
    """Character data, its references read (``&#91;`` is ``[``)."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Which source file each URL of the built site comes from."""

    sources: Mapping[str, str]
    directory_urls: bool

    @classmethod
    def of(cls, src_uris: Iterable[str], *, directory_urls: bool) -> SourceMap:
        """The map of a site made of these source files."""
        sources: dict[str, str] = {}
        for src in src_uris:
            for url in _urls(src, directory_urls=directory_urls):
                sources.setdefault(url, src)
        return cls(sources, directory_urls)

    def page_folder(self, src: str) -> str:
        """The folder of the URL of the page built from ``src``: where its links start."""
        if src.endswith(".md") and (self.directory_urls or _is_index(src)):
            return _urls(src, directory_urls=True)[0]
        return posixpath.dirname(src)

    def source_link(self, href: str, src: str) -> str | None:
        """``href`` on the page from ``src`` as a link to a source file, or None if external."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            return None
        base = self.page_folder(src)
        target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
        found = self.sources.get("" if target == "." else target)
        if found is None:
            return None
        relative = posixpath.relpath(found, posixpath.dirname(src) or ".")
        link = quote(relative, safe="/-._~")
        return f"{link}#{parts.fragment}" if parts.fragment else link


def _urls(src: str, *, directory_urls: bool) -> list[str]:
    """The URLs (without a trailing slash) a source file is reached at, the canonical first."""
    if not src.endswith(".md"):
        return [src]
    folder, name = posixpath.split(src[: -len(".md")])
    if _is_index(src):
        return [folder, posixpath.join(folder, "index.html")]
    if directory_urls:
        page = posixpath.join(folder, name)
        return [page, posixpath.join(page, "index.html")]
    return [posixpath.join(folder, f"{name}.html")]


def _is_index(src: str) -> bool:
    """Whether ``src`` is its folder's page (``index.md``, ``README.md``)."""
    return posixpath.basename(src) in ("index.md", "README.md")


def portable_page(page: str, src: str, sources: SourceMap) -> str:
    """A generated page (headings and raw HTML blocks) with its internal links as Markdown."""
    blocks = page.split("\n\n")
    return "\n\n".join(
        portable_html(block, src, sources) if block.startswith("<") else block for block in blocks
    )


def portable_html(html: str, src: str, sources: SourceMap) -> str:
    """An HTML fragment with its internal links as Markdown links in Markdown-read HTML."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    if not _find_links(builder.root, src, sources):
        return html
    return "".join(_write(child, marked=False) for child in builder.root.children)


def _find_links(element: _Element, src: str, sources: SourceMap) -> bool:
    """Mark internal links and the elements holding them; True if there are any."""
    for child in element.children:
        if not isinstance(child, _Element) or child.tag in _RAW_TEXT:
            continue
        href = dict(child.attrs).get("href") if child.tag == "a" else None
        if href is not None and (link := sources.source_link(href, src)) is not None:
            child.link = link
            element.holds_link = True
        if _find_links(child, src, sources):
            element.holds_link = True
    return element.holds_link


def _write(
    node: _Element | str, *, marked: bool, read: bool = False, paragraph: bool = False
) -> str:
    """The node as Markdown-in-HTML.

    Inside a changed block, text Markdown reads (``read``) has its syntax characters as
    references, and text md_in_html keeps as HTML has only ``<`` and ``&`` so: fewer
    references make less work for the engine. md_in_html takes an element listed as a
    block (``textarea``, ``option``) at the start of a line, or first in its parent, for a
    new block ending the paragraph around it; within a paragraph, line breaks become
    spaces and such a first child follows one.
    """
    if isinstance(node, _Text):
        text = _escape(node) if read else _html_text(node)
        return text.replace("\n", " ") if marked and paragraph else text
    if isinstance(node, str):
        return node
    if node.link is not None:
        return _markdown_link(node)
    inside = (marked or node.holds_link) and node.tag not in _RAW_TEXT
    within = inside and (paragraph or node.tag == "p")
    parts = [_start_tag(node)]
    for child in node.children:
        reads = read
        if inside and isinstance(child, _Element) and child.tag in _BLOCK_LEVEL:
            reads = child.holds_link
            if within and len(parts) == 1:
                parts.append(" ")
            elif not within and not parts[-1].endswith("\n"):
                parts.append("\n")  # md_in_html finds nested blocks at the start of a line
        elif node.holds_link and node.tag in _BLOCK_LEVEL:
            reads = True
        parts.append(_write(child, marked=inside, read=reads and inside, paragraph=within))
    parts.append(node.end)
    return "".join(parts)


def _start_tag(element: _Element) -> str:
    """The start tag as written, marked for md_in_html if it holds a link."""
    if not element.holds_link or element.tag not in _BLOCK_LEVEL:
        return element.start
    state = "1" if element.tag in _SPAN_TAGS or _only_blocks(element) else "span"
    return f'{element.start[:-1].rstrip("/").rstrip()} markdown="{state}">'


def _only_blocks(element: _Element) -> bool:
    """Whether every child is a block-level element (or white space between them)."""
    for child in element.children:
        if isinstance(child, _Element):
            if child.tag not in _BLOCK_LEVEL:
                return False
        elif not (isinstance(child, _Text) and not child.strip()):
            return False
    return True


def _markdown_link(element: _Element) -> str:
    """``[text](target){: attributes }`` for an internal link."""
    text = "".join(_write(child, marked=True, read=True) for child in element.children)
    attrs = " ".join(
        _attribute(name, value) for name, value in element.attrs if name != "href"
    ).strip()
    tail = f"{{: {attrs} }}" if attrs else ""
    return f"[{text}]({element.link}){tail}"


def _attribute(name: str, value: str | None) -> str:
    """One ``key="value"`` of an attribute list; values stay character references."""
    if not _LINK_ATTRIBUTE.fullmatch(name):
        return ""
    raw = (value or "").replace("&", "&#38;").replace('"', "&#34;").replace("}", "&#125;")
    return f'{name}="{raw.replace(chr(10), "&#10;")}"'


def _html_text(text: str) -> str:
    """Text for HTML that md_in_html keeps as it is."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _escape(text: str) -> str:
    """Text whose every character reads as itself in Markdown: its syntax escaped."""
    return _MARKDOWN_SYNTAX.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    char = match[0]
    return f"\\{char}" if char in _BACKSLASHED else f"&#{ord(char)};"

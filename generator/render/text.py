"""Author text made safe: plain text escaped, Markdown rendered and sanitised."""

from __future__ import annotations

import functools
import html
import re

import markdown
import nh3
from markupsafe import Markup

from generator.render.markdown_guard import BoundedLinks, neutralise, too_dense

# Characters that Markdown, attr_list, Jinja or HTML could read as syntax, as numeric entities.
_SPECIAL = "&<>\"'\\`*_{}[]()#+!|~^=:$%@"
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}
_BLANK_LINES = re.compile(r"\n\s*\n")
_WHITESPACE = re.compile(r"\s+")
_SENTENCE = re.compile(r"[^\W\d_](?:[^\W_]|[ ,.;:?!'\"()/%–—-])*(?<! )")
"""One line of words and punctuation that no Markdown rule reads as syntax, starting with a
letter (so never a list item) and ending without a space (so never a line break)."""

ALLOWED_TAGS = {"p", "em", "strong", "ul", "ol", "li", "a", "code", "br", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def plain(value: object) -> Markup:
    """Single-line text shown literally in Markdown and HTML alike."""
    if type(value) is str or type(value) is int:
        return _plain_cached(value)
    return _plain(value)


def _plain(value: object) -> Markup:
    text = _WHITESPACE.sub(" ", str(value)).strip()
    return Markup(text.translate(_ENTITIES))


_plain_cached = functools.lru_cache(maxsize=65536, typed=True)(_plain)
"""Names, ids and numbers recur on many pages: each is made plain once."""


@functools.cache
def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=["sane_lists", BoundedLinks()], output_format="html")


def _sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


@functools.lru_cache(maxsize=65536)
def rich(value: object) -> Markup:
    """Author Markdown (paragraphs, emphasis, lists, links) as sanitised HTML on one block.

    The result has no blank lines, so it stays one raw-HTML block inside a Markdown page,
    and braces are encoded so no template or attribute syntax survives. A plain sentence
    is wrapped as the conversion would wrap it, without converting it.
    """
    written = str(value)
    if _SENTENCE.fullmatch(written):
        return Markup(f"<p>{written}</p>")
    return converted(written)


def converted(written: str) -> Markup:
    """``written`` converted from Markdown and sanitised. Constructs that would make the
    conversion slow are neutralised first (:mod:`markdown_guard`)."""
    source = neutralise(written)
    dense = too_dense(source)
    made = _paragraphs(written) if dense else _converter().reset().convert(source)
    clean = _BLANK_LINES.sub("\n", _sanitise(made)).strip()
    return Markup(clean.replace("{", "&#123;").replace("}", "&#125;"))


def _paragraphs(source: str) -> str:
    """Text too dense with syntax for Markdown, shown as it is written: paragraphs and lines."""
    blocks = (b.strip() for b in _BLANK_LINES.split(source))
    return "\n".join(
        "<p>" + "<br>\n".join(html.escape(line) for line in b.splitlines()) + "</p>"
        for b in blocks
        if b
    )

"""Author Markdown made cheap to convert: syntax that would cost Python-Markdown quadratic
time is neutralised before it gets there.

Python-Markdown scans from every ``[`` to its matching ``]`` (and from every ``](`` to
its ``)``), hands every ``<`` to an HTML parser and nests a block for every ``>``; on
text made of such characters, a few kilobytes take seconds. :func:`neutralise` keeps
what a person writes and escapes the rest, in one linear pass each:

- a bracket or parenthesis is kept only when it has a partner on the same side of any
  backtick and sits at most :data:`MAX_NESTING` pairs deep; the others are escaped
  (``\\[``), which Python-Markdown shows as the character itself;
- a ``<`` is kept only when it opens a complete tag, comment or autolink; the others
  become ``&lt;``;
- a line quotes at most :data:`MAX_QUOTE_DEPTH` levels deep.

What is left costs Python-Markdown time in proportion to the text's length times the
number of inline constructs in it; :func:`too_dense` tells when there are so many of
them (more than :func:`syntax_budget`) that the text is better shown as plain
paragraphs. The schema bounds the length and the number of lines of every Markdown
field, so the cost of a field has a fixed ceiling. :class:`BoundedLinks` limits the
scan for a link's target to its own parentheses.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from markdown.extensions import Extension
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    LINK_RE,
    ImageInlineProcessor,
    LinkInlineProcessor,
)

MAX_NESTING = 3
"""How deep brackets (or parentheses) may nest inside one another."""
MAX_QUOTE_DEPTH = 4
"""How many ``>`` levels of quotation one line may open."""

_PAIRS = {"]": "[", ")": "("}
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<[A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*>")
_MAIL = re.compile(r"<[^<>\s@]+@[^<>\s@]+>")
_QUOTES = re.compile(r"^((?: {0,3}>)+)", re.MULTILINE)
_ESCAPABLE = frozenset("\\`*_{}[]()>#+-.!")


_SYNTAX = re.compile(r"[`\\\[\]<>&*_!]")


def syntax_budget(length: int) -> int:
    """How many inline-syntax characters a text of ``length`` characters may hold."""
    return 128 + length // 8


def too_dense(text: str) -> bool:
    """Whether ``text`` holds more inline-syntax characters than its budget allows."""
    budget = syntax_budget(len(text))
    return any(count > budget for count, _ in enumerate(_SYNTAX.finditer(text), start=1))


def neutralise(text: str) -> str:
    """``text`` with every quadratic-time construct escaped; ordinary Markdown unchanged."""
    return _limit_quotes(_guard_angles(_guard_brackets(text)))


def _guard_brackets(text: str) -> str:
    """Escape brackets and parentheses that have no partner, cross a backtick or nest deep."""
    unsafe: set[int] = set()
    stacks: dict[str, list[int]] = {"[": [], "(": []}
    last_backtick = -1
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char == "\\" and index + 1 < length and text[index + 1] in _ESCAPABLE:
            if text[index + 1] == "`":
                last_backtick = index + 1
            index += 2
            continue
        if char == "`":
            last_backtick = index
        elif char in stacks:
            stack = stacks[char]
            stack.append(index)
            if len(stack) > MAX_NESTING:
                unsafe.add(index)
        elif char in _PAIRS:
            stack = stacks[_PAIRS[char]]
            if not stack:
                unsafe.add(index)
            else:
                opener = stack.pop()
                if opener in unsafe or opener < last_backtick:
                    unsafe.update((opener, index))
        index += 1
    for stack in stacks.values():
        unsafe.update(stack)
    if not unsafe:
        return text
    return "".join(f"\\{c}" if i in unsafe else c for i, c in enumerate(text))


def _guard_angles(text: str) -> str:
    """``<`` that opens no complete tag, comment or autolink becomes ``&lt;``."""
    if "<" not in text:
        return text
    comment_ends = [m.end() for m in re.finditer("-->", text)]
    out: list[str] = []
    start = 0
    for match in re.finditer("<", text):
        at = match.start()
        if at < start:
            continue
        out.append(text[start:at])
        end = _complete_at(text, at, comment_ends)
        if end < 0:
            out.append("&lt;")
            start = at + 1
        else:
            out.append(text[at:end])
            start = end
    out.append(text[start:])
    return "".join(out)


def _complete_at(text: str, at: int, comment_ends: list[int]) -> int:
    """Where the tag, comment or autolink opened at ``at`` ends, or -1 for none."""
    if text.startswith("<!--", at):
        found = bisect.bisect_left(comment_ends, at + 7)
        return comment_ends[found] if found < len(comment_ends) else -1
    match = _TAG.match(text, at) or _MAIL.match(text, at)
    return match.end() if match else -1


def _limit_quotes(text: str) -> str:
    """At most :data:`MAX_QUOTE_DEPTH` levels of ``>`` at the start of a line."""
    if ">" not in text:
        return text

    def limit(match: re.Match[str]) -> str:
        marks = match.group(1)
        if marks.count(">") <= MAX_QUOTE_DEPTH:
            return marks
        parts = marks.split(">")
        kept = ">".join(parts[: MAX_QUOTE_DEPTH + 1])
        return kept + "".join("\\>" + p for p in parts[MAX_QUOTE_DEPTH + 1 :])

    return _QUOTES.sub(limit, text)


def _closing_paren(data: str, index: int) -> int:
    """The position of the ``)`` that closes the ``(`` at ``index``, or -1."""
    depth = 0
    for position in range(index, len(data)):
        char = data[position]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return position
    return -1


class _BoundedLink(LinkInlineProcessor):  # type: ignore[misc]  # no stubs
    """A link whose target is read no further than its own closing parenthesis."""

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:  # noqa: N802
        """Python-Markdown's reading of ``(target "title")``, bounded by its ``)``."""
        end = _closing_paren(data, index) if data.startswith("(", index) else -1
        if end < 0:
            return "", None, index, False
        found: tuple[str, str | None, int, bool] = super().getLink(data[: end + 1], index)
        return found


class _BoundedImage(ImageInlineProcessor):  # type: ignore[misc]
    """An image whose source is read no further than its own closing parenthesis."""

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:  # noqa: N802
        """Python-Markdown's reading of ``(source "title")``, bounded by its ``)``."""
        end = _closing_paren(data, index) if data.startswith("(", index) else -1
        if end < 0:
            return "", None, index, False
        found: tuple[str, str | None, int, bool] = super().getLink(data[: end + 1], index)
        return found


class BoundedLinks(Extension):  # type: ignore[misc]
    """Links and images whose targets are read in time proportional to their length."""

    def extendMarkdown(self, md: Any) -> None:  # noqa: N802 - Python-Markdown's name
        """Replace the link and image processors with their bounded versions."""
        md.inlinePatterns.register(_BoundedLink(LINK_RE, md), "link", 160)
        md.inlinePatterns.register(_BoundedImage(IMAGE_LINK_RE, md), "image_link", 150)

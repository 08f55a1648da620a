"""One escaping rule per output: untrusted names and texts made inert where they are shown.

Role files, folder names and commit messages are written by people the tool does not
trust. Whatever of them reaches an output goes through the function for that output,
applied where the output is written:

- :func:`terminal`: a terminal or log (and text inside a fenced block of a job summary):
  control characters, bidirectional overrides and invisible formatting characters are
  shown as escapes (``\\n``, ``\\x1b``, ``\\u202e``), so nothing can move the cursor,
  recolour the screen, hide text or reorder what a reviewer reads.
- :func:`github_message` and :func:`github_property`: GitHub Actions workflow commands
  (annotations), whose data ends at a newline and whose properties end at ``,``.
- :func:`markdown_text`: inline text in Markdown that GitHub or an MkDocs page renders
  (a job summary, a pull-request comment): no HTML, no Markdown syntax, one line.
- :func:`codeowners_pattern`: a repository path as an anchored CODEOWNERS pattern, or
  :class:`UnsafeNameError` when no pattern can say it (a line break ends a CODEOWNERS rule).
"""

from __future__ import annotations

import re

__all__ = [
    "UnsafeNameError",
    "codeowners_pattern",
    "github_message",
    "github_property",
    "has_invisible",
    "markdown_text",
    "terminal",
]

_INVISIBLE = (
    "\x00-\x1f\x7f-\x9f"  # C0 and C1 control characters, DEL
    "\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"  # bidi, zero-width, separators
    "\ufeff\ufff9-\ufffb"  # byte-order mark, interlinear annotations
)
INVISIBLE = re.compile(f"[{_INVISIBLE}]")
"""Characters that are never shown as themselves: controls and invisible formatting."""
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_MARKDOWN_SPECIAL = "&<>\"'\\`*_{}[]()#+!|~^=:$%@-."
_MARKDOWN_ENTITIES = {ord(c): f"&#{ord(c)};" for c in _MARKDOWN_SPECIAL}
_CODEOWNERS_SPECIAL = re.compile(r"([ \\#*?\[\]!])")


class UnsafeNameError(ValueError):
    """A name that an output format cannot carry safely."""


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def has_invisible(text: str) -> bool:
    """Whether ``text`` holds a control or invisible formatting character."""
    return INVISIBLE.search(text) is not None


def terminal(text: str) -> str:
    """``text`` for a terminal or log line: every invisible character as an escape."""
    return INVISIBLE.sub(_escape_one, text)


def github_message(text: str) -> str:
    """The data of a GitHub workflow command: ``%``, CR and LF encoded, the rest visible."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return terminal(text)


def github_property(text: str) -> str:
    """A property value of a GitHub workflow command (``file=``, ``title=``)."""
    return github_message(text).replace(":", "%3A").replace(",", "%2C")


def markdown_text(text: str) -> str:
    """``text`` as one line of rendered Markdown that shows exactly these characters.

    Invisible characters become visible escapes; every character Markdown or HTML
    could read as syntax becomes a numeric character reference.
    """
    return terminal(text).translate(_MARKDOWN_ENTITIES)


def codeowners_pattern(path: str) -> str:
    """A repository path as an anchored CODEOWNERS pattern, special characters escaped.

    :class:`UnsafeNameError` when the path holds a character no pattern can carry: a line
    break would start a rule of its own, and a tab or other control splits or hides one.
    """
    if has_invisible(path):
        raise UnsafeNameError(f"{terminal(path)!r} cannot be written into CODEOWNERS")
    return "/" + _CODEOWNERS_SPECIAL.sub(r"\\\1", path).lstrip("/")

"""The changes as a report: Markdown for a pull request or a terminal, JSON for tools.

Every label is in the report's language. The words of the changes, the role titles and
everything else that came from role files are Markdown-escaped and have their control
characters made visible (:func:`~generator.model.changes.visible_controls`), so that a
reviewer sees exactly what was written. In JSON, the characters that could reorder or
hide text in a terminal are written as ``\\u`` escapes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from generator import i18n
from generator.i18n import mark, mark_plural
from generator.model.changes import INVISIBLE, Change, visible_controls
from generator.model.organisation import Organisation

TITLE = mark("Handbook changes")
_NO_CHANGES = mark("No changes to roles or teams.")
_TEAMS = mark("Teams")
_FEEDBACK = mark("Feedback:")
_CHANGES = mark_plural("%(num)s change", "%(num)s changes")
_ROLES = mark_plural("to %(num)s role", "to %(num)s roles")
_STRICTER = mark_plural("%(num)s stricter", "%(num)s stricter")
_LOOSER = mark_plural("%(num)s looser", "%(num)s looser")
_ATTENTION = mark_plural(
    "%(num)s removes something or detaches feedback",
    "%(num)s remove something or detach feedback",
)
ATTENTION_KINDS = frozenset({"feedback-key-renamed", "commitment-removed", "role-removed"})
"""Changes a reviewer should look at twice: something goes, or feedback detaches."""

_MD_SPECIAL = str.maketrans(
    {c: f"\\{c}" for c in "\\`*_[]|~#$"} | {"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "@\u2060"}
)


def markdown_escape(text: str) -> str:
    """Text shown literally in GitHub/GitLab Markdown and in a terminal.

    Markdown syntax is escaped, ``@handles`` notify nobody and control characters are
    shown as visible marks.
    """
    return visible_controls(text).translate(_MD_SPECIAL)


def _plural(language: str, forms: tuple[str, str], count: int) -> str:
    text = i18n.translate_plural(language, *forms, count)
    return text % {"num": i18n.number(count, language)}


def summary(changes: Sequence[Change], language: str = "en") -> str:
    """``5 changes to 2 roles (1 stricter, 2 looser).`` in ``language``."""
    roles = {c.role for c in changes if c.role}
    head = _plural(language, _CHANGES, len(changes))
    if roles:
        head += " " + _plural(language, _ROLES, len(roles))
    counts = (
        (_STRICTER, sum(1 for c in changes if c.direction == "stricter")),
        (_LOOSER, sum(1 for c in changes if c.direction == "looser")),
        (_ATTENTION, sum(1 for c in changes if c.kind in ATTENTION_KINDS)),
    )
    details = [_plural(language, forms, n) for forms, n in counts if n]
    return head + (f" ({', '.join(details)})" if details else "") + "."


def format_markdown(
    changes: Sequence[Change],
    organisation: Organisation | None = None,
    *,
    before: Organisation | None = None,
    title: str | None = None,
    language: str = "en",
) -> str:
    """The changes as a Markdown section, grouped by team and role, in ``language``.

    ``organisation`` and ``before`` (the newer and the older one) give roles their titles.
    """
    heading = title if title is not None else i18n.translate(language, TITLE)
    lines = [f"## {markdown_escape(heading)}", ""]
    if not changes:
        return "\n".join([*lines, i18n.translate(language, _NO_CHANGES), ""])
    lines += [summary(changes, language), ""]
    teams = [c for c in changes if c.role is None]
    if teams:
        lines += [f"### {i18n.translate(language, _TEAMS)}", ""]
        lines += [f"- {markdown_escape(c.words)}" for c in teams]
        lines.append("")
    by_role: dict[str, list[Change]] = {}
    for change in changes:
        if change.role:
            by_role.setdefault(change.role, []).append(change)
    for role_id, items in by_role.items():
        role = next(
            (o.roles[role_id] for o in (organisation, before) if o and role_id in o.roles), None
        )
        lines += [f"### {markdown_escape(role.title if role else role_id)}", ""]
        lines += [f"- {_marker(c, language)}{markdown_escape(c.words)}" for c in items]
        lines.append("")
    return "\n".join(lines)


def _marker(change: Change, language: str) -> str:
    if change.kind == "feedback-key-renamed":
        return f"**{i18n.translate(language, _FEEDBACK)}** "
    return ""


_JSON_VISIBLE = str.maketrans({c: f"\\u{ord(c):04x}" for c in INVISIBLE if ord(c) >= 0x20})


def format_json(changes: Sequence[Change], *, base: str = "", head: str = "") -> str:
    """The changes as one JSON document; nothing in it can reorder or hide text."""
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.kind] = counts.get(change.kind, 0) + 1
    document = {
        "base": base,
        "head": head,
        "counts": counts,
        "changes": [c.as_dict() for c in changes],
    }
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return text.translate(_JSON_VISIBLE)  # such characters only occur inside JSON strings

"""Meaningful changes to the organisation, as values: what changed and what it means."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Direction = Literal["stricter", "looser"]
Effect = Literal["harder", "easier", "changed", "unchanged"]
"""What a change does to reaching a reward."""

KINDS: Mapping[str, str] = {
    "team-added": "a team was added",
    "team-removed": "a team was removed",
    "team-changed": "a team's name, parent, lead, channel or kind changed",
    "role-added": "a role was added",
    "role-removed": "a role was removed",
    "role-renamed": "a role's id changed",
    "role-moved": "a role moved to another team",
    "role-changed": "a role's title, summary, manager or review date changed",
    "owners-changed": "who approves changes to a role changed",
    "file-moved": "a role's file moved (nothing changes for people)",
    "responsibility-added": "a responsibility was added",
    "responsibility-removed": "a responsibility was removed",
    "responsibility-changed": "a responsibility's text, share or id changed",
    "expectation-added": "an expectation was added",
    "expectation-removed": "an expectation was removed",
    "expectation-level": "an expectation's meets or exceeds level changed",
    "expectation-changed": "an expectation's text, measure, direction or source changed",
    "commitment-added": "a service was added",
    "commitment-removed": "a service was withdrawn",
    "commitment-target": "a service's response or resolution target changed",
    "commitment-customers": "who may ask for a service changed",
    "commitment-changed": "how to ask for a service, its hours or escalation changed",
    "reward-added": "a reward was added",
    "reward-removed": "a reward was removed",
    "reward-criteria": "what a reward requires changed",
    "reward-changed": "a reward's description or id changed",
    "feedback-key-renamed": "a feedback key changed: feedback given before no longer attaches",
}
"""Every change kind, with what it means."""


@dataclass(frozen=True, slots=True)
class Impact:
    """What a change does to one reward of the role: harder or easier to reach, or else."""

    reward: str
    """The reward's id."""
    effect: Effect


@dataclass(frozen=True, slots=True)
class Change:
    """One meaningful change, about a role (``role``) or a team (``team``)."""

    kind: str
    words: str
    role: str | None = None
    team: str | None = None
    field: str = ""
    before: Any = None
    after: Any = None
    direction: Direction | None = None
    impacts: tuple[Impact, ...] = ()
    """The rewards of the role that depend on what changed."""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "kind": self.kind,
            "role": self.role,
            "team": self.team,
            "field": self.field,
            "before": _jsonable(self.before),
            "after": _jsonable(self.after),
            "direction": self.direction,
            "impacts": [{"reward": i.reward, "effect": i.effect} for i in self.impacts],
            "words": self.words,
        }


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, tuple | list | frozenset | set):
        return [_jsonable(v) for v in value]
    return value


# -- control characters made visible --------------------------------------------------------

_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
"""Bidirectional marks, embeddings, overrides and isolates: they reorder what a reader sees."""
_SEPARATORS = (0x2028, 0x2029)
"""Line and paragraph separators: they break a line where none is shown."""

INVISIBLE: frozenset[str] = frozenset(
    chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0), *_BIDI, *_SEPARATORS)
)
"""Every character :func:`visible_controls` replaces."""

_VISIBLE = str.maketrans(
    {c: chr(0x2400 + c) for c in range(0x20)}  # ␀ … ␟: the Unicode control pictures
    | {0x7F: "\u2421"}  # ␡
    | {c: f"‹U+{c:04X}›" for c in (*range(0x80, 0xA0), *_BIDI, *_SEPARATORS)}
)


def visible_controls(text: str) -> str:
    """``text`` with every control or bidirectional formatting character shown as a mark.

    C0 controls and DEL become their control pictures (ESC is ``␛``, NUL ``␀``); C1
    controls, bidirectional marks, embeddings, overrides and isolates and the line and
    paragraph separators become ``‹U+202E›``. Nothing then can move, hide or recolour
    the text around it in a terminal, a pull-request comment or a page.
    """
    return text.translate(_VISIBLE)

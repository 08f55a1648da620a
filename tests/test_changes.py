"""Change values: the rewards they affect, and author text with its controls made visible."""

from __future__ import annotations

import json

import pytest

from generator.model.changes import INVISIBLE, Change, Impact, visible_controls

CONTROLS = [
    *map(chr, range(0x20)),
    "\x7f",
    *map(chr, range(0x80, 0xA0)),
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
]


@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("\x00", "␀"),
        ("\x07", "␇"),
        ("\t", "␉"),
        ("\n", "␊"),
        ("\r", "␍"),
        ("\x1b", "␛"),
        ("\x1f", "␟"),
        ("\x7f", "␡"),
        ("\x80", "‹U+0080›"),
        ("\x85", "‹U+0085›"),
        ("\x9b", "‹U+009B›"),
        ("\u200f", "‹U+200F›"),
        ("\u202a", "‹U+202A›"),
        ("\u202e", "‹U+202E›"),
        ("\u2028", "‹U+2028›"),
        ("\u2066", "‹U+2066›"),
        ("\u2069", "‹U+2069›"),
    ],
)
def test_a_control_character_is_shown_as_a_mark(char: str, shown: str) -> None:
    assert visible_controls(f"1h{char}3d") == f"1h{shown}3d"


def test_no_control_character_is_left() -> None:
    shown = visible_controls("".join(CONTROLS))
    assert set(CONTROLS) <= INVISIBLE
    assert not INVISIBLE & set(shown)
    assert len(shown) > len(CONTROLS)


def test_other_text_is_kept() -> None:
    text = "Zażółć gęślą jaźń → 1–5 “ok” „tak” 👩\u200d💻 ‹› \\x1b é"
    assert visible_controls(text) == text


def test_a_change_lists_the_rewards_it_affects_in_json() -> None:
    change = Change(
        "expectation-level",
        "words",
        "agent",
        field="expectations.answer-time.exceeds",
        before=30,
        after=20,
        direction="stricter",
        impacts=(Impact("quick-answer", "harder"),),
    )
    document = json.loads(json.dumps(change.as_dict()))
    assert document["impacts"] == [{"reward": "quick-answer", "effect": "harder"}]
    assert Change("role-added", "words").as_dict()["impacts"] == []

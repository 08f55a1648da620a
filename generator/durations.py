"""Durations such as ``30m``, ``1.5h``, ``2d`` and ``1w``, in minutes and in words."""

from __future__ import annotations

import re

DURATION = re.compile(r"^(?P<amount>[0-9]+(?:\.[0-9]+)?)(?P<unit>[mhdw])$")
_WORDS = {"m": "minute", "h": "hour", "d": "day", "w": "week"}


def parse(text: str) -> tuple[float, str] | None:
    """Split a duration into (amount, unit), or None when it is not one."""
    match = DURATION.match(text)
    if not match:
        return None
    return float(match["amount"]), match["unit"]


def minutes(text: str, *, hours: str = "business", business_day_hours: float = 8.0) -> float | None:
    """Length in working minutes (``business``) or clock minutes (``always``)."""
    parsed = parse(text)
    if parsed is None:
        return None
    amount, unit = parsed
    day = business_day_hours * 60 if hours == "business" else 24 * 60
    week = 5 * day if hours == "business" else 7 * day
    return amount * {"m": 1.0, "h": 60.0, "d": day, "w": week}[unit]


def _number(amount: float) -> str:
    return str(int(amount)) if amount.is_integer() else f"{amount:g}"


def in_words(text: str, *, hours: str = "business") -> str:
    """``2d`` → ``2 business days``; ``1h`` → ``1 hour``; unknown text is returned as is."""
    parsed = parse(text)
    if parsed is None:
        return text
    amount, unit = parsed
    word = _WORDS[unit] + ("" if amount == 1 else "s")
    if unit in "dw" and hours == "business":
        word = "business " + word if unit == "d" else "working " + word
    return f"{_number(amount)} {word}"

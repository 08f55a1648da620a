"""Durations such as ``30m``, ``1.5h``, ``2d`` and ``1w``, in minutes and in words."""

from __future__ import annotations

import functools
import re

from generator import i18n

DURATION = re.compile(r"^(?P<amount>[0-9]+(?:\.[0-9]+)?)(?P<unit>[mhdw])$")


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> tuple[float, str] | None:
    """Split a duration into (amount, unit), or None when it is not one (cached: an
    organisation writes few distinct durations, and every check and page reads them)."""
    match = DURATION.match(text)
    if not match:
        return None
    return float(match["amount"]), match["unit"]


@functools.lru_cache(maxsize=4096)
def minutes(text: str, *, hours: str = "business", business_day_hours: float = 8.0) -> float | None:
    """Length in working minutes (``business``) or clock minutes (``always``)."""
    parsed = parse(text)
    if parsed is None:
        return None
    amount, unit = parsed
    day = business_day_hours * 60 if hours == "business" else 24 * 60
    week = 5 * day if hours == "business" else 7 * day
    return amount * {"m": 1.0, "h": 60.0, "d": day, "w": week}[unit]


def in_words(text: str, *, hours: str = "business", language: str = "en") -> str:
    """``2d`` → ``2 business days``, ``1h`` → ``1 hour``; other text is returned as is."""
    parsed = parse(text)
    if parsed is None:
        return text
    amount, unit = parsed
    business = hours == "business"
    singular, plural = _FORMS[(unit, business and unit in "dw")]
    return i18n.translate_plural(language, singular, plural, amount) % {
        "num": i18n.number(amount, language)
    }


def plural_forms(text: str, *, hours: str = "business") -> tuple[str, str, float] | None:
    """The catalog's singular and plural ``%(num)s`` forms of a duration, and its amount."""
    parsed = parse(text)
    if parsed is None:
        return None
    amount, unit = parsed
    singular, plural = _FORMS[(unit, hours == "business" and unit in "dw")]
    return singular, plural, amount


_FORMS = {
    ("m", False): i18n.mark_plural("%(num)s minute", "%(num)s minutes"),
    ("h", False): i18n.mark_plural("%(num)s hour", "%(num)s hours"),
    ("d", False): i18n.mark_plural("%(num)s day", "%(num)s days"),
    ("d", True): i18n.mark_plural("%(num)s business day", "%(num)s business days"),
    ("w", False): i18n.mark_plural("%(num)s week", "%(num)s weeks"),
    ("w", True): i18n.mark_plural("%(num)s working week", "%(num)s working weeks"),
}

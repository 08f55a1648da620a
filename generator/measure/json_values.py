"""Checked reading of the JSON reports the handbook writes and reads back.

Each function returns the value when it has the expected type and raises
:class:`BadValueError` naming where in the document it is (``where``) otherwise.
"""

from __future__ import annotations

import math
from typing import Any


class BadValueError(ValueError):
    """A value in a report is not what the report's format says."""


def as_mapping(value: object, where: str) -> dict[str, Any]:
    """``value`` as a JSON object."""
    if not isinstance(value, dict):
        raise BadValueError(f"{where} must be an object")
    return value


def as_list(value: object, where: str) -> list[Any]:
    """``value`` as a JSON list."""
    if not isinstance(value, list):
        raise BadValueError(f"{where} must be a list")
    return value


def as_text(value: object, where: str) -> str:
    """``value`` as text."""
    if not isinstance(value, str):
        raise BadValueError(f"{where} must be text")
    return value


def as_count(value: object, where: str, minimum: int = 0) -> int:
    """``value`` as a whole number of at least ``minimum`` (not a boolean)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise BadValueError(f"{where} must be a whole number of at least {minimum}")
    return value


def as_mean(value: object, where: str) -> float:
    """``value`` as a mean rating between 1 and 5."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadValueError(f"{where}.mean must be a number")
    if not (math.isfinite(value) and 1 <= value <= 5):
        raise BadValueError(f"{where}.mean must lie between 1 and 5")
    return float(value)

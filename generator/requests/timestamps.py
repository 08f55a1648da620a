"""Reading the times of an export as aware UTC datetimes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo

_ISO_START = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}")
EXAMPLE = "2026-11-06T15:30:00+01:00"


class TimestampError(ValueError):
    """A cell is not a time this export writes; the message says why."""


def parse_timestamp(
    text: str, *, formats: Sequence[str] = (), zone: tzinfo | None = None
) -> datetime:
    """``text`` as an aware UTC datetime.

    ISO 8601 with an offset is always understood; so are the ``strptime``
    ``formats`` of the export. A time without an offset is read in ``zone``
    and refused without one, as is a local time that a clock change skipped.
    """
    value = text.strip()
    parsed = _iso(value)
    if parsed is None:
        parsed = _formatted(value, formats)
    if parsed is None:
        expected = " or ".join([EXAMPLE, *(_example(fmt) for fmt in formats)])
        raise TimestampError(f"not a time: {value!r} (expected e.g. {expected})")
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    if zone is None:
        raise TimestampError(
            f"{value!r} has no UTC offset (write it like {EXAMPLE}, or give the mapping's timezone)"
        )
    return _localised(parsed, zone, value)


def _iso(value: str) -> datetime | None:
    if not _ISO_START.match(value):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _formatted(value: str, formats: Sequence[str]) -> datetime | None:
    for fmt in formats:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


def _localised(naive: datetime, zone: tzinfo, value: str) -> datetime:
    """``naive`` read in ``zone`` (the first of two repeated times); refuse skipped times."""
    aware = naive.replace(tzinfo=zone)
    utc = aware.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != naive:
        raise TimestampError(f"{value!r} does not exist in {zone} (the clocks skipped it)")
    return utc


def _example(fmt: str) -> str:
    return datetime(2026, 11, 6, 15, 30).strftime(fmt)

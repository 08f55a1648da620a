"""Stored requests as CSV, with the minutes each took and whether its targets were met.

Minutes are counted on the commitment's clock (working minutes of its team's business
calendar for ``hours: business``, wall-clock minutes for ``hours: always``); they are empty
while the request waits for its response or resolution. ``*_met`` compares
them with the commitment's target for the request's priority. Cells that a
spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from generator.measure.promises import Level, Promise
from generator.requests.formats import FIELDS
from generator.requests.rows import Request

COLUMNS = (
    *FIELDS,
    "response_minutes",
    "resolution_minutes",
    "response_met",
    "resolution_met",
    "source",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Exported:
    """How many rows were written; how many name a commitment the handbook no longer has."""

    written: int
    orphaned: int


def export_csv(
    requests: Iterable[Request],
    out: TextIO,
    promised: Mapping[str, Promise],
) -> Exported:
    """Write one row per request, after a header of :data:`COLUMNS`."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    written = orphaned = 0
    for request in requests:
        promise = promised.get(request.commitment)
        orphaned += promise is None
        writer.writerow(defuse(cell) for cell in _cells(request, promise))
        written += 1
    return Exported(written, orphaned)


def _cells(request: Request, promise: Promise | None) -> list[str]:
    response = resolution = None
    level: Level | None = None
    if promise is not None:
        response = _elapsed(promise, request.opened, request.first_response)
        resolution = _elapsed(promise, request.opened, request.resolved)
        level = promise.levels.get(request.priority)
    return [
        request.request_id,
        request.commitment,
        request.priority,
        _time(request.opened),
        _time(request.first_response),
        _time(request.resolved),
        _number(response),
        _number(resolution),
        _met(response, level.response if level else None),
        _met(resolution, level.resolution if level else None),
        request.source,
    ]


def _elapsed(promise: Promise, start: datetime, end: datetime | None) -> int | None:
    return None if end is None else promise.elapsed(start, end)


def _met(minutes: int | None, target: float | None) -> str:
    if minutes is None or target is None:
        return ""
    return "true" if minutes <= target else "false"


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _time(value: datetime | None) -> str:
    return "" if value is None else value.isoformat()


def defuse(cell: str) -> str:
    """Keep spreadsheets from evaluating a cell as a formula (as the feedback export does)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell

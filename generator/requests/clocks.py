"""Clocks that count the minutes between two moments: wall-clock or working time.

A commitment with ``hours: always`` is measured on the wall clock; one with
``hours: business`` on a working calendar. The calendar is supplied by the
caller through the :class:`Clock` protocol; :class:`WorkingHoursClock` is a
plain one (the same working hours every weekday, no holidays).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol

WEEKDAYS = frozenset(range(5))  # Monday..Friday


class Clock(Protocol):
    """Counts whole minutes from ``start`` to ``end`` (aware datetimes, start <= end)."""

    def elapsed_minutes(self, start: datetime, end: datetime) -> int:
        """Completed minutes between the two moments on this clock."""
        ...


class WallClock:
    """Every minute counts: ``hours: always``."""

    def elapsed_minutes(self, start: datetime, end: datetime) -> int:
        """Completed wall-clock minutes from ``start`` to ``end``."""
        # in UTC: Python subtracts two times of one zone by their faces, ignoring clock changes
        elapsed = end.astimezone(UTC) - start.astimezone(UTC)
        return max(0, int(elapsed.total_seconds() // 60))


@dataclass(frozen=True, slots=True)
class WorkingHoursClock:
    """Minutes between ``opens`` and ``closes`` on working weekdays, in ``zone``."""

    zone: tzinfo
    opens: time = time(9)
    closes: time = time(17)
    weekdays: frozenset[int] = WEEKDAYS

    def __post_init__(self) -> None:
        if self.opens >= self.closes:
            raise ValueError("the working day must close after it opens")

    def elapsed_minutes(self, start: datetime, end: datetime) -> int:
        """Completed working minutes from ``start`` to ``end``."""
        start, end = start.astimezone(UTC), end.astimezone(UTC)  # see WallClock
        if end <= start:
            return 0
        seconds = 0.0
        for opened, closed in self._windows(start, end):
            overlap = min(end, closed) - max(start, opened)
            seconds += max(0.0, overlap.total_seconds())
        return int(seconds // 60)

    def _windows(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The working windows (in UTC) of every local day that ``start..end`` touches."""
        day = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        while day <= last:
            if day.weekday() in self.weekdays:
                yield self._at(day, self.opens), self._at(day, self.closes)
            day += timedelta(days=1)

    def _at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, self.zone).astimezone(UTC)


def working_hours(text: str) -> tuple[time, time]:
    """``09:00-17:00`` as (opens, closes); ValueError when it is not such a range."""
    first, sep, second = text.partition("-")
    if not sep:
        raise ValueError(f"not a range of hours (HH:MM-HH:MM): {text!r}")
    opens, closes = time.fromisoformat(first.strip()), time.fromisoformat(second.strip())
    if opens >= closes:
        raise ValueError(f"the working day must close after it opens: {text!r}")
    return opens, closes

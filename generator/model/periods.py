"""Reporting periods: quarters (``2026-Q4``) and months (``2026-11``) in a time zone."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass
from typing import Literal

PeriodKind = Literal["quarter", "month"]

_QUARTER = re.compile(r"^([0-9]{4})-Q([1-4])$")
_MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """One quarter or month: ``index`` is the quarter (1–4) or the month (1–12)."""

    year: int
    index: int
    kind: PeriodKind = "quarter"

    @property
    def id(self) -> str:
        """``2026-Q4`` or ``2026-11``."""
        if self.kind == "quarter":
            return f"{self.year}-Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    def __str__(self) -> str:
        return self.id

    @property
    def first_day(self) -> dt.date:
        """The period's first day."""
        month = 3 * (self.index - 1) + 1 if self.kind == "quarter" else self.index
        return dt.date(self.year, month, 1)

    @property
    def end_day(self) -> dt.date:
        """The day after the period's last day."""
        return self.next().first_day

    def start(self, timezone: str) -> dt.datetime:
        """The period's first instant: local midnight of its first day in ``timezone``."""
        return _midnight(self.first_day, timezone)

    def end(self, timezone: str) -> dt.datetime:
        """The instant the period ends (exclusive): local midnight after its last day."""
        return _midnight(self.end_day, timezone)

    def next(self) -> Period:
        """The period after this one."""
        last = 4 if self.kind == "quarter" else 12
        if self.index == last:
            return Period(self.year + 1, 1, self.kind)
        return Period(self.year, self.index + 1, self.kind)

    def previous(self) -> Period:
        """The period before this one."""
        last = 4 if self.kind == "quarter" else 12
        if self.index == 1:
            return Period(self.year - 1, last, self.kind)
        return Period(self.year, self.index - 1, self.kind)


def parse_period(text: str) -> Period | None:
    """The period ``text`` names (``2026-Q4``, ``2026-11``), or None."""
    quarter = _QUARTER.fullmatch(text)
    if quarter:
        return Period(int(quarter[1]), int(quarter[2]), "quarter")
    month = _MONTH.fullmatch(text)
    if month:
        return Period(int(month[1]), int(month[2]), "month")
    return None


def period_of(moment: dt.datetime, kind: PeriodKind, timezone: str) -> Period:
    """The period an instant falls in, by its local date in ``timezone``."""
    day = moment.astimezone(zoneinfo.ZoneInfo(timezone)).date()
    index = (day.month - 1) // 3 + 1 if kind == "quarter" else day.month
    return Period(day.year, index, kind)


def _midnight(day: dt.date, timezone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zoneinfo.ZoneInfo(timezone))

"""Reporting periods (month, quarter, year): labels and bounds, all in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

PERIODS = ("month", "quarter", "year")


def check_period(period: str) -> str:
    """``period`` if it is one of :data:`PERIODS`, else ValueError."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; choose one of {', '.join(PERIODS)}")
    return period


def period_label(moment: datetime | date, period: str) -> str:
    """The period containing ``moment``: ``2026-03``, ``2026-Q1`` or ``2026``."""
    check_period(period)
    if isinstance(moment, datetime):
        moment = moment.astimezone(UTC).date()
    if period == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    if period == "quarter":
        return f"{moment.year:04d}-Q{(moment.month - 1) // 3 + 1}"
    return f"{moment.year:04d}"


def period_start(moment: datetime | date, period: str) -> date:
    """The first day of the period containing ``moment``."""
    check_period(period)
    if isinstance(moment, datetime):
        moment = moment.astimezone(UTC).date()
    if period == "month":
        return moment.replace(day=1)
    if period == "quarter":
        return date(moment.year, (moment.month - 1) // 3 * 3 + 1, 1)
    return date(moment.year, 1, 1)


def period_end(moment: datetime | date, period: str) -> date:
    """The last day of the period containing ``moment``."""
    start = period_start(moment, period)
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    month = start.month - 1 + months
    following = date(start.year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)

"""What each commitment promises: its clock and its targets in minutes, by priority."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from generator.model.calendar import BusinessCalendar
from generator.model.organisation import Hours, Metric, Organisation

MAX_PENDING = dt.timedelta(days=3660)
"""How far the clock runs for a request still waiting (ten years); anything older missed."""


@dataclass(frozen=True, slots=True)
class Level:
    """The response and (optional) resolution target of one priority, in minutes."""

    response: float
    resolution: float | None = None

    def target(self, metric: Metric) -> float | None:
        """The target of ``metric`` (None: this priority promises no resolution time)."""
        return self.response if metric == "response" else self.resolution


@dataclass(frozen=True, slots=True)
class Promise:
    """One commitment's clock (its team's calendar and ``hours``) and targets by priority."""

    calendar: BusinessCalendar
    hours: Hours
    levels: Mapping[str, Level]

    def elapsed(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole minutes from ``start`` to ``end`` on this commitment's clock."""
        end = min(end, start + MAX_PENDING)
        return self.calendar.elapsed_minutes(start, end, self.hours)


def promises(organisation: Organisation, calendar: BusinessCalendar) -> dict[str, Promise]:
    """``role-id/commitment-id`` → its clock and targets; ``calendar`` is the organisation's."""
    out: dict[str, Promise] = {}
    for role in organisation.roles.values():
        clock = organisation.calendar_of(role.team, calendar)
        for commitment in role.commitments:
            levels = {
                target.priority: Level(
                    clock.target_minutes(target.response, commitment.hours),
                    clock.target_minutes(target.resolution, commitment.hours)
                    if target.resolution
                    else None,
                )
                for target in commitment.targets
            }
            out[f"{role.id}/{commitment.id}"] = Promise(clock, commitment.hours, levels)
    return out


def priorities_by_commitment(promised: Mapping[str, Promise]) -> dict[str, frozenset[str]]:
    """``role-id/commitment-id`` → the priority ids its targets name."""
    return {key: frozenset(promise.levels) for key, promise in promised.items()}

"""What each commitment promises, in minutes on its own clock, from the organisation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.model import durations
from generator.model.organisation import Hours, Organisation


@dataclass(frozen=True, slots=True)
class Level:
    """The response and (optional) resolution target of one priority, in minutes."""

    response: float
    resolution: float | None = None


@dataclass(frozen=True, slots=True)
class Promise:
    """One commitment's clock and its targets by priority id."""

    hours: Hours
    levels: Mapping[str, Level]


def promises(organisation: Organisation, *, business_day_hours: float) -> dict[str, Promise]:
    """``role-id/commitment-id`` → its clock and targets, for every commitment."""
    out: dict[str, Promise] = {}
    for role in organisation.roles.values():
        for commitment in role.commitments:
            levels = {
                target.priority: Level(
                    _minutes(target.response, commitment.hours, business_day_hours),
                    _minutes(target.resolution, commitment.hours, business_day_hours)
                    if target.resolution
                    else None,
                )
                for target in commitment.targets
            }
            out[f"{role.id}/{commitment.id}"] = Promise(commitment.hours, levels)
    return out


def priorities_by_commitment(promised: Mapping[str, Promise]) -> dict[str, frozenset[str]]:
    """``role-id/commitment-id`` → the priority ids its targets name."""
    return {key: frozenset(promise.levels) for key, promise in promised.items()}


def _minutes(text: str, hours: Hours, business_day_hours: float) -> float:
    value = durations.minutes(text, hours=hours, business_day_hours=business_day_hours)
    if value is None:  # the schema admits only durations; a bad one never gets here
        raise ValueError(f"not a duration: {text!r}")
    return value

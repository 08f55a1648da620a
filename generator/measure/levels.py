"""Service levels measured from real requests, and feedback ratings, for one period.

A request counts in the period it was opened in. Its response (or resolution) met the
target when it came within the target's minutes on the commitment's clock; one still
missing counts as missed once its target has passed (as of the report's time), and is
left out while it can still be met. Groups smaller than the threshold are hidden: their
size is known, their numbers are not.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from generator.measure.promises import Promise
from generator.model.organisation import Metric

METRICS: tuple[Metric, Metric] = ("response", "resolution")


@dataclass(frozen=True, slots=True)
class RequestTimes:
    """What the measurement needs of a request: its commitment, priority and times."""

    commitment: str
    priority: str
    opened: dt.datetime
    first_response: dt.datetime | None = None
    resolved: dt.datetime | None = None

    def at(self, metric: Metric) -> dt.datetime | None:
        """When the response (or the resolution) came, if it did."""
        return self.first_response if metric == "response" else self.resolved


@dataclass(frozen=True, slots=True)
class Rating:
    """One feedback answer: the commitment, the 1–5 rating, what mattered most, when."""

    key: str
    rating: int
    priority: str | None
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class MetricLevel:
    """How one target was kept: of the requests judged, how many met it, and how long they took."""

    counted: int
    met: int
    median_minutes: int | None = None
    p90_minutes: int | None = None

    @property
    def percent(self) -> float:
        """The share of judged requests that met the target, in percent."""
        return 100.0 * self.met / self.counted if self.counted else 0.0


@dataclass(frozen=True, slots=True)
class ServiceLevel:
    """One commitment (or one of its priorities) in one period."""

    requests: int
    hidden: bool = False
    response: MetricLevel | None = None
    resolution: MetricLevel | None = None
    priorities: Mapping[str, ServiceLevel] = field(default_factory=dict)

    def metric(self, metric: Metric) -> MetricLevel | None:
        """The level of ``metric``, None when nothing could be judged (or it is hidden)."""
        return self.response if metric == "response" else self.resolution


@dataclass(frozen=True, slots=True)
class FeedbackLevel:
    """Feedback on one commitment in one period."""

    count: int
    hidden: bool = False
    mean: float | None = None
    distribution: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    priorities: tuple[tuple[str, int], ...] = ()


def service_levels(
    requests: Iterable[RequestTimes],
    promised: Mapping[str, Promise],
    *,
    as_of: dt.datetime,
    min_group: int,
) -> dict[str, ServiceLevel]:
    """The service level of every commitment with requests among ``requests``."""
    grouped: dict[str, list[RequestTimes]] = {}
    for request in requests:
        if request.commitment in promised:
            grouped.setdefault(request.commitment, []).append(request)
    return {
        key: _level(rows, promised[key], as_of, min_group, by_priority=True)
        for key, rows in sorted(grouped.items())
    }


def _level(
    rows: Sequence[RequestTimes],
    promise: Promise,
    as_of: dt.datetime,
    min_group: int,
    *,
    by_priority: bool,
) -> ServiceLevel:
    if len(rows) < min_group:
        return ServiceLevel(len(rows), hidden=True)
    priorities: dict[str, ServiceLevel] = {}
    if by_priority:
        for priority in promise.levels:
            chosen = [r for r in rows if r.priority == priority]
            if chosen:
                priorities[priority] = _level(chosen, promise, as_of, min_group, by_priority=False)
    response, resolution = (_metric(rows, promise, metric, as_of) for metric in METRICS)
    return ServiceLevel(len(rows), False, response, resolution, priorities)


def _metric(
    rows: Sequence[RequestTimes], promise: Promise, metric: Metric, as_of: dt.datetime
) -> MetricLevel | None:
    counted = met = 0
    taken: list[int] = []
    for row in rows:
        level = promise.levels.get(row.priority)
        target = level.target(metric) if level else None
        if target is None:
            continue
        done = row.at(metric)
        minutes = promise.elapsed(row.opened, done if done is not None else as_of)
        if done is None and minutes <= target:
            continue  # still within its target: not judged yet
        counted += 1
        met += done is not None and minutes <= target
        if done is not None:
            taken.append(minutes)
    if not counted:
        return None
    return MetricLevel(counted, met, _percentile(taken, 50), _percentile(taken, 90))


def _percentile(values: list[int], percent: int) -> int | None:
    """The nearest-rank percentile (the median is the 50th), or None without values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


def feedback_levels(
    ratings: Iterable[Rating], keys: Iterable[str], *, min_group: int
) -> dict[str, FeedbackLevel]:
    """Feedback per commitment among ``keys``; groups under ``min_group`` are hidden."""
    wanted = set(keys)
    grouped: dict[str, list[Rating]] = {}
    for rating in ratings:
        if rating.key in wanted:
            grouped.setdefault(rating.key, []).append(rating)
    return {key: _feedback(rows, min_group) for key, rows in sorted(grouped.items())}


def _feedback(rows: Sequence[Rating], min_group: int) -> FeedbackLevel:
    if len(rows) < min_group:
        return FeedbackLevel(len(rows), hidden=True)
    counts = [0, 0, 0, 0, 0]
    chosen: dict[str, int] = {}
    for row in rows:
        counts[row.rating - 1] += 1
        if row.priority:
            chosen[row.priority] = chosen.get(row.priority, 0) + 1
    ranked = tuple(sorted(chosen.items(), key=lambda item: (-item[1], item[0])))
    mean = round(sum(r.rating for r in rows) / len(rows), 2)
    distribution = (counts[0], counts[1], counts[2], counts[3], counts[4])
    return FeedbackLevel(len(rows), False, mean, distribution, ranked)

"""The measured report: service levels and feedback per period, as JSON, and back.

``handbook report`` writes it from the database (requests and feedback); the site reads
it and judges every expectation and reward against today's criteria, together with the
manual measurements in the repository. Each period lists what it measured; groups under
the threshold carry their size only.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import codes
from generator.diagnostics.values import HandbookError, Location
from generator.measure.json_values import (
    BadValueError,
    as_count,
    as_list,
    as_mapping,
    as_mean,
    as_text,
)
from generator.measure.levels import (
    METRICS,
    FeedbackLevel,
    MetricLevel,
    Rating,
    RequestTimes,
    ServiceLevel,
    feedback_levels,
    service_levels,
)
from generator.measure.promises import Promise
from generator.model.periods import Period, PeriodKind, parse_period, period_of

KIND = "handbook-measured-report"
VERSION = 1
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PeriodLevels:
    """What one period measured."""

    period: Period
    complete: bool
    """False for the period the report was made in: it may still change."""
    services: Mapping[str, ServiceLevel]
    feedback: Mapping[str, FeedbackLevel]


@dataclass(frozen=True, slots=True)
class MeasuredReport:
    """Periods, oldest first, with the time the report was made and its threshold."""

    as_of: dt.datetime
    period_kind: PeriodKind
    min_group: int
    periods: tuple[PeriodLevels, ...]

    def latest(self) -> PeriodLevels | None:
        """The most recent period, if any."""
        return self.periods[-1] if self.periods else None


def build_report(
    requests: Iterable[RequestTimes],
    ratings: Iterable[Rating],
    promised: Mapping[str, Promise],
    *,
    kind: PeriodKind,
    timezone: str,
    periods: int,
    as_of: dt.datetime,
    min_group: int,
    also: Iterable[Period] = (),
) -> MeasuredReport:
    """Group requests and ratings by the period they fall in; keep the last ``periods``.

    A period appears when it has requests, ratings, or is named in ``also`` (periods with
    manual measurements); none after the period of ``as_of``.
    """
    current = period_of(as_of, kind, timezone)
    by_period: dict[Period, tuple[list[RequestTimes], list[Rating]]] = {}

    def slot(period: Period) -> tuple[list[RequestTimes], list[Rating]]:
        return by_period.setdefault(period, ([], []))

    for request in requests:
        slot(period_of(request.opened, kind, timezone))[0].append(request)
    for rating in ratings:
        slot(period_of(rating.at, kind, timezone))[1].append(rating)
    for period in also:
        if period.kind == kind:
            slot(period)
    chosen = sorted(p for p in by_period if p <= current)[-periods:] if periods > 0 else []
    levels = []
    for period in chosen:
        rows, answers = by_period[period]
        levels.append(
            PeriodLevels(
                period,
                complete=period < current,
                services=service_levels(rows, promised, as_of=as_of, min_group=min_group),
                feedback=feedback_levels(answers, promised, min_group=min_group),
            )
        )
    return MeasuredReport(as_of, kind, min_group, tuple(levels))


# --- to JSON ----------------------------------------------------------------------------


def report_to_json(
    report: MeasuredReport, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The report as JSON-ready data; ``extra`` adds computed fields to each period by id."""
    return {
        "kind": KIND,
        "version": VERSION,
        "as_of": report.as_of.isoformat(),
        "period_kind": report.period_kind,
        "min_group": report.min_group,
        "periods": [
            {
                "id": levels.period.id,
                "complete": levels.complete,
                "services": {k: _service_json(v) for k, v in levels.services.items()},
                "feedback": {k: _feedback_json(v) for k, v in levels.feedback.items()},
                **(extra or {}).get(levels.period.id, {}),
            }
            for levels in report.periods
        ],
    }


def _metric_json(level: MetricLevel | None) -> dict[str, Any] | None:
    if level is None:
        return None
    return {
        "counted": level.counted,
        "met": level.met,
        "percent": round(level.percent, 1),
        "median_minutes": level.median_minutes,
        "p90_minutes": level.p90_minutes,
    }


def _service_json(level: ServiceLevel) -> dict[str, Any]:
    if level.hidden:
        return {"requests": level.requests, "hidden": True}
    out: dict[str, Any] = {"requests": level.requests, "hidden": False}
    for metric in METRICS:
        out[metric] = _metric_json(level.metric(metric))
    if level.priorities:
        out["priorities"] = {p: _service_json(v) for p, v in level.priorities.items()}
    return out


def _feedback_json(level: FeedbackLevel) -> dict[str, Any]:
    if level.hidden:
        return {"count": level.count, "hidden": True}
    return {
        "count": level.count,
        "hidden": False,
        "mean": level.mean,
        "distribution": list(level.distribution),
        "priorities": [{"priority": name, "count": n} for name, n in level.priorities],
    }


def write_report(path: Path, data: Mapping[str, Any]) -> None:
    """Write the report as UTF-8 JSON, atomically (a reader never sees half a file)."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


# --- from JSON --------------------------------------------------------------------------


def load_report(path: Path, display: str) -> MeasuredReport:
    """Read a report written by ``handbook report``; a HandbookError explains a bad one."""
    hint = "write it again with `handbook report --out " + display + "`"
    try:
        if path.stat().st_size > MAX_BYTES:
            raise _fail(display, f"the report is larger than {MAX_BYTES:,} bytes", hint)
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(display, "the measured report does not exist", hint) from None
    except (OSError, UnicodeDecodeError, RecursionError) as exc:
        raise _fail(display, f"cannot read the measured report: {exc}", hint) from None
    except json.JSONDecodeError as exc:
        raise _fail(display, f"invalid JSON: {exc.msg}", hint, exc.lineno, exc.colno) from None
    try:
        return _report(data)
    except (BadValueError, KeyError, TypeError) as exc:
        reason = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        raise _fail(display, f"not a measured report: {reason}", hint) from None


def _fail(display: str, message: str, hint: str, line: int = 0, column: int = 0) -> HandbookError:
    return HandbookError(
        [codes.MEASURED_REPORT.at(Location(display, line, column), message, hint=hint)]
    )


def _report(data: Any) -> MeasuredReport:
    obj = as_mapping(data, "the report")
    if obj.get("kind") != KIND or obj.get("version") != VERSION:
        raise BadValueError(f"expected kind {KIND!r} version {VERSION}")
    kind = obj["period_kind"]
    if kind not in ("quarter", "month"):
        raise BadValueError("period_kind must be quarter or month")
    as_of = dt.datetime.fromisoformat(as_text(obj["as_of"], "as_of"))
    if as_of.tzinfo is None:
        raise BadValueError("as_of needs a UTC offset")
    periods = tuple(_period(item, kind) for item in as_list(obj["periods"], "periods"))
    if list(periods) != sorted(periods, key=lambda p: p.period):
        raise BadValueError("periods must be in order, oldest first")
    return MeasuredReport(as_of, kind, as_count(obj["min_group"], "min_group", 1), periods)


def _period(item: Any, kind: str) -> PeriodLevels:
    obj = as_mapping(item, "a period")
    period = parse_period(as_text(obj["id"], "periods[].id"))
    if period is None or period.kind != kind:
        raise BadValueError(f"period id {obj['id']!r} is not a {kind}")
    complete = obj["complete"]
    if not isinstance(complete, bool):
        raise BadValueError("complete must be true or false")
    services = {_key(k): _service(v, k) for k, v in as_mapping(obj["services"], "services").items()}
    feedback = {
        _key(k): _feedback(v, k) for k, v in as_mapping(obj["feedback"], "feedback").items()
    }
    return PeriodLevels(period, complete, services, feedback)


def _service(value: Any, where: str) -> ServiceLevel:
    obj = as_mapping(value, where)
    requests = as_count(obj["requests"], f"{where}.requests")
    if obj.get("hidden") is True:
        return ServiceLevel(requests, hidden=True)
    response, resolution = (_metric(obj.get(m), f"{where}.{m}") for m in METRICS)
    priorities = {
        str(name): _service(level, f"{where}.priorities.{name}")
        for name, level in as_mapping(obj.get("priorities", {}), f"{where}.priorities").items()
    }
    return ServiceLevel(requests, False, response, resolution, priorities)


def _metric(value: Any, where: str) -> MetricLevel | None:
    if value is None:
        return None
    obj = as_mapping(value, where)
    counted = as_count(obj["counted"], f"{where}.counted", 1)
    met = as_count(obj["met"], f"{where}.met")
    if met > counted:
        raise BadValueError(f"{where}: met is more than counted")
    median, p90 = (_minutes(obj.get(f), f"{where}.{f}") for f in ("median_minutes", "p90_minutes"))
    return MetricLevel(counted, met, median, p90)


def _feedback(value: Any, where: str) -> FeedbackLevel:
    obj = as_mapping(value, where)
    count = as_count(obj["count"], f"{where}.count")
    if obj.get("hidden") is True:
        return FeedbackLevel(count, hidden=True)
    mean = as_mean(obj["mean"], where)
    dist = [as_count(n, f"{where}.distribution") for n in as_list(obj["distribution"], where)]
    if len(dist) != 5 or sum(dist) != count:
        raise BadValueError(f"{where}.distribution must be five counts adding up to count")
    chosen = tuple(
        (
            as_text(p["priority"], f"{where}.priorities"),
            as_count(p["count"], f"{where}.priorities"),
        )
        for p in as_list(obj.get("priorities", []), f"{where}.priorities")
    )
    distribution = (dist[0], dist[1], dist[2], dist[3], dist[4])
    return FeedbackLevel(count, False, float(mean), distribution, chosen)


def _key(value: str) -> str:
    if value.count("/") != 1:
        raise BadValueError(f"{value!r} is not '<role-id>/<commitment-id>'")
    return value


def _minutes(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadValueError(f"{where} must be a number of minutes")
    return int(value)

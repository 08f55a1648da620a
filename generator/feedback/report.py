"""The feedback report: per commitment, how many answered, how well, and what matters.

Groups with fewer than ``min_responses`` answers are suppressed — listed with
``"suppressed": true`` and no numbers — so that no single person's answer can
be singled out. The same threshold holds for each commitment's breakdown by
customer team and its trend by period (see :mod:`.groups`). Comments and
timestamps never appear in the report; time is shown as periods only.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Diagnostic, HandbookError, Location, Severity

if TYPE_CHECKING:  # reading a report needs no database driver
    from .groups import Size
    from .storage import FeedbackRow, Store

REPORT_VERSION = 2
READABLE_VERSIONS = (1, 2)
MAX_REPORT_BYTES = 32 * 1024 * 1024
RATINGS = range(1, 6)


@dataclass(frozen=True, slots=True)
class ReportEntry:
    """The aggregate for one ``<role-id>/<commitment-id>``; numbers are None when suppressed."""

    key: str
    count: int | None
    mean: float | None
    distribution: Mapping[int, int] | None
    priorities: tuple[tuple[str, int], ...]
    suppressed: bool
    verified: int | None = None
    """How many of the answers were verified (invitation or sign-on)."""
    teams: tuple[GroupFigures, ...] = ()
    """Customer teams with enough answers of their own."""
    trend: tuple[GroupFigures, ...] = ()
    """Periods with enough answers of their own, oldest first."""


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """Count and mean of one shown group of a breakdown (a team, a period)."""

    name: str
    count: int
    mean: float


@dataclass(frozen=True, slots=True)
class Report:
    """A loaded report: its period and one entry per key."""

    version: int
    since: str | None
    until: str | None
    min_responses: int
    entries: Mapping[str, ReportEntry] = field(default_factory=dict)
    counted: str = "all"
    """``all`` answers, or ``verified`` ones only."""

    def get(self, key: str) -> ReportEntry | None:
        """The entry for ``<role-id>/<commitment-id>``, if the report has one."""
        return self.entries.get(key)


class ReportError(HandbookError):
    """The report file can't be read or isn't a handbook feedback report."""

    def __init__(
        self, path: Path, message: str, hint: str = "", *, line: int = 0, column: int = 0
    ) -> None:
        location = Location(str(path), line, column)
        diagnostic = Diagnostic(
            Severity.ERROR, location, message, hint=hint, code="feedback-report"
        )
        super().__init__([diagnostic])


def build_report(
    store: Store,
    *,
    since: datetime | None,
    until: datetime | None,
    min_responses: int = 5,
    keys: Iterable[str] | None = None,
    verified_only: bool = False,
    period: str = "quarter",
) -> dict[str, Any]:
    """Aggregate the answers received in ``[since, until)``, JSON-ready.

    With ``keys``, every one of them has an entry (zero answers are suppressed
    like any small group) and answers for other keys are left out. With
    ``verified_only``, open answers are not counted.
    """
    from .groups import group_by, group_size  # noqa: PLC0415 - see TYPE_CHECKING above

    if min_responses < 1:
        raise ValueError("min_responses must be at least 1")
    wanted = None if keys is None else frozenset(keys)
    rows = store.rows(since, until, verified_only=verified_only)
    groups = group_by((row for row in rows if wanted is None or row.key in wanted), _row_key)
    for key in wanted or ():
        groups.setdefault(key, [])
    size = group_size(verified_only=verified_only, period=period)
    return {
        "version": REPORT_VERSION,
        "period": {"since": _iso(since), "until": _iso(until)},
        "min_responses": min_responses,
        "counted": "verified" if verified_only else "all",
        "trend_period": period,
        "entries": [
            _entry(key, groups[key], min_responses, size, period) for key in sorted(groups)
        ],
    }


def _row_key(row: FeedbackRow) -> str:
    return row.key


def _entry(
    key: str, rows: list[FeedbackRow], min_responses: int, size: Size, period: str
) -> dict[str, Any]:
    from .groups import group_by, shown  # noqa: PLC0415
    from .periods import period_label  # noqa: PLC0415

    if size(rows) < min_responses:
        return {"key": key, "suppressed": True}
    ratings = Counter(row.rating for row in rows)
    priorities = Counter(row.priority for row in rows if row.priority)
    ranked = sorted(priorities.items(), key=lambda item: (-item[1], item[0]))
    teams = shown(group_by(rows, lambda row: row.team), min_responses, size)
    periods = shown(
        group_by(rows, lambda row: period_label(row.created_at, period)), min_responses, size
    )
    return {
        "key": key,
        "suppressed": False,
        "count": len(rows),
        "verified": sum(1 for row in rows if row.verified),
        "mean": _mean_of(rows),
        "distribution": {str(rating): ratings.get(rating, 0) for rating in RATINGS},
        "priorities": [{"priority": name, "count": count} for name, count in ranked],
        "teams": [_figures("team", name, teams[name]) for name in sorted(teams)],
        "trend": [_figures("period", name, periods[name]) for name in sorted(periods)],
    }


def _figures(kind: str, name: str, rows: Sequence[FeedbackRow]) -> dict[str, Any]:
    return {kind: name, "count": len(rows), "mean": _mean_of(rows)}


def _mean_of(rows: Sequence[FeedbackRow]) -> float:
    return round(sum(row.rating for row in rows) / len(rows), 2)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def write_report(path: Path, report: Mapping[str, Any]) -> None:
    """Write the report as UTF-8 JSON (atomically: a reader never sees half a file)."""
    text = json.dumps(report, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def load_report(path: Path) -> Report:
    """Read and check a report written by :func:`write_report`; raise :class:`ReportError`."""
    data = _read_json(path)
    hint = "create it with `handbook feedback report --out FILE`"
    try:
        return _parse_report(data)
    except KeyError as exc:
        raise ReportError(path, f"not a feedback report: missing field {exc}", hint) from None
    except (TypeError, ValueError) as exc:
        raise ReportError(path, f"not a valid feedback report: {exc}", hint) from None


def _read_json(path: Path) -> object:
    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            raise ReportError(path, f"the report is larger than {MAX_REPORT_BYTES} bytes")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ReportError(path, "the feedback report does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(path, f"cannot read the feedback report: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(
            path, f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno
        ) from None
    except RecursionError:
        raise ReportError(path, "invalid JSON: nested too deeply") from None


def _parse_report(data: object) -> Report:
    obj = _mapping(data, "the report")
    version = obj.get("version")
    if version not in READABLE_VERSIONS:
        raise ValueError(f"unsupported version {version!r} (expected {REPORT_VERSION})")
    counted = obj.get("counted", "all")
    if counted not in ("all", "verified"):
        raise ValueError("counted must be 'all' or 'verified'")
    period = _mapping(obj["period"], "period")
    entries = [
        _parse_entry(item, index) for index, item in enumerate(_list(obj["entries"], "entries"))
    ]
    by_key = {entry.key: entry for entry in entries}
    if len(by_key) != len(entries):
        raise ValueError("a key appears in more than one entry")
    return Report(
        version=version,
        since=_optional_str(period.get("since"), "period.since"),
        until=_optional_str(period.get("until"), "period.until"),
        min_responses=_count(obj["min_responses"], "min_responses", minimum=1),
        entries=by_key,
        counted=counted,
    )


def _parse_entry(item: object, index: int) -> ReportEntry:
    where = f"entries[{index}]"
    obj = _mapping(item, where)
    key = obj["key"]
    if not isinstance(key, str) or key.count("/") != 1:
        raise ValueError(f"{where}.key must be '<role-id>/<commitment-id>'")
    suppressed = obj["suppressed"]
    if not isinstance(suppressed, bool):
        raise ValueError(f"{where}.suppressed must be true or false")
    if suppressed:
        if set(obj) - {"key", "suppressed"}:
            raise ValueError(f"{where} is suppressed but carries numbers")
        return ReportEntry(key, None, None, None, (), True)
    count = _count(obj["count"], f"{where}.count", minimum=1)
    distribution = _distribution(obj["distribution"], where, count)
    return ReportEntry(
        key=key,
        count=count,
        mean=_mean(obj["mean"], where),
        distribution=distribution,
        priorities=_priorities(obj.get("priorities", []), where),
        suppressed=False,
        verified=_optional_count(obj.get("verified"), f"{where}.verified", count),
        teams=_breakdown(obj.get("teams", []), f"{where}.teams", "team"),
        trend=_breakdown(obj.get("trend", []), f"{where}.trend", "period"),
    )


def _optional_count(value: object, where: str, most: int) -> int | None:
    if value is None:
        return None
    counted = _count(value, where)
    if counted > most:
        raise ValueError(f"{where} is larger than count")
    return counted


def _breakdown(value: object, where: str, kind: str) -> tuple[GroupFigures, ...]:
    figures = []
    for item in _list(value, where):
        obj = _mapping(item, f"{where}[]")
        name = obj[kind]
        if not isinstance(name, str):
            raise ValueError(f"{where}[].{kind} must be text")
        count = _count(obj["count"], f"{where}[].count", minimum=1)
        figures.append(GroupFigures(name, count, _mean(obj["mean"], f"{where}[]")))
    return tuple(figures)


def _distribution(value: object, where: str, count: int) -> dict[int, int]:
    obj = _mapping(value, f"{where}.distribution")
    if set(obj) != {str(rating) for rating in RATINGS}:
        raise ValueError(f"{where}.distribution must have the keys '1' to '5'")
    result = {rating: _count(obj[str(rating)], f"{where}.distribution") for rating in RATINGS}
    if sum(result.values()) != count:
        raise ValueError(f"{where}.distribution does not add up to count")
    return result


def _priorities(value: object, where: str) -> tuple[tuple[str, int], ...]:
    ranked = []
    for item in _list(value, f"{where}.priorities"):
        obj = _mapping(item, f"{where}.priorities[]")
        name = obj["priority"]
        if not isinstance(name, str):
            raise ValueError(f"{where}.priorities[].priority must be text")
        ranked.append((name, _count(obj["count"], f"{where}.priorities[].count", minimum=1)))
    return tuple(ranked)


def _mean(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where}.mean must be a number")
    if not (math.isfinite(value) and 1 <= value <= 5):
        raise ValueError(f"{where}.mean must lie between 1 and 5")
    return float(value)


def _count(value: object, where: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{where} must be a whole number ≥ {minimum}")
    return value


def _mapping(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{where} must be an object")
    return value


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{where} must be a list")
    return value


def _optional_str(value: object, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{where} must be text or null")
    return value

"""Reading the feedback report: per commitment, how many answered, how well, what matters.

The report is written by ``handbook feedback report`` (:mod:`generator.feedback.report`);
reading it needs neither the web framework nor a database driver.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import codes
from generator.diagnostics.values import HandbookError, Location
from generator.measure.json_values import as_count, as_list, as_mapping, as_mean

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
        super().__init__([codes.FEEDBACK_REPORT.at(location, message, hint=hint)])


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
    obj = as_mapping(data, "the report")
    version = obj.get("version")
    if version not in READABLE_VERSIONS:
        raise ValueError(f"unsupported version {version!r} (expected {REPORT_VERSION})")
    counted = obj.get("counted", "all")
    if counted not in ("all", "verified"):
        raise ValueError("counted must be 'all' or 'verified'")
    period = as_mapping(obj["period"], "period")
    entries = [
        _parse_entry(item, index) for index, item in enumerate(as_list(obj["entries"], "entries"))
    ]
    by_key = {entry.key: entry for entry in entries}
    if len(by_key) != len(entries):
        raise ValueError("a key appears in more than one entry")
    return Report(
        version=version,
        since=_optional_str(period.get("since"), "period.since"),
        until=_optional_str(period.get("until"), "period.until"),
        min_responses=as_count(obj["min_responses"], "min_responses", minimum=1),
        entries=by_key,
        counted=counted,
    )


def _parse_entry(item: object, index: int) -> ReportEntry:
    where = f"entries[{index}]"
    obj = as_mapping(item, where)
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
    count = as_count(obj["count"], f"{where}.count", minimum=1)
    distribution = _distribution(obj["distribution"], where, count)
    return ReportEntry(
        key=key,
        count=count,
        mean=as_mean(obj["mean"], where),
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
    counted = as_count(value, where)
    if counted > most:
        raise ValueError(f"{where} is larger than count")
    return counted


def _breakdown(value: object, where: str, kind: str) -> tuple[GroupFigures, ...]:
    figures = []
    for item in as_list(value, where):
        obj = as_mapping(item, f"{where}[]")
        name = obj[kind]
        if not isinstance(name, str):
            raise ValueError(f"{where}[].{kind} must be text")
        count = as_count(obj["count"], f"{where}[].count", minimum=1)
        figures.append(GroupFigures(name, count, as_mean(obj["mean"], f"{where}[]")))
    return tuple(figures)


def _distribution(value: object, where: str, count: int) -> dict[int, int]:
    obj = as_mapping(value, f"{where}.distribution")
    if set(obj) != {str(rating) for rating in RATINGS}:
        raise ValueError(f"{where}.distribution must have the keys '1' to '5'")
    result = {rating: as_count(obj[str(rating)], f"{where}.distribution") for rating in RATINGS}
    if sum(result.values()) != count:
        raise ValueError(f"{where}.distribution does not add up to count")
    return result


def _priorities(value: object, where: str) -> tuple[tuple[str, int], ...]:
    ranked = []
    for item in as_list(value, f"{where}.priorities"):
        obj = as_mapping(item, f"{where}.priorities[]")
        name = obj["priority"]
        if not isinstance(name, str):
            raise ValueError(f"{where}.priorities[].priority must be text")
        ranked.append((name, as_count(obj["count"], f"{where}.priorities[].count", minimum=1)))
    return tuple(ranked)


def _optional_str(value: object, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{where} must be text or null")
    return value

"""The feedback report: per commitment, how many answered, how well, and what matters.

Groups with fewer than ``min_responses`` answers are suppressed — listed with
``"suppressed": true`` and no numbers — so that no single person's answer can
be singled out. The same threshold holds for each commitment's breakdown by
customer team and its trend by period (see :mod:`.groups`). Comments and
timestamps never appear in the report; time is shown as periods only.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.measure.feedback_report import RATINGS, REPORT_VERSION

if TYPE_CHECKING:  # reading a report needs no database driver
    from generator.feedback.groups import Size
    from generator.feedback.storage import FeedbackRow, Store


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
    from generator.feedback.groups import group_by, group_size  # noqa: PLC0415 - see TYPE_CHECKING above

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
    from generator.feedback.groups import group_by, shown  # noqa: PLC0415
    from generator.feedback.periods import period_label  # noqa: PLC0415

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

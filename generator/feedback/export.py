"""Answers of a period as CSV for HR and analysis tools, with nothing that singles anyone out.

- Time is coarsened to the period (``2026-Q1``) or, on request, the date.
- Rows are written only for groups (commitment and period, or date) with at
  least ``min_responses`` answers, as the report counts them; within a group
  they are sorted by their values, not by when they arrived.
- The customer team is shown only for teams with enough answers of their own
  in the group (and only if the hidden rest is empty or large enough too).
- Comments go to a file of their own, without rating, team or date, so a
  comment can't be joined to a rating row.

Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from generator.feedback.groups import group_by, group_size, shown
from generator.feedback.periods import period_label
from generator.feedback.storage import FeedbackRow, Store

COLUMNS = ("period", "key", "role_id", "commitment_id", "rating", "priority", "team")
DATED_COLUMNS = ("date", *COLUMNS[1:])
COMMENT_COLUMNS = ("period", "key", "role_id", "commitment_id", "comment")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class ExportRules:
    """How coarse an export is."""

    min_responses: int = 5
    period: str = "quarter"
    by_date: bool = False
    verified_only: bool = False


def export_csv(
    store: Store,
    out: TextIO,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    rules: ExportRules | None = None,
) -> int:
    """Write the rating rows of ``[since, until)`` to ``out``; return how many."""
    rules = rules or ExportRules()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(DATED_COLUMNS if rules.by_date else COLUMNS)
    written = 0
    for when, rows in _groups(store, since, until, rules, by_date=rules.by_date):
        size = group_size(verified_only=rules.verified_only, period=rules.period)
        teams = shown(group_by(rows, lambda row: row.team), rules.min_responses, size)
        cells = [_cells(when, row, row.team if row.team in teams else None) for row in rows]
        for line in sorted(cells, key=_order):
            writer.writerow(line)
            written += 1
    return written


def export_comments(
    store: Store,
    out: TextIO,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    rules: ExportRules | None = None,
) -> int:
    """Write the comments of ``[since, until)`` to ``out``, by period; return how many."""
    rules = rules or ExportRules()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COMMENT_COLUMNS)
    written = 0
    for when, rows in _groups(store, since, until, rules, by_date=False):
        key = rows[0].key
        role_id, commitment_id = rows[0].role_id, rows[0].commitment_id
        for comment in sorted(row.comment for row in rows if row.comment):
            writer.writerow([_defuse(v) for v in (when, key, role_id, commitment_id, comment)])
            written += 1
    return written


def _groups(
    store: Store,
    since: datetime | None,
    until: datetime | None,
    rules: ExportRules,
    *,
    by_date: bool,
) -> Iterator[tuple[str, list[FeedbackRow]]]:
    """Groups of (commitment, period or date) large enough to export, in a stable order."""
    size = group_size(verified_only=rules.verified_only, period=rules.period)

    def bucket(row: FeedbackRow) -> tuple[str, str]:
        when = row.created_at.date().isoformat() if by_date else None
        return row.key, when or period_label(row.created_at, rules.period)

    groups = group_by(store.rows(since, until, verified_only=rules.verified_only), bucket)
    for (_key, when), rows in sorted(groups.items()):
        if size(rows) >= rules.min_responses:
            yield when, rows


def _order(cells: list[str]) -> tuple[str, ...]:
    """Rating, priority, shown team: nothing about when or in what order rows arrived."""
    return tuple(cells[4:])


def _cells(when: str, row: FeedbackRow, team: str | None) -> list[str]:
    values = [
        when,
        row.key,
        row.role_id,
        row.commitment_id,
        str(row.rating),
        row.priority or "",
        team or "",
    ]
    return [_defuse(value) for value in values]


def _defuse(cell: str) -> str:
    """Keep spreadsheets from evaluating a cell as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell

"""Every answer of a period as CSV, one row per answer, for HR and analysis tools.

The export includes comments. They are anonymous, but free text can still
identify its writer, and single answers are not protected by the report's
minimum group size: treat the file as confidential. Cells that a spreadsheet
would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
from datetime import datetime
from typing import TextIO

from generator.feedback.storage import FeedbackRow, Store

COLUMNS = (
    "created_at",
    "key",
    "role_id",
    "commitment_id",
    "rating",
    "priority",
    "team",
    "comment",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_csv(
    store: Store,
    out: TextIO,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    include_comments: bool = True,
) -> int:
    """Write the answers received in ``[since, until)`` to ``out``; return how many."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    written = 0
    for row in store.rows(since, until):
        writer.writerow(_cells(row, include_comments=include_comments))
        written += 1
    return written


def _cells(row: FeedbackRow, *, include_comments: bool) -> list[str]:
    comment = row.comment if include_comments and row.comment else ""
    values = [
        row.created_at.isoformat(),
        row.key,
        row.role_id,
        row.commitment_id,
        str(row.rating),
        row.priority or "",
        row.team or "",
        comment,
    ]
    return [_defuse(value) for value in values]


def _defuse(cell: str) -> str:
    """Keep spreadsheets from evaluating a cell as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell

"""Which groups of answers are large enough to show, so that no answer can be singled out.

A group is shown only when it has at least ``k`` answers — in verified-only
counting, only when one period alone has ``k`` verified answers, since the same
signed-on person may have answered once in each period. When some groups of a
breakdown are shown, the rest taken together must be empty or large enough too;
otherwise the totals would give the hidden rest away by subtraction, so the
smallest shown groups are hidden as well until it is.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

from generator.feedback.periods import period_label
from generator.feedback.storage import FeedbackRow

K = TypeVar("K", bound=Hashable)
Size = Callable[[Sequence[FeedbackRow]], int]


def group_size(*, verified_only: bool, period: str) -> Size:
    """How large a group counts as: its answers, or its largest period's verified ones."""
    if not verified_only:
        return len

    def people(rows: Sequence[FeedbackRow]) -> int:
        per_period: dict[str, int] = {}
        for row in rows:
            label = period_label(row.created_at, period)
            per_period[label] = per_period.get(label, 0) + 1
        return max(per_period.values(), default=0)

    return people


def group_by(
    rows: Iterable[FeedbackRow], key: Callable[[FeedbackRow], K]
) -> dict[K, list[FeedbackRow]]:
    """Rows by ``key``, in the order first seen."""
    groups: dict[K, list[FeedbackRow]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return groups


def shown(
    groups: Mapping[K | None, Sequence[FeedbackRow]], k: int, size: Size
) -> dict[K, Sequence[FeedbackRow]]:
    """The groups that may be shown; the ``None`` group (no value given) never is.

    Applies the complementary rule: the rows of hidden groups, together, are
    either none or at least ``k`` as ``size`` counts.
    """
    visible: dict[K, Sequence[FeedbackRow]] = {
        name: rows for name, rows in groups.items() if name is not None and size(rows) >= k
    }
    while visible:
        rest = [row for name, rows in groups.items() if name not in visible for row in rows]
        if not rest or size(rest) >= k:
            break
        smallest = min(visible, key=lambda name: (len(visible[name]), str(name)))
        del visible[smallest]
    return visible

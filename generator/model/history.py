"""A role's history as values: the dated commits that changed it for people."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.changes import Change


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One commit that changed what a role means for people."""

    date: str
    """Commit date, ``YYYY-MM-DD``."""
    subject: str
    """The commit's subject line: why the change was made."""
    sha: str
    """Abbreviated commit id."""
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class RoleHistory:
    """A role's history, newest first."""

    entries: tuple[HistoryEntry, ...] = ()
    complete: bool = True
    """False when older changes exist but are not listed (a shallow clone, or the limit)."""
    shallow: bool = False
    """True when the repository is a shallow clone, so older history is unavailable."""

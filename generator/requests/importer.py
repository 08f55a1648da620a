"""Importing one export file: read, check every record, store the good ones.

Bad records are reported (``file:line: error: column: message``) and skipped;
the rest are stored in one transaction, so that a file that can't be read
leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.requests.formats import Format
from generator.requests.mapping import ExportMapping
from generator.requests.reader import ExportFileError, records, resolve_header
from generator.requests.rows import Problem, Request, Rules, Skipped, interpret
from generator.requests.store import BATCH, Saved, Writer

PROGRESS_EVERY = 10_000


class SetupError(Exception):
    """The format, mapping and options don't fit together; nothing was read."""


@dataclass(frozen=True, slots=True)
class Plan:
    """How to read one export: its format, the mapping's overrides and the checks."""

    fmt: Format
    columns: Mapping[str, str]
    delimiter: str
    rules: Rules


@dataclass(slots=True)
class Summary:
    """What an import did."""

    records: int = 0
    saved: Saved = field(default_factory=Saved)
    skipped: int = 0
    bad: int = 0


def plan(
    fmt: Format, mapping: ExportMapping, *, source: str, allowed: Mapping[str, frozenset[str]]
) -> Plan:
    """Combine a format and a mapping; raise :class:`SetupError` when they can't work."""
    if fmt.local_times and mapping.timezone is None:
        raise SetupError(
            f"{fmt.name} exports write local times without an offset: "
            "give the mapping's 'timezone' (e.g. timezone: Europe/Warsaw)"
        )
    rules = Rules(
        source=source,
        allowed=allowed,
        commitments=mapping.commitments,
        priorities=mapping.priorities,
        date_formats=mapping.date_formats or fmt.date_formats,
        zone=mapping.timezone,
    )
    return Plan(fmt, mapping.columns, mapping.delimiter or fmt.delimiter, rules)


def import_file(
    path: Path,
    how: Plan,
    writer: Writer,
    *,
    on_problem: Callable[[Problem], None],
    on_progress: Callable[[int], None] | None = None,
) -> Summary:
    """Import every good record of ``path``; report each problem as it is found.

    Raises :class:`ExportFileError` when the file can't be read as the export.
    """
    summary = Summary()
    batch: list[Request] = []
    seen: dict[str, int] = {}
    try:
        stream = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise ExportFileError(0, f"cannot read the file: {error.strerror or error}") from None
    with stream:
        rows = records(stream, how.delimiter)
        first = next(rows, None)
        if first is None:
            raise ExportFileError(1, "the file is empty: an export starts with its header")
        header = resolve_header(first[1], how.fmt, how.columns, line=first[0])
        for line, cells in rows:
            summary.records += 1
            outcome = interpret(line, cells, header, how.rules)
            if isinstance(outcome, Request):
                earlier = seen.setdefault(outcome.request_id, line)
                if earlier != line:
                    outcome = [_repeated(line, header.name("id"), outcome.request_id, earlier)]
            if isinstance(outcome, Skipped):
                summary.skipped += 1
            elif isinstance(outcome, Request):
                batch.append(outcome)
                if len(batch) >= BATCH:
                    summary.saved += writer.save(batch)
                    batch.clear()
            else:
                summary.bad += 1
                for problem in outcome:
                    on_problem(problem)
            if on_progress is not None and summary.records % PROGRESS_EVERY == 0:
                on_progress(summary.records)
    summary.saved += writer.save(batch)
    return summary


def _repeated(line: int, column: str, request_id: str, earlier: int) -> Problem:
    return Problem(line, column, f"{request_id!r} is in the file already (line {earlier})")

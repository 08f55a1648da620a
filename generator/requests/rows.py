"""One record of an export checked against the organisation and turned into a request.

A bad record gives every problem found in it: an empty id, an unknown
commitment, a priority that the commitment's targets don't name, a time that
can't be read, a response or resolution before the opening.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from generator.requests.reader import Header
from generator.requests.timestamps import TimestampError, parse_timestamp

MAX_ID = 128


@dataclass(frozen=True, slots=True)
class Request:
    """A request as stored: its identity, what it asked for, and when (UTC)."""

    source: str
    request_id: str
    commitment: str
    priority: str
    opened: datetime
    first_response: datetime | None = None
    resolved: datetime | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a record was skipped: its first line, the column and what is wrong."""

    line: int
    column: str
    message: str

    def describe(self, file: str) -> str:
        """``file:line: error: column: message``."""
        return f"{file}:{self.line}: error: {self.column}: {self.message}"


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record the mapping leaves out on purpose (its commitment value maps to null)."""

    line: int


@dataclass(frozen=True, slots=True)
class Rules:
    """What records are checked against, and how their values are read."""

    source: str
    allowed: Mapping[str, frozenset[str]]
    """Commitment key → the priority ids of its targets."""
    commitments: Mapping[str, str | None] | None = None
    priorities: Mapping[str, str] | None = None
    date_formats: tuple[str, ...] = ()
    zone: tzinfo | None = None


Outcome = Request | Skipped | list[Problem]
Report = Callable[[str, str], None]


def interpret(line: int, cells: Sequence[str], header: Header, rules: Rules) -> Outcome:
    """The request a record describes, a deliberate skip, or its problems."""
    problems: list[Problem] = []

    def problem(field: str, message: str) -> None:
        problems.append(Problem(line, header.name(field), message))

    request_id = header.value("id", cells)
    if not request_id:
        problem("id", "empty id")
    elif len(request_id) > MAX_ID:
        problem("id", f"an id of {len(request_id)} characters (at most {MAX_ID})")
    raw_commitment = header.value("commitment", cells)
    if rules.commitments is not None and rules.commitments.get(raw_commitment, "") is None:
        return Skipped(line)
    commitment = _commitment(raw_commitment, rules, problem)
    priority = _priority(header.value("priority", cells), commitment, rules, problem)
    times = _times(cells, header, rules, problem)
    if problems or commitment is None or priority is None or times is None:
        return problems
    opened, first_response, resolved = times
    return Request(rules.source, request_id, commitment, priority, opened, first_response, resolved)


def _commitment(value: str, rules: Rules, report: Report) -> str | None:
    if rules.commitments is not None:
        if value not in rules.commitments:
            shown = f"{value!r}" if value else "an empty value"
            report("commitment", f"no commitment for {shown} in the mapping's commitments")
            return None
        key = rules.commitments[value]
    else:
        key = value
    if not key:
        report("commitment", "empty commitment")
        return None
    if key not in rules.allowed:
        report("commitment", f"unknown commitment {key!r}")
        return None
    return key


def _priority(value: str, commitment: str | None, rules: Rules, report: Report) -> str | None:
    if rules.priorities is not None:
        if value not in rules.priorities:
            shown = f"{value!r}" if value else "an empty value"
            report("priority", f"no priority for {shown} in the mapping's priorities")
            return None
        value = rules.priorities[value]
    if not value:
        report("priority", "empty priority")
        return None
    if commitment is not None and value not in rules.allowed[commitment]:
        named = ", ".join(sorted(rules.allowed[commitment]))
        report("priority", f"{commitment} has no target for priority {value!r} (it has {named})")
        return None
    return value


def _times(
    cells: Sequence[str], header: Header, rules: Rules, report: Report
) -> tuple[datetime, datetime | None, datetime | None] | None:
    parsed: dict[str, datetime | None] = {}
    texts = {
        field: header.value(field, cells) for field in ("opened", "first_response", "resolved")
    }
    failed = False
    for field, text in texts.items():
        if not text:
            parsed[field] = None
            if field == "opened":
                report(field, "empty opening time")
                failed = True
            continue
        try:
            parsed[field] = parse_timestamp(text, formats=rules.date_formats, zone=rules.zone)
        except TimestampError as error:
            report(field, str(error))
            failed = True
    opened = parsed.get("opened")
    if failed or opened is None:
        return None
    for field, what in (("first_response", "first response"), ("resolved", "resolution")):
        moment = parsed[field]
        if moment is not None and moment < opened:
            report(field, f"{what} {texts[field]!r} is before the opening {texts['opened']!r}")
            failed = True
    return None if failed else (opened, parsed["first_response"], parsed["resolved"])

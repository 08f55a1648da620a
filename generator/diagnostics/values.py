"""The one error vocabulary: locations, diagnostics and their reporters."""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.diagnostics import escape


class Severity(enum.IntEnum):
    """How serious a diagnostic is; ordered so that ``max()`` finds the worst."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Read ``info``/``warning``/``error`` (case-insensitive)."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}; use error, warning or info") from None


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file; ``line`` and ``column`` are 1-based, 0 when unknown."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        if not self.column:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about the input: where, what, and how to fix it."""

    severity: Severity
    location: Location
    message: str
    path: str = ""
    hint: str = ""
    code: str = ""
    source_line: str = ""

    def with_severity(self, severity: Severity) -> Diagnostic:
        """Return a copy with another severity."""
        return Diagnostic(
            severity, self.location, self.message, self.path, self.hint, self.code, self.source_line
        )

    @property
    def headline(self) -> str:
        """``file:line:col: severity: $.path: message [code]`` on one line."""
        path = f"{self.path}: " if self.path else ""
        code = f" [{self.code}]" if self.code else ""
        return f"{self.location}: {self.severity}: {path}{self.message}{code}"

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping."""
        return {
            "severity": str(self.severity),
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "path": self.path,
            "message": self.message,
            "hint": self.hint,
            "code": self.code,
        }


def json_path(parts: Sequence[str | int]) -> str:
    """Spell a data path as ``$.a.b[0]`` (keys that are not identifiers are quoted)."""
    out = ["$"]
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part.replace("_", "a").replace("-", "a").isalnum():
            out.append(f".{part}")
        else:
            out.append(f"[{json.dumps(part, ensure_ascii=False)}]")
    return "".join(out)


def sort_key(diag: Diagnostic) -> tuple[str, int, int, int]:
    """Order by file, line, column, then worst first."""
    loc = diag.location
    return (loc.file, loc.line, loc.column, -int(diag.severity))


def format_text(diag: Diagnostic) -> str:
    """The human format: headline, the source line with a caret, then the hint.

    Everything taken from the input is shown with its invisible characters escaped, so a
    file, key or value cannot move the cursor, recolour the terminal or reorder the line.
    """
    lines = [escape.terminal(diag.headline)]
    loc = diag.location
    if diag.source_line and loc.line:
        number = str(loc.line)
        gutter = " " * len(number)
        lines.append(f"    {number} | {_shown_source(diag.source_line.rstrip())}")
        if loc.column:
            before = _shown_source(diag.source_line[: loc.column - 1])
            lines.append(f"    {gutter} | {' ' * len(before)}^")
    if diag.hint:
        lines.append(f"  hint: {escape.terminal(diag.hint)}")
    return "\n".join(lines)


def _shown_source(text: str) -> str:
    """A source line as shown under a headline: tabs as one space, the rest escaped."""
    return escape.terminal(text.replace("\t", " "))


def format_github(diag: Diagnostic) -> str:
    """A GitHub Actions workflow command that annotates the file and line."""
    kind = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}[
        diag.severity
    ]
    props = [f"file={escape.github_property(diag.location.file)}"]
    if diag.location.line:
        props.append(f"line={diag.location.line}")
    if diag.location.column:
        props.append(f"col={diag.location.column}")
    title = f"{diag.code} {diag.path}".strip() or "handbook"
    props.append(f"title={escape.github_property(title)}")
    body = diag.message + (f"\n{diag.hint}" if diag.hint else "")
    return f"::{kind} {','.join(props)}::{escape.github_message(body)}"


def format_json(diags: Iterable[Diagnostic]) -> str:
    """All diagnostics as one JSON document."""
    items = [d.as_dict() for d in diags]
    counts = {str(s): sum(1 for d in items if d["severity"] == str(s)) for s in Severity}
    return json.dumps({"diagnostics": items, "counts": counts}, ensure_ascii=False, indent=2)


def worst(diags: Iterable[Diagnostic]) -> Severity | None:
    """The most serious severity present, or None for no diagnostics."""
    return max((d.severity for d in diags), default=None)


class HandbookError(Exception):
    """A problem that stops a command: reported to its user as one clear message, no traceback.

    It carries either the diagnostics that explain it or, for a problem outside the
    handbook's files (a missing folder, a git failure), a message. ``exit_status`` is the
    command's exit status: 1, or 2 for a usage error.
    """

    exit_status = 1

    def __init__(
        self, problem: str | Sequence[Diagnostic], *, exit_status: int | None = None
    ) -> None:
        if exit_status is not None:
            self.exit_status = exit_status
        if isinstance(problem, str):
            self.diagnostics: list[Diagnostic] = []
            super().__init__(problem)
            return
        self.diagnostics = list(problem)
        first = self.diagnostics[0].headline if self.diagnostics else "invalid handbook"
        more = len(self.diagnostics) - 1
        super().__init__(first + (f" (and {more} more)" if more > 0 else ""))

    def explain(self) -> str:
        """Everything the user needs to read: every diagnostic, or the message."""
        if self.diagnostics:
            return "\n".join(format_text(d) for d in self.diagnostics)
        return str(self)

"""The one error vocabulary: locations, diagnostics and their reporters."""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

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


class Catalog(Protocol):
    """What translates a message: a gettext catalog (``i18n.translations(language)``)."""

    def gettext(self, message: str, /) -> str:
        """``message`` translated."""
        ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        """The plural form of a message for ``n``."""
        ...


@dataclass(frozen=True, slots=True)
class Msg:
    """A message in words a catalog can translate: its English template and its values.

    Values are shown with ``%(name)s``; a value that is itself a :class:`Msg` is
    translated too. ``str()`` gives the English text.
    """

    template: str
    args: tuple[tuple[str, object], ...] = ()
    plural: str = ""
    """The plural template, when the message depends on ``count``."""
    count: int = 0

    def render(self, catalog: Catalog | None = None) -> str:
        """The message in the catalog's language (English without one)."""
        if self.plural:
            if catalog is None:
                template = self.template if self.count == 1 else self.plural
            else:
                template = catalog.ngettext(self.template, self.plural, self.count)
        else:
            template = catalog.gettext(self.template) if catalog is not None else self.template
        if not self.args and not self.plural:
            return template
        values = {k: v.render(catalog) if isinstance(v, Msg) else v for k, v in self.args}
        return template % values

    def __str__(self) -> str:
        return self.render()


def msg(template: str, **args: object) -> Msg:
    """A translatable message; ``make catalog`` extracts ``template``."""
    return Msg(template, tuple(args.items()))


def msg_plural(singular: str, plural: str, count: int, **args: object) -> Msg:
    """A translatable message whose form follows ``count`` (also given as ``%(count)s``)."""
    return Msg(singular, (("count", count), *args.items()), plural, count)


Text = str | Msg
"""A message or hint: plain text, or words a catalog translates."""


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
    words: Msg | None = dataclasses.field(default=None, compare=False)
    """The message as words a catalog translates (``message`` is their English)."""
    hint_words: Msg | None = dataclasses.field(default=None, compare=False)
    """The hint as words a catalog translates."""

    @classmethod
    def of(
        cls,
        severity: Severity,
        location: Location,
        message: Text,
        *,
        path: str = "",
        hint: Text = "",
        code: str = "",
        source_line: str = "",
    ) -> Diagnostic:
        """A diagnostic whose message and hint may be translatable words."""
        return cls(
            severity,
            location,
            str(message),
            path,
            str(hint),
            code,
            source_line,
            message if isinstance(message, Msg) else None,
            hint if isinstance(hint, Msg) else None,
        )

    def with_severity(self, severity: Severity) -> Diagnostic:
        """Return a copy with another severity."""
        return dataclasses.replace(self, severity=severity)

    def localized(self, catalog: Catalog | None) -> Diagnostic:
        """A copy with the message and hint in the catalog's language."""
        if catalog is None:
            return self
        message = self.words.render(catalog) if self.words else self.message
        hint = self.hint_words.render(catalog) if self.hint_words else self.hint
        return dataclasses.replace(self, message=message, hint=hint)

    @property
    def headline(self) -> str:
        """``file:line:col: severity: $.path: message [code]`` on one line."""
        return self.headline_in(None)

    def headline_in(self, catalog: Catalog | None) -> str:
        """The headline with the severity in the catalog's language."""
        path = f"{self.path}: " if self.path else ""
        code = f" [{self.code}]" if self.code else ""
        severity = SEVERITY_WORDS[self.severity].render(catalog)
        return f"{self.location}: {severity}: {path}{self.message}{code}"

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


SEVERITY_WORDS: Mapping[Severity, Msg] = {
    Severity.ERROR: msg("error"),
    Severity.WARNING: msg("warning"),
    Severity.INFO: msg("info"),
}
"""How a headline names each severity."""
HINT_LINE = msg("hint: %(hint)s")


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


def format_text(diag: Diagnostic, catalog: Catalog | None = None) -> str:
    """The human format: headline, the source line with a caret, then the hint.

    Everything taken from the input is shown with its invisible characters escaped, so a
    file, key or value cannot move the cursor, recolour the terminal or reorder the line.
    With ``catalog``, the words are in its language.
    """
    diag = diag.localized(catalog)
    lines = [escape.terminal(diag.headline_in(catalog))]
    loc = diag.location
    if diag.source_line and loc.line:
        number = str(loc.line)
        gutter = " " * len(number)
        lines.append(f"    {number} | {_shown_source(diag.source_line.rstrip())}")
        if loc.column:
            before = _shown_source(diag.source_line[: loc.column - 1])
            lines.append(f"    {gutter} | {' ' * len(before)}^")
    if diag.hint:
        hint = msg(HINT_LINE.template, hint=escape.terminal(diag.hint))
        lines.append(f"  {hint.render(catalog)}")
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
        self, problem: Text | Sequence[Diagnostic], *, exit_status: int | None = None
    ) -> None:
        if exit_status is not None:
            self.exit_status = exit_status
        self.words = problem if isinstance(problem, Msg) else None
        if isinstance(problem, str | Msg):
            self.diagnostics: list[Diagnostic] = []
            super().__init__(str(problem))
            return
        self.diagnostics = list(problem)
        first = self.diagnostics[0].headline if self.diagnostics else "invalid handbook"
        more = len(self.diagnostics) - 1
        super().__init__(first + (f" (and {more} more)" if more > 0 else ""))

    def explain(self, catalog: Catalog | None = None) -> str:
        """Everything the user needs to read: every diagnostic, or the message."""
        if self.diagnostics:
            return "\n".join(format_text(d, catalog) for d in self.diagnostics)
        return self.words.render(catalog) if self.words else str(self)

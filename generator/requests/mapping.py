"""Mapping files: how one organisation's export maps onto commitments and priorities.

A mapping is strict YAML (the loader of role files), checked against a small
JSON Schema and against the organisation; every problem is a diagnostic with
``file:line:col``::

    format: jira                  # generic, jira or glpi (or --format)
    source: it-service-desk       # stored with each request (default: the format's name)
    timezone: Europe/Warsaw       # zone of times written without an offset
    date_format: "%d/%b/%y %I:%M %p"   # strptime format(s) of those times
    delimiter: ","                # one character
    columns:                      # header names, when they differ from the format's
      id: Issue key
      first_response: Custom field ([CHART] Date of First Response)
    commitments:                  # commitment column value → role-id/commitment-id
      Get IT help: it-helpdesk-technician/it-help
      Feature request: null       # not a commitment: skipped without a complaint
    priorities:                   # priority column value → configured priority id
      Highest: urgent
      Medium: normal

Without ``commitments`` (or ``priorities``) the column's values must already
be commitment keys (priority ids), as in the generic CSV.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from generator.diagnostics.values import Diagnostic
from generator.load.strict_yaml import Document, load_yaml
from generator.requests.formats import FIELDS, FORMATS

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
KEY_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$"
_TEXT = {"type": "string", "minLength": 1}

SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "format": {"enum": sorted(FORMATS)},
        "source": {"type": "string", "pattern": ID_PATTERN, "maxLength": 64},
        "timezone": _TEXT,
        "date_format": {"anyOf": [_TEXT, {"type": "array", "items": _TEXT, "minItems": 1}]},
        "delimiter": {"type": "string", "minLength": 1, "maxLength": 1},
        "columns": {
            "type": "object",
            "additionalProperties": False,
            "properties": dict.fromkeys(FIELDS, _TEXT),
        },
        "commitments": {
            "type": "object",
            "additionalProperties": {"type": ["string", "null"], "pattern": KEY_PATTERN},
        },
        "priorities": {
            "type": "object",
            "additionalProperties": {"type": "string", "pattern": ID_PATTERN},
        },
    },
}
_FIELDS_OF: dict[tuple[str, ...], list[str]] = {
    (): sorted(SCHEMA["properties"]),
    ("columns",): list(FIELDS),
}


@dataclass(frozen=True, slots=True)
class ExportMapping:
    """What a mapping file says; every part is optional."""

    file: str = ""
    format: str | None = None
    source: str | None = None
    timezone: tzinfo | None = None
    date_formats: tuple[str, ...] = ()
    delimiter: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    commitments: Mapping[str, str | None] | None = None
    priorities: Mapping[str, str] | None = None


def load_mapping(
    path: Path, *, commitments: Collection[str], priorities: Sequence[str]
) -> tuple[ExportMapping | None, list[Diagnostic]]:
    """Read, check and build the mapping at ``path`` (None while there are diagnostics)."""
    doc, diags = load_yaml(path)
    if doc is None:
        return None, diags
    diags = check_schema(doc)
    if diags:
        return None, diags
    diags = [*_check_values(doc), *_check_targets(doc, commitments, priorities)]
    if diags:
        return None, diags
    return build(doc), []


def check_schema(doc: Document) -> list[Diagnostic]:
    """Every way ``doc`` breaks the mapping schema, as diagnostics in file order."""
    if not isinstance(doc.data, dict):
        return [
            doc.diagnostic(
                (),
                "a mapping file must be a mapping of fields (format, columns, commitments, …)",
                hint="write one field per line as 'name: value'",
            )
        ]
    diags = [
        doc.diagnostic(path, message, hint=hint, key=key)
        for error in _validator().iter_errors(doc.data)
        for path, message, hint, key in _explain(error)
    ]
    return sorted(diags, key=lambda d: (d.location.line, d.location.column, d.message))


def build(doc: Document) -> ExportMapping:
    """The mapping of a document that passed every check."""
    data: dict[str, Any] = doc.data
    formats = data.get("date_format", ())
    return ExportMapping(
        file=doc.file,
        format=data.get("format"),
        source=data.get("source"),
        timezone=ZoneInfo(data["timezone"]) if "timezone" in data else None,
        date_formats=(formats,) if isinstance(formats, str) else tuple(formats),
        delimiter=data.get("delimiter"),
        columns=dict(data.get("columns", {})),
        commitments=_stripped(data.get("commitments")),
        priorities=_stripped(data.get("priorities")),
    )


def _stripped(table: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A value table keyed by its keys without surrounding spaces (as cells are read)."""
    return None if table is None else {key.strip(): value for key, value in table.items()}


# --- checks beyond the schema ---------------------------------------------------------


def _check_values(doc: Document) -> Iterator[Diagnostic]:
    data: dict[str, Any] = doc.data
    if "timezone" in data and not _is_zone(data["timezone"]):
        yield doc.diagnostic(
            ("timezone",),
            f"unknown time zone {data['timezone']!r}",
            hint="use an IANA name such as Europe/Warsaw or UTC",
        )
    formats = data.get("date_format", ())
    for index, fmt in enumerate([formats] if isinstance(formats, str) else formats):
        if not _is_date_format(fmt):
            where = ("date_format",) if isinstance(formats, str) else ("date_format", index)
            yield doc.diagnostic(
                where,
                f"{fmt!r} is not a date format that reads back what it writes",
                hint="use strptime codes, e.g. '%d/%b/%y %I:%M %p' or '%Y-%m-%d %H:%M'",
            )


def _check_targets(
    doc: Document, commitments: Collection[str], priorities: Sequence[str]
) -> Iterator[Diagnostic]:
    data: dict[str, Any] = doc.data
    for value, key in data.get("commitments", {}).items():
        if key is not None and key not in commitments:
            yield doc.diagnostic(
                ("commitments", value),
                f"unknown commitment {key!r}",
                hint=_suggest(key, commitments, "role-id/commitment-id of a role file"),
            )
    for value, priority in data.get("priorities", {}).items():
        if priority not in priorities:
            yield doc.diagnostic(
                ("priorities", value),
                f"{priority!r} is not a configured priority",
                hint=f"the handbook's priorities are {', '.join(priorities)}",
            )


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _is_date_format(fmt: str) -> bool:
    sample = datetime(2026, 11, 6, 15, 30)
    try:
        return datetime.strptime(sample.strftime(fmt), fmt) == sample
    except ValueError:
        return False


def _suggest(value: str, known: Collection[str], otherwise: str) -> str:
    close = difflib.get_close_matches(value, list(known), n=1)
    return f"did you mean {close[0]!r}?" if close else f"use the {otherwise}"


# --- schema errors in words --------------------------------------------------------------


@functools.cache
def _validator() -> Validator:
    from jsonschema import Draft202012Validator  # noqa: PLC0415 - loaded on first use

    validator: Validator = Draft202012Validator(SCHEMA)
    return validator


_TYPE_WORDS = {"string": "text", "object": "a mapping of fields", "array": "a list", "null": "null"}

Explained = tuple[tuple[str | int, ...], str, str, bool]


def _explain(error: ValidationError) -> Iterator[Explained]:
    path = tuple(error.absolute_path)
    label = _label(path)
    kind = error.validator
    instance: Any = error.instance
    expected: Any = error.validator_value
    if kind == "additionalProperties":
        allowed = _FIELDS_OF.get(tuple(str(part) for part in path), [])
        for key in sorted(set(instance) - set(allowed)):
            yield (*path, key), f"unknown field {key!r}", f"use {', '.join(allowed)}", True
    elif kind == "type":
        kinds = [expected] if isinstance(expected, str) else expected
        words = [_TYPE_WORDS.get(kind, kind) for kind in kinds]
        yield path, f"{label} must be {' or '.join(words)}", "", False
    elif kind == "pattern":
        yield path, f"{label}: {instance!r} {_pattern_words(path)}", "", False
    elif kind == "enum":
        choices = ", ".join(map(str, expected))
        yield path, f"{label} must be one of {choices}", "", False
    elif kind in ("minLength", "minItems"):
        yield path, f"{label} must not be empty", "", False
    elif kind == "maxLength":
        yield path, f"{label} is too long (at most {expected} characters)", "", False
    elif kind == "anyOf":
        yield path, f"{label} must be text or a list of texts", "", False
    else:
        yield path, f"{label}: {error.message}", "", False


def _label(path: tuple[str | int, ...]) -> str:
    if not path:
        return "the mapping"
    if len(path) == 2 and path[0] in ("commitments", "priorities"):
        return f"{path[0]}[{path[1]!r}]"
    return ".".join(str(part) for part in path)


def _pattern_words(path: tuple[str | int, ...]) -> str:
    if path[:1] == ("commitments",):
        return "is not a commitment key (role-id/commitment-id)"
    return "is not an id (lowercase letters and digits, joined by single hyphens)"

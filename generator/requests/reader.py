"""Streaming an export's records with the physical line each one starts on.

Line numbers count the file's own lines (the header is line 1), so a record
after a quoted cell that spans lines is reported where an editor shows it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

from generator.requests.formats import FIELDS, Format

FIELD_LIMIT = 16 * 1024 * 1024  # a description may be long; a cell larger than this is refused
_SHOWN_COLUMNS = 12


class ExportFileError(Exception):
    """The file can't be read as the export it should be; nothing of it is imported."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class Header:
    """Where each field is: its column positions (a name may repeat) and its name."""

    positions: Mapping[str, tuple[int, ...]]
    names: Mapping[str, str]

    def value(self, field: str, cells: Sequence[str]) -> str:
        """The field's first non-empty cell in ``cells``, stripped ('' when absent)."""
        for index in self.positions.get(field, ()):
            if index < len(cells) and cells[index].strip():
                return cells[index].strip()
        return ""

    def name(self, field: str) -> str:
        """The header name shown in messages about ``field``."""
        return self.names.get(field, field)


def records(stream: TextIO, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of every non-blank record of ``stream``, the header first.

    ``stream`` must be opened with ``newline=""`` so that quoted line breaks stay
    inside their cells.
    """
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    previous = 0
    try:
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                yield start, cells
    except csv.Error as error:
        advice = ""
        if previous == 0:  # the header itself: most likely another delimiter
            advice = f"; is it separated by {delimiter!r}? If not, set 'delimiter' in the mapping"
        raise ExportFileError(reader.line_num, f"not readable as CSV: {error}{advice}") from None
    except UnicodeDecodeError:
        raise ExportFileError(
            previous + 1, "not UTF-8 text; export the file as UTF-8 (CSV UTF-8)"
        ) from None


def resolve_header(
    cells: Sequence[str], fmt: Format, renamed: Mapping[str, str], *, line: int = 1
) -> Header:
    """Find every field's columns, by the mapping's names or else the format's.

    Names are matched ignoring case and runs of spaces. A missing column that
    the format needs raises :class:`ExportFileError` naming every one missing.
    """
    where: dict[str, list[int]] = {}
    for index, cell in enumerate(cells):
        where.setdefault(_normal(cell), []).append(index)
    positions: dict[str, tuple[int, ...]] = {}
    names: dict[str, str] = {}
    missing: list[str] = []
    for field in FIELDS:
        candidates = (renamed[field],) if field in renamed else fmt.columns[field]
        found = next((name for name in candidates if _normal(name) in where), None)
        if found is not None:
            positions[field] = tuple(where[_normal(found)])
            names[field] = found
        elif field in renamed or (field not in fmt.optional and candidates):
            missing.append(f"{candidates[0]!r} ({field})")
    if missing:
        raise ExportFileError(line, _missing_message(missing, cells, fmt))
    return Header(positions, names)


def _missing_message(missing: Sequence[str], cells: Sequence[str], fmt: Format) -> str:
    present = [cell.strip() for cell in cells if cell.strip()]
    shown = ", ".join(repr(cell) for cell in present[:_SHOWN_COLUMNS])
    more = f" and {len(present) - _SHOWN_COLUMNS} more" if len(present) > _SHOWN_COLUMNS else ""
    advice = "name the right ones under 'columns' in the mapping"
    if len(present) == 1 and any(mark in present[0] for mark in ",;\t|"):
        advice = f"the file seems not to be separated by {fmt.delimiter!r}: set 'delimiter'"
    return (
        f"the header has no column {', '.join(missing)} for the {fmt.name} format "
        f"(it has {shown}{more}); {advice}"
    )


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()

"""Running `handbook requests …` and reading what it stored."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select

from generator.cli import main
from generator.requests.rows import Request
from generator.requests.store import open_store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "requests"


def handbook(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """Run the command line; return (exit status, stdout, stderr)."""
    capsys.readouterr()
    status = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def import_file(
    capsys: pytest.CaptureFixture[str], url: str, file: Path, *options: str | Path
) -> tuple[int, str]:
    """``handbook requests import FILE`` into ``url`` for the example handbook."""
    status, _out, err = handbook(
        capsys, "requests", "import", file, "-C", ROOT, "--database", url, *options
    )
    return status, err


def stored(url: str) -> dict[tuple[str, str], Request]:
    """Every stored request by (source, id)."""
    store = open_store(url)
    try:
        return {(r.source, r.request_id): r for r in store.requests()}
    finally:
        store.close()


def every_stored_text(url: str) -> str:
    """Every value of every table of the database, as one text (to look for names)."""
    store = open_store(url)
    try:
        meta = MetaData()
        meta.reflect(store.engine)
        values: list[str] = []
        with store.engine.connect() as conn:
            for table in meta.sorted_tables:
                for row in conn.execute(select(table)):
                    values.extend(str(value) for value in row)
        return "\n".join(values)
    finally:
        store.close()


def export_output(
    capsys: pytest.CaptureFixture[str], url: str, *options: str
) -> tuple[list[dict[str, str]], str]:
    """``handbook requests export`` of the example handbook: its rows and its messages."""
    status, out, err = handbook(capsys, "requests", "export", ROOT, "--database", url, *options)
    assert status == 0, err
    return list(csv.DictReader(io.StringIO(out))), err


def export_rows(
    capsys: pytest.CaptureFixture[str], url: str, *options: str
) -> list[dict[str, str]]:
    """The rows of ``handbook requests export`` of the example handbook."""
    return export_output(capsys, url, *options)[0]


def utc(text: str) -> datetime:
    """An ISO 8601 time with offset, as an aware datetime."""
    return datetime.fromisoformat(text)


def line_of(text: str, marker: str) -> int:
    """The 1-based line of ``text`` on which ``marker`` first appears."""
    return text[: text.index(marker)].count("\n") + 1

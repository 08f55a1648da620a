"""Bad rows are reported with their file's line number and skipped; the rest is imported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from request_helpers import EXAMPLES, ROOT, import_file, line_of, stored

HEADER = "id,commitment,priority,opened,first_response,resolved,note"
HELP = "it-helpdesk-technician/it-help"
OPENED = "2026-11-06T15:30:00+01:00"
LATER = "2026-11-06T16:00:00+01:00"

# (id, the rest of the row, the column reported, words of the message)
BAD = [
    ("B-COMMITMENT", f"nobody/nothing,urgent,{OPENED},,", "commitment", "'nobody/nothing'"),
    ("B-PRIORITY", f"{HELP},whenever,{OPENED},,", "priority", "'whenever'"),
    ("B-TIME", f"{HELP},urgent,yesterday afternoon,,", "opened", "'yesterday afternoon'"),
    ("B-NAIVE", f"{HELP},urgent,2026-11-06T15:30:00,,", "opened", "no UTC offset"),
    ("B-RESPONSE", f"{HELP},urgent,{LATER},{OPENED},", "first_response", "before the opening"),
    ("B-RESOLVED", f"{HELP},urgent,{LATER},,{OPENED}", "resolved", "before the opening"),
    ("B-EMPTY-OPENED", f"{HELP},urgent,,,", "opened", "empty"),
]


def write_bad_file(tmp_path: Path) -> tuple[Path, str]:
    lines = [
        HEADER,
        f"G-FIRST,{HELP},urgent,{OPENED},{LATER},,plain",
        f'G-MULTI,{HELP},normal,{OPENED},,,"a note\r\nover three\r\nlines, with a comma"',
    ]
    lines += [f"{rid},{rest},{rid}" for rid, rest, _column, _words in BAD]
    lines += [
        f",{HELP},urgent,{OPENED},,,B-NO-ID",
        f"G-FIRST,{HELP},normal,{OPENED},,,B-AGAIN",
        f"B-TWO,{HELP},whenever,tomorrow,,,B-TWO",
        "",
        f'G-LAST,{HELP},urgent,{OPENED},,,"after ""quotes"" and a blank line"',
    ]
    text = "\r\n".join(lines) + "\r\n"
    path = tmp_path / "requests.csv"
    path.write_bytes(text.encode("utf-8"))
    return path, text


def problems(err: str, path: Path) -> list[tuple[int, str, str]]:
    pattern = re.compile(rf"^{re.escape(str(path))}:(\d+): error: ([^:]+): (.*)$", re.MULTILINE)
    return [(int(line), column, message) for line, column, message in pattern.findall(err)]


def test_every_bad_row_kind_is_reported_where_it_is_and_skipped(
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path
) -> None:
    path, text = write_bad_file(tmp_path)

    status, err = import_file(capsys, database_url, path)

    assert status == 0, err
    found = problems(err, path)
    for rid, _rest, column, words in BAD:
        line = line_of(text, rid)
        on_line = [(c, m) for n, c, m in found if n == line]
        assert [c for c, _m in on_line] == [column], (rid, err)
        assert words in on_line[0][1], (rid, err)
    assert (line_of(text, "B-NO-ID"), "id", "empty id") in found
    again = [m for n, c, m in found if n == line_of(text, "B-AGAIN") and c == "id"]
    assert again == [f"'G-FIRST' is in the file already (line {line_of(text, 'G-FIRST')})"]
    two = {c for n, c, _m in found if n == line_of(text, "B-TWO")}
    assert two == {"priority", "opened"}
    bad_rows = len(BAD) + 3
    assert f"{bad_rows} bad rows skipped" in err
    assert sorted(rid for _source, rid in stored(database_url)) == ["G-FIRST", "G-LAST", "G-MULTI"]


def test_lines_are_counted_past_quoted_line_breaks(
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path
) -> None:
    path, text = write_bad_file(tmp_path)
    _status, err = import_file(capsys, database_url, path)
    first_bad = line_of(text, BAD[0][0])
    # the multi-line note takes lines 3 to 5, so the first bad row is on line 6
    assert line_of(text, "G-MULTI") == 3
    assert first_bad == 6
    assert (6, "commitment") in {(n, c) for n, c, _m in problems(err, path)}


def test_strict_stores_nothing_and_fails(
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path
) -> None:
    path, _text = write_bad_file(tmp_path)
    status, err = import_file(capsys, database_url, path, "--strict")
    assert status == 1
    assert "nothing was stored (--strict)" in err
    assert problems(err, path)
    assert stored(database_url) == {}


def test_jira_values_the_mapping_does_not_know(
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path
) -> None:
    text = (EXAMPLES / "jira-service-management.csv").read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    where = [
        header.index(name)
        for name in ("Custom field (Request Type)", "Issue id", "Priority", "Created", "Summary")
    ]
    extra = [
        ["Order a pizza", "10900", "Blocker", "06/Nov/26 3:30 PM", "ORDER-PIZZA"],
        ["Get IT help", "10901", "High", "31/Nov/26 3:30 PM", "NO-SUCH-DAY"],
        ["Get IT help", "10902", "High", "29/Mar/26 2:30 AM", "SKIPPED-HOUR"],
    ]
    rows = []
    for values in extra:
        cells = [""] * len(header)
        for index, value in zip(where, values, strict=True):
            cells[index] = value
        rows.append(",".join(cells))
    path = tmp_path / "jira.csv"
    path.write_text(text + "\n".join(rows) + "\n", encoding="utf-8")
    full = path.read_text(encoding="utf-8")

    status, err = import_file(
        capsys, database_url, path, "--mapping", EXAMPLES / "jira-mapping.yaml"
    )

    assert status == 0, err
    found = problems(err, path)
    pizza = line_of(full, "ORDER-PIZZA")
    assert {(c, m) for n, c, m in found if n == pizza} == {
        (
            "Custom field (Request Type)",
            "no commitment for 'Order a pizza' in the mapping's commitments",
        ),
        ("Priority", "no priority for 'Blocker' in the mapping's priorities"),
    }
    assert any(
        n == line_of(full, "NO-SUCH-DAY") and c == "Created" and "31/Nov/26" in m
        for n, c, m in found
    )
    assert any(
        n == line_of(full, "SKIPPED-HOUR") and c == "Created" and "does not exist" in m
        for n, c, m in found
    )
    ids = {rid for _source, rid in stored(database_url)}
    assert not ids & {"10900", "10901", "10902"}
    assert "10412" in ids


# --- files that can't be imported at all ---------------------------------------------------


def test_a_missing_column_stops_the_import(
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "short.csv"
    path.write_text(f"id,commitment,priority,opened,first_response\nX-1,{HELP},urgent,{OPENED},\n")
    status, err = import_file(capsys, database_url, path)
    assert status == 1
    assert f"{path}:1: error: the header has no column 'resolved' (resolved)" in err
    assert stored(database_url) == {}


def test_a_glpi_file_with_another_delimiter_says_so(
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path
) -> None:
    original = (EXAMPLES / "glpi-tickets.csv").read_text(encoding="utf-8-sig")
    path = tmp_path / "glpi.csv"
    path.write_text(original.replace('";"', '","'), encoding="utf-8-sig")
    status, err = import_file(
        capsys, database_url, path, "--mapping", EXAMPLES / "glpi-mapping.yaml"
    )
    assert status == 1
    assert "set 'delimiter'" in err


def test_a_file_in_a_legacy_encoding_imports_nothing(
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "cp1250.csv"
    rows = [HEADER] + [f"G-{n},{HELP},urgent,{OPENED},,,ok" for n in range(3)]
    rows.append(f"G-PL,{HELP},urgent,{OPENED},,,Zażółć gęślą jaźń")
    path.write_bytes("\n".join(rows).encode("cp1250"))
    status, err = import_file(capsys, database_url, path)
    assert status == 1
    assert "not UTF-8" in err
    assert stored(database_url) == {}


def test_an_unclosed_quote_imports_nothing(
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "broken.csv"
    path.write_text(
        f'{HEADER}\nG-1,{HELP},urgent,{OPENED},,,ok\nG-2,{HELP},urgent,{OPENED},,,"never closed\n'
    )
    status, err = import_file(capsys, database_url, path)
    assert status == 1
    assert f"{path}:" in err
    assert "not readable as CSV" in err
    assert stored(database_url) == {}


def test_a_missing_file_is_one_line(capsys: pytest.CaptureFixture[str], database_url: str) -> None:
    status, err = import_file(capsys, database_url, ROOT / "no-such-export.csv")
    assert status == 1
    assert err.count("\n") == 1
    assert "cannot read the file" in err


@pytest.mark.parametrize(
    ("url", "words"),
    [
        (
            "postgresql+psycopg://nobody:secret@127.0.0.1:9/none",
            "cannot open the requests database",
        ),
        ("mysql://localhost/handbook", "SQLite or PostgreSQL"),
        ("sqlite://", "must be a file"),
    ],
)
def test_a_database_that_cannot_be_used_is_one_line(
    capsys: pytest.CaptureFixture[str], url: str, words: str
) -> None:
    status, err = import_file(capsys, url, EXAMPLES / "generic.csv")
    assert status == 1
    assert err.count("\n") == 1
    assert words in err

"""`handbook requests export`: the stored requests with minutes and met targets."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from request_helpers import EXAMPLES, export_output, export_rows, import_file, utc

from generator.project import Project
from generator.requests.export import COLUMNS
from generator.requests.rows import Request
from generator.requests.store import open_store

HEADER = "id,commitment,priority,opened,first_response,resolved\n"
HELP = "it-helpdesk-technician/it-help"  # business hours; urgent 30m / 4h, normal 4h / 2d
SECURITY = "head-of-technology/security-incidents"  # always; urgent 15m / 4h


def write(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "requests.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def by_id(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in rows}


def test_columns_are_the_six_of_the_import_then_the_computed_ones(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    import_file(capsys, database_url, EXAMPLES / "generic.csv")
    rows = export_rows(capsys, database_url)
    assert tuple(rows[0]) == COLUMNS
    assert COLUMNS[:6] == ("id", "commitment", "priority", "opened", "first_response", "resolved")
    assert COLUMNS[6:10] == (
        "response_minutes",
        "resolution_minutes",
        "response_met",
        "resolution_met",
    )
    assert len(rows) == 5


def test_always_commitments_count_wall_clock_minutes(
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path
) -> None:
    opened, response, resolved = (
        "2026-11-07T22:05:00+01:00",
        "2026-11-07T22:21:30+01:00",
        "2026-11-08T01:40:00+01:00",
    )
    path = write(tmp_path, [f"S-1,{SECURITY},urgent,{opened},{response},{resolved}"])
    import_file(capsys, database_url, path)

    (row,) = export_rows(capsys, database_url)

    assert int(row["response_minutes"]) == (utc(response) - utc(opened)) // timedelta(minutes=1)
    assert int(row["resolution_minutes"]) == (utc(resolved) - utc(opened)) // timedelta(minutes=1)
    assert row["response_met"] == "false"  # 16 minutes against 15m
    assert row["resolution_met"] == "true"  # 3 h 35 min against 4h
    assert utc(row["opened"]) == utc(opened)


def test_business_commitments_count_working_minutes(
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        [
            # Friday 15:30 to Monday 08:15 in London (08:00-16:00): 30 + 15 working minutes
            f"B-WEEKEND,{HELP},urgent,2026-11-06T16:30:00+01:00,2026-11-09T09:15:00+01:00,",
            # 06:00 (before opening hours) to 09:00 in London: one working hour
            f"B-EARLY,{HELP},normal,2026-11-10T07:00:00+01:00,2026-11-10T10:00:00+01:00,"
            "2026-11-12T10:00:00+01:00",
            f"B-WAITING,{HELP},normal,2026-11-10T07:00:00+01:00,,",
        ],
    )
    import_file(capsys, database_url, path)

    rows = by_id(export_rows(capsys, database_url))

    assert rows["B-WEEKEND"]["response_minutes"] == "45"
    assert rows["B-WEEKEND"]["response_met"] == "false"
    assert rows["B-WEEKEND"]["resolution_minutes"] == ""
    assert rows["B-WEEKEND"]["resolution_met"] == ""
    assert rows["B-EARLY"]["response_minutes"] == "60"
    assert rows["B-EARLY"]["response_met"] == "true"
    # Tuesday 08:00 to Thursday 09:00 in London: two working days of 8 hours and one hour
    assert rows["B-EARLY"]["resolution_minutes"] == str(2 * 8 * 60 + 60)
    assert rows["B-EARLY"]["resolution_met"] == "false"  # 2d is 16 working hours
    assert [rows["B-WAITING"][c] for c in COLUMNS[4:10]] == [""] * 6


def test_public_holidays_of_the_calendar_do_not_count(
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path
) -> None:
    # The example works 08:00-16:00 in London with England's public holidays: Christmas
    # Day (Friday 25 December 2026) and Boxing Day, observed on Monday 28 December.
    path = write(
        tmp_path,
        [f"B-XMAS,{HELP},normal,2026-12-24T15:00:00+00:00,2026-12-29T08:30:00+00:00,"],
    )
    import_file(capsys, database_url, path)
    (row,) = export_rows(capsys, database_url)
    assert row["response_minutes"] == str(60 + 30)  # Thursday 15:00-16:00, Tuesday 08:00-08:30
    assert row["response_met"] == "true"  # normal: 4h


def test_only_one_source(capsys: pytest.CaptureFixture[str], database_url: str) -> None:
    import_file(capsys, database_url, EXAMPLES / "generic.csv")
    import_file(
        capsys,
        database_url,
        EXAMPLES / "jira-service-management.csv",
        "--mapping",
        EXAMPLES / "jira-mapping.yaml",
    )
    everything = export_rows(capsys, database_url)
    jira = export_rows(capsys, database_url, "--source", "it-service-desk")
    assert {row["source"] for row in everything} == {"generic", "it-service-desk"}
    assert {row["source"] for row in jira} == {"it-service-desk"}
    assert len(jira) < len(everything)
    assert [row["opened"] for row in everything] == sorted(row["opened"] for row in everything)


def test_cells_that_look_like_formulas_are_defused(
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path
) -> None:
    hostile = ['=HYPERLINK("http://evil.example","x")', "+1", "-2", "@SUM(A1)"]
    rows = [
        f'"{rid.replace(chr(34), chr(34) * 2)}",{HELP},urgent,2026-11-06T15:30:00+01:00,,'
        for rid in hostile
    ]
    import_file(capsys, database_url, write(tmp_path, rows))
    exported = {row["id"] for row in export_rows(capsys, database_url)}
    assert exported == {"'" + rid for rid in hostile}


def test_requests_of_a_commitment_that_is_gone(
    capsys: pytest.CaptureFixture[str], database_url: str, project: Project
) -> None:
    store = open_store(database_url)
    opened = utc("2026-11-06T15:30:00+01:00")
    try:
        with store.writing() as writer:
            writer.save(
                [Request("old", "X-1", "retired-role/old-service", "urgent", opened, opened)]
            )
    finally:
        store.close()
    assert "retired-role/old-service" not in project.organisation.feedback_keys()

    (row,), err = export_output(capsys, database_url)

    assert row["commitment"] == "retired-role/old-service"
    assert [row[c] for c in COLUMNS[6:10]] == [""] * 4
    assert "1 of them names a commitment the handbook no longer has" in err


def test_export_to_a_file(
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path
) -> None:
    import_file(capsys, database_url, EXAMPLES / "generic.csv")
    out = tmp_path / "levels.csv"
    rows = export_rows(capsys, database_url, "--out", str(out))
    assert rows == []
    written = out.read_text(encoding="utf-8").splitlines()
    assert written[0] == ",".join(COLUMNS)
    assert len(written) == 6

"""`handbook requests import` on real files, on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from request_helpers import EXAMPLES, every_stored_text, import_file, stored, utc

GENERIC = EXAMPLES / "generic.csv"
JIRA = EXAMPLES / "jira-service-management.csv"
JIRA_MAPPING = EXAMPLES / "jira-mapping.yaml"
GLPI = EXAMPLES / "glpi-tickets.csv"
GLPI_MAPPING = EXAMPLES / "glpi-mapping.yaml"
WARSAW = ZoneInfo("Europe/Warsaw")


def csv_rows(path: Path, delimiter: str = ",") -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        header, *rows = list(csv.reader(stream, delimiter=delimiter))
    return header, rows


def dict_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def cells_of(header: list[str], row: list[str], name: str) -> list[str]:
    return [row[i] for i, column in enumerate(header) if column == name and i < len(row)]


def local(text: str, fmt: str) -> datetime:
    """A local Warsaw time written as ``fmt``, in UTC."""
    return datetime.strptime(text, fmt).replace(tzinfo=WARSAW).astimezone(UTC)


# --- the generic CSV ---------------------------------------------------------------------


def test_generic_file_is_stored_in_utc_and_without_names(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    status, err = import_file(capsys, database_url, GENERIC)
    assert status == 0, err
    rows = dict_rows(GENERIC)
    found = stored(database_url)
    assert set(found) == {("generic", row["id"]) for row in rows}
    for row in rows:
        request = found[("generic", row["id"])]
        assert (request.commitment, request.priority) == (row["commitment"], row["priority"])
        assert request.opened == utc(row["opened"])
        assert request.opened.utcoffset() == timedelta(0)
        for name in ("first_response", "resolved"):
            expected = utc(row[name]) if row[name] else None
            assert getattr(request, name) == expected
    text = every_stored_text(database_url)
    for row in rows:
        assert row["requester"] not in text
    assert f"{len(rows)} new, 0 updated, 0 unchanged" in err


def test_importing_the_same_file_again_changes_nothing(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    import_file(capsys, database_url, GENERIC)
    before = stored(database_url)
    status, err = import_file(capsys, database_url, GENERIC)
    assert status == 0, err
    assert f"0 new, 0 updated, {len(before)} unchanged" in err
    assert stored(database_url) == before


def test_a_later_export_updates_what_changed(
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path
) -> None:
    import_file(capsys, database_url, GENERIC)
    before = stored(database_url)
    rows = dict_rows(GENERIC)
    waiting = next(row for row in rows if not row["resolved"])
    waiting["resolved"] = "2026-11-09T11:00:00+01:00"
    later = tmp_path / "later.csv"
    with later.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    status, err = import_file(capsys, database_url, later)

    assert status == 0, err
    assert f"0 new, 1 updated, {len(rows) - 1} unchanged" in err
    after = stored(database_url)
    key = ("generic", waiting["id"])
    assert after[key].resolved == utc("2026-11-09T11:00:00+01:00")
    assert {k: v for k, v in after.items() if k != key} == {
        k: v for k, v in before.items() if k != key
    }


def test_the_same_ids_from_another_source_are_other_requests(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    import_file(capsys, database_url, GENERIC)
    status, err = import_file(capsys, database_url, GENERIC, "--source", "old-helpdesk")
    assert status == 0, err
    sources = [source for source, _ in stored(database_url)]
    assert sorted(set(sources)) == ["generic", "old-helpdesk"]
    assert sources.count("generic") == sources.count("old-helpdesk")


def test_dry_run_stores_nothing(capsys: pytest.CaptureFixture[str], database_url: str) -> None:
    status, err = import_file(capsys, database_url, GENERIC, "--dry-run")
    assert status == 0, err
    assert "dry run: nothing was stored" in err
    assert stored(database_url) == {}


# --- Jira Service Management ---------------------------------------------------------------


def test_jira_export_through_its_mapping(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    status, err = import_file(capsys, database_url, JIRA, "--mapping", JIRA_MAPPING)

    assert status == 0, err
    mapping = yaml.safe_load(JIRA_MAPPING.read_text(encoding="utf-8"))
    header, rows = csv_rows(JIRA)
    found = stored(database_url)
    jira_time = "%d/%b/%y %I:%M %p"
    expected_ids = set()
    for row in rows:
        (request_type,) = cells_of(header, row, "Custom field (Request Type)")
        (issue_id,) = cells_of(header, row, "Issue id")
        commitment = mapping["commitments"][request_type]
        if commitment is None:
            assert ("it-service-desk", issue_id) not in found
            continue
        expected_ids.add(("it-service-desk", issue_id))
        request = found[("it-service-desk", issue_id)]
        (priority,) = cells_of(header, row, "Priority")
        assert request.commitment == commitment
        assert request.priority == mapping["priorities"][priority]
        (created,) = cells_of(header, row, "Created")
        assert request.opened == local(created, jira_time)
        (first,) = cells_of(header, row, "Custom field ([CHART] Date of First Response)")
        assert request.first_response == (local(first, jira_time) if first else None)
        (resolved,) = cells_of(header, row, "Resolved")
        assert request.resolved == (local(resolved, jira_time) if resolved else None)
    assert set(found) == expected_ids
    assert "1 left out by the mapping" in err


def test_jira_local_times_follow_summer_and_winter_time(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    import_file(capsys, database_url, JIRA, "--mapping", JIRA_MAPPING)
    found = stored(database_url)
    # 06/Nov/26 3:30 PM in Warsaw is winter time (UTC+1), 15/Jul/26 9:00 AM summer time (UTC+2)
    assert found[("it-service-desk", "10412")].opened == utc("2026-11-06T14:30:00+00:00")
    assert found[("it-service-desk", "10401")].opened == utc("2026-07-15T07:00:00+00:00")


def test_jira_names_and_texts_are_never_stored(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    import_file(capsys, database_url, JIRA, "--mapping", JIRA_MAPPING)
    header, rows = csv_rows(JIRA)
    people = ("Assignee", "Reporter", "Creator", "Watchers", "Custom field (Request participants)")
    names = {cell for row in rows for column in people for cell in cells_of(header, row, column)}
    names.discard("")
    assert len(names) > 5
    text = every_stored_text(database_url)
    for name in names:
        assert name not in text
    for row in rows:
        for column in ("Summary", "Description"):
            (value,) = cells_of(header, row, column)
            assert value not in text


# --- GLPI ---------------------------------------------------------------------------------------


def test_glpi_export_through_its_mapping(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    assert GLPI.read_bytes().startswith(b"\xef\xbb\xbf")
    status, err = import_file(capsys, database_url, GLPI, "--mapping", GLPI_MAPPING)

    assert status == 0, err
    mapping = yaml.safe_load(GLPI_MAPPING.read_text(encoding="utf-8"))
    header, rows = csv_rows(GLPI, ";")
    found = stored(database_url)
    glpi_time = "%Y-%m-%d %H:%M"
    kept = 0
    for row in rows:
        (ticket,) = cells_of(header, row, "ID")
        (category,) = cells_of(header, row, "Category")
        commitment = mapping["commitments"][category]
        key = ("glpi-helpdesk", ticket)
        if commitment is None:
            assert key not in found
            continue
        kept += 1
        request = found[key]
        assert request.commitment == commitment
        (priority,) = cells_of(header, row, "Priority")
        assert request.priority == mapping["priorities"][priority]
        (opened,) = cells_of(header, row, "Opening date")
        assert request.opened == local(opened, glpi_time)
        (resolved,) = cells_of(header, row, "Resolution date")
        assert request.resolved == (local(resolved, glpi_time) if resolved else None)
        assert request.first_response is None
    assert len(found) == kept
    text = every_stored_text(database_url)
    for row in rows:
        for column in ("Requester - Requester", "Assigned to - Technician", "Title"):
            (value,) = cells_of(header, row, column)
            assert not value or value not in text


def test_glpi_export_again_changes_nothing(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    import_file(capsys, database_url, GLPI, "--mapping", GLPI_MAPPING)
    before = stored(database_url)
    status, err = import_file(capsys, database_url, GLPI, "--mapping", GLPI_MAPPING)
    assert status == 0, err
    assert f"0 new, 0 updated, {len(before)} unchanged" in err
    assert stored(database_url) == before


def test_a_long_file_is_streamed_with_progress(
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path
) -> None:
    count = 20_500
    path = tmp_path / "long.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("id,commitment,priority,opened,first_response,resolved\n")
        for n in range(count):
            out.write(f"L-{n},it-helpdesk-technician/it-help,normal,2026-11-06T15:30:00+01:00,,\n")
    status, err = import_file(capsys, database_url, path)
    assert status == 0, err
    assert "… 10000 rows read" in err
    assert "… 20000 rows read" in err
    assert f"{count} new" in err
    assert len(stored(database_url)) == count

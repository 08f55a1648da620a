"""The parts: times, CSV records with their lines, and the store."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import strategies as st

from generator.requests.formats import GENERIC, JIRA
from generator.requests.reader import ExportFileError, records, resolve_header
from generator.requests.rows import Request
from generator.requests.store import RequestStore, Saved
from generator.requests.timestamps import TimestampError, parse_timestamp

WARSAW = ZoneInfo("Europe/Warsaw")
moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


def warsaw(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=WARSAW)


# --- times --------------------------------------------------------------------------------


def test_iso_times_with_an_offset_become_utc() -> None:
    parsed = parse_timestamp("2026-11-06T15:30:00+01:00")
    assert parsed == datetime(2026, 11, 6, 14, 30, tzinfo=UTC)
    assert parsed.tzinfo is UTC
    assert parse_timestamp("2026-11-06T14:30:00Z") == parsed


def test_jira_times_are_read_in_the_zone() -> None:
    parsed = parse_timestamp("06/Nov/26 3:30 PM", formats=JIRA.date_formats, zone=WARSAW)
    assert parsed == datetime(2026, 11, 6, 14, 30, tzinfo=UTC)
    summer = parse_timestamp("15/Jul/26 12:05 AM", formats=JIRA.date_formats, zone=WARSAW)
    assert summer == datetime(2026, 7, 14, 22, 5, tzinfo=UTC)


def test_a_repeated_local_time_is_the_first_one() -> None:
    parsed = parse_timestamp("2026-10-25 02:30", zone=WARSAW)
    assert parsed == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # still summer time (UTC+2)


@pytest.mark.parametrize(
    ("text", "zone", "words"),
    [
        ("2026-11-06T15:30:00", None, "no UTC offset"),
        ("2026-03-29 02:30", WARSAW, "does not exist"),
        ("2026-11-06", WARSAW, "not a time"),
        ("06/11/2026 15:30", WARSAW, "not a time"),
        ("2026-13-06T15:30:00+01:00", None, "not a time"),
    ],
)
def test_times_that_are_refused(text: str, zone: ZoneInfo | None, words: str) -> None:
    with pytest.raises(TimestampError, match=words):
        parse_timestamp(text, zone=zone)


# --- records and headers ----------------------------------------------------------------------


def test_records_start_on_their_physical_lines() -> None:
    text = 'a,b\r\n1,"two\r\nlines"\r\n\r\n3,"x\ny\nz"\n4,four\n'
    found = list(records(io.StringIO(text, newline=""), ","))
    assert [line for line, _cells in found] == [1, 2, 5, 8]
    assert found[1][1] == ["1", "two\r\nlines"]


def test_a_repeated_column_gives_its_first_filled_cell() -> None:
    names = ["Issue id", "Created", "Request Type", "Priority", "Resolved", "Request Type"]
    header = resolve_header(names, JIRA, {})
    cells = ["7", "06/Nov/26 3:30 PM", "", "High", "", "Get IT help"]
    assert header.value("commitment", cells) == "Get IT help"
    assert header.name("commitment") == "Request Type"
    assert header.value("first_response", cells) == ""


def test_header_names_ignore_case_and_spacing() -> None:
    cells = ["ID ", "Commitment", "priority", " opened", "first_response", "RESOLVED"]
    header = resolve_header(cells, GENERIC, {})
    assert header.value("resolved", ["", "", "", "", "", " x "]) == "x"


def test_a_missing_column_names_every_one() -> None:
    with pytest.raises(ExportFileError) as raised:
        resolve_header(["Issue id", "Priority"], JIRA, {}, line=3)
    assert raised.value.line == 3
    message = str(raised.value)
    assert "'Created' (opened)" in message
    assert "'Resolved' (resolved)" in message
    assert "'Custom field (Request Type)' (commitment)" in message
    assert "first_response" not in message  # optional in Jira exports


# --- the store ---------------------------------------------------------------------------------


def request(rid: str, **changes: object) -> Request:
    values: dict[str, object] = {
        "source": "test",
        "request_id": rid,
        "commitment": "it-helpdesk-technician/it-help",
        "priority": "urgent",
        "opened": datetime(2026, 11, 6, 14, 30, tzinfo=UTC),
    }
    values.update(changes)
    return Request(**values)  # type: ignore[arg-type]


def test_saving_counts_new_updated_and_unchanged(store: RequestStore) -> None:
    many = [request(f"R-{n}") for n in range(1203)]
    with store.writing() as writer:
        assert writer.save(many) == Saved(new=1203)
    resolved = datetime(2026, 11, 7, 9, 0, 0, 123456, tzinfo=UTC)
    again = [*many[:1200], request("R-1200", resolved=resolved), request("R-9999")]
    with store.writing() as writer:
        assert writer.save(again) == Saved(new=1, updated=1, unchanged=1200)
    assert store.count() == 1204
    stored = {r.request_id: r for r in store.requests()}
    assert stored["R-1200"].resolved == resolved
    assert stored["R-1"] == many[1]


def test_a_failed_or_discarded_import_leaves_nothing(store: RequestStore) -> None:
    with store.writing(keep=False) as writer:
        writer.save([request("R-1")])
    assert store.count() == 0
    with pytest.raises(RuntimeError), store.writing() as writer:
        writer.save([request("R-2")])
        raise RuntimeError("the file broke")
    assert store.count() == 0


def test_requests_of_one_source(store: RequestStore) -> None:
    with store.writing() as writer:
        writer.save([request("R-1"), request("R-1", source="other"), request("R-2")])
    assert store.count("test") == 2
    assert [r.source for r in store.requests("other")] == ["other"]

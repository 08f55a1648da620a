"""The feedback report (k-anonymous aggregates) and the CSV export."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from generator.diagnostics.values import HandbookError
from generator.feedback.export import ExportRules, export_comments, export_csv
from generator.feedback.report import build_report, write_report
from generator.feedback.storage import Store, Submission
from generator.measure.feedback_report import ReportError, load_report

T0 = datetime(2026, 3, 1, tzinfo=UTC)
BIG = "benefits-specialist/benefit-documents"
SMALL = "payroll-clerk/payslips"


@pytest.fixture
def filled(sqlite_store: Store) -> Store:
    ratings = [5, 4, 4, 3, 5, 2]
    priorities = ["speed", "quality", "speed", None, "communication", "speed"]
    for index, (rating, priority) in enumerate(zip(ratings, priorities, strict=True)):
        sub = Submission(BIG, rating, f"comment {index}", priority, "people")
        sqlite_store.add(sub, now=T0 + timedelta(hours=index))
    for rating in (1, 2):
        sqlite_store.add(Submission(SMALL, rating, "only two of us", "speed"), now=T0)
    sqlite_store.add(Submission("old-role/renamed", 3), now=T0)
    return sqlite_store


def test_aggregates_and_suppresses_small_groups(filled: Store) -> None:
    report = build_report(filled, since=T0, until=T0 + timedelta(days=1), min_responses=5)
    assert report["version"] == 2
    assert report["counted"] == "all"
    assert report["period"] == {
        "since": T0.isoformat(),
        "until": (T0 + timedelta(days=1)).isoformat(),
    }
    entries = {e["key"]: e for e in report["entries"]}
    big = entries[BIG]
    assert big["suppressed"] is False
    assert big["count"] == 6
    assert big["mean"] == 3.83
    assert big["distribution"] == {"1": 0, "2": 1, "3": 1, "4": 2, "5": 2}
    assert big["priorities"] == [
        {"priority": "speed", "count": 3},
        {"priority": "communication", "count": 1},
        {"priority": "quality", "count": 1},
    ]
    assert entries[SMALL] == {"key": SMALL, "suppressed": True}
    assert "comment" not in json.dumps(report)
    json.dumps(report)  # serialisable


def test_keys_restrict_and_complete_the_report(filled: Store) -> None:
    keys = {BIG, SMALL, "new-role/new-service"}
    report = build_report(filled, since=None, until=None, min_responses=2, keys=keys)
    entries = {e["key"]: e for e in report["entries"]}
    assert set(entries) == keys
    assert entries[SMALL]["count"] == 2
    assert entries["new-role/new-service"] == {"key": "new-role/new-service", "suppressed": True}


def test_period_filters(filled: Store) -> None:
    report = build_report(filled, since=T0 + timedelta(hours=3), until=None, min_responses=1)
    entries = {e["key"]: e for e in report["entries"]}
    assert entries[BIG]["count"] == 3
    assert SMALL not in entries


def test_write_and_load_round_trip(filled: Store, tmp_path: Path) -> None:
    path = tmp_path / "out" / "report.json"
    write_report(path, build_report(filled, since=None, until=None, min_responses=5))
    loaded = load_report(path)
    assert loaded.min_responses == 5
    big = loaded.get(BIG)
    assert big is not None
    assert (big.count, big.mean, big.suppressed) == (6, 3.83, False)
    assert big.distribution == {1: 0, 2: 1, 3: 1, 4: 2, 5: 2}
    assert big.priorities[0] == ("speed", 3)
    small = loaded.get(SMALL)
    assert small is not None
    assert small.suppressed
    assert small.count is None
    assert loaded.get("missing/key") is None


BAD_REPORTS = [
    ("{", "invalid JSON"),
    ("[]", "must be an object"),
    ('{"version": 3, "period": {}, "min_responses": 5, "entries": []}', "unsupported version"),
    ('{"version": 1, "min_responses": 5, "entries": []}', "missing field 'period'"),
    (
        '{"version": 1, "period": {}, "min_responses": 5, "entries": '
        '[{"key": "a/b", "suppressed": true, "count": 1}]}',
        "suppressed but carries numbers",
    ),
    (
        '{"version": 1, "period": {}, "min_responses": 5, "entries": [{"key": "a/b", '
        '"suppressed": false, "count": 2, "mean": 9, "distribution": '
        '{"1": 0, "2": 0, "3": 0, "4": 0, "5": 2}}]}',
        "between 1 and 5",
    ),
    (
        '{"version": 1, "period": {}, "min_responses": 5, "entries": [{"key": "a/b", '
        '"suppressed": false, "count": 3, "mean": 5, "distribution": '
        '{"1": 0, "2": 0, "3": 0, "4": 0, "5": 2}}]}',
        "does not add up",
    ),
    ('{"version": 1, "period": {}, "min_responses": 5, "entries": [{"key": "ab"}]}', "key"),
]


@pytest.mark.parametrize(("content", "message"), BAD_REPORTS)
def test_bad_report_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "report.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        load_report(path)
    assert isinstance(caught.value, HandbookError)
    diagnostic = caught.value.diagnostics[0]
    assert message in diagnostic.message
    assert diagnostic.location.file == str(path)


def test_missing_report_file(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="does not exist"):
        load_report(tmp_path / "nope.json")


def test_invalid_json_has_a_position(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text('{\n  "version": 1,\n  oops\n}', encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        load_report(path)
    assert caught.value.diagnostics[0].location.line == 3


def test_csv_export_is_coarse_and_sorted(filled: Store) -> None:
    filled.add(Submission(BIG, 3, "x", "speed", "people"), now=T0 + timedelta(days=2))
    out = io.StringIO()
    written = export_csv(
        filled, out, T0, T0 + timedelta(days=3), rules=ExportRules(min_responses=5)
    )
    assert written == 7  # the big group; the small one (2 answers) and the renamed key (1) are out
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == [
        "period",
        "key",
        "role_id",
        "commitment_id",
        "rating",
        "priority",
        "team",
    ]
    assert {row["period"] for row in rows} == {"2026-Q1"}
    assert [row["rating"] for row in rows] == sorted(row["rating"] for row in rows)
    assert {row["team"] for row in rows} == {"people"}  # 7 answers of one team: enough
    assert "T" not in out.getvalue().split("\r\n", 1)[1]  # no timestamps


def test_comments_are_exported_apart(filled: Store) -> None:
    filled.add(Submission(BIG, 3, '=HYPERLINK("http://evil")'), now=T0 + timedelta(days=2))
    out = io.StringIO()
    assert export_comments(filled, out, rules=ExportRules(min_responses=5)) == 7
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == ["period", "key", "role_id", "commitment_id", "comment"]
    comments = [row["comment"] for row in rows]
    assert comments[0].startswith("'=")
    assert comments[1:] == [f"comment {i}" for i in range(6)]  # sorted, not in arrival order
    assert all(row["key"] == BIG for row in rows)  # "only two of us" is a group of two

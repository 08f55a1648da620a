"""``handbook feedback report|export`` through argparse, with a project made in memory."""

from __future__ import annotations

import argparse
import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.cli.feedback import add_commands, period
from generator.database import sqlite_url
from generator.feedback.storage import Submission, open_store
from generator.measure.feedback_report import load_report
from generator.project import Project

from .conftest import make_project

KEY = "benefits-specialist/benefit-documents"


def run(argv: list[str], project: Project) -> int:
    parser = argparse.ArgumentParser(prog="handbook")
    add_commands(parser.add_subparsers(dest="command", required=True), lambda _root: project)
    args = parser.parse_args(argv)
    status: int = args.func(args)
    return status


@pytest.fixture
def project(tmp_path: Path) -> Project:
    store = open_store(sqlite_url(tmp_path / "feedback.db"))
    for rating in (5, 4, 4):
        store.add(Submission(KEY, rating, "ok", "speed"), now=datetime(2026, 3, 10, 9, tzinfo=UTC))
    store.add(Submission(KEY, 1), now=datetime(2026, 4, 1, 0, 0, tzinfo=UTC))
    store.close()
    return make_project(tmp_path, min_responses=3, report="reports/feedback.json")


def test_report_to_the_configured_file(project: Project, tmp_path: Path) -> None:
    assert run(["feedback", "report", str(tmp_path), "--until", "2026-03-31"], project) == 0
    report = load_report(tmp_path / "reports" / "feedback.json")
    entry = report.get(KEY)
    assert entry is not None
    assert (entry.count, entry.mean) == (3, 4.33)
    assert report.until == "2026-04-01T00:00:00+00:00"
    other = report.get("payroll-clerk/payslips")
    assert other is not None
    assert other.suppressed


def test_report_to_stdout_with_k(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["feedback", "report", "--min-responses", "5", "--out", "-"], project)
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["min_responses"] == 5
    assert {e["key"]: e["suppressed"] for e in printed["entries"]}[KEY] is True


def test_report_without_out_or_setting_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    open_store(sqlite_url(tmp_path / "feedback.db")).close()
    assert run(["feedback", "report"], project) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["version"] == 2
    assert printed["counted"] == "all"
    assert all(entry["suppressed"] for entry in printed["entries"])


def test_usage_errors(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(["feedback", "report", "--since", "2026-05-01", "--until", "2026-04-01"], project) == 2
    )
    assert run(["feedback", "report", "--min-responses", "0"], project) == 2
    with pytest.raises(SystemExit) as caught:
        run(["feedback", "report", "--since", "yesterday"], project)
    assert caught.value.code == 2
    assert "not a date" in capsys.readouterr().err


def test_unreachable_database_is_exit_1(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql+psycopg://nobody:x@127.0.0.1:1/none?connect_timeout=2"
    assert run(["feedback", "export", "--database", url], project) == 1
    assert "cannot open the feedback database" in capsys.readouterr().err


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_export_csv_to_file(project: Project, tmp_path: Path) -> None:
    out, comments = tmp_path / "answers.csv", tmp_path / "comments.csv"
    code = run(
        ["feedback", "export", "--out", str(out), "--comments", str(comments)],
        project,
    )
    assert code == 0
    rows = read_csv(out)
    assert [(r["period"], r["key"], r["rating"]) for r in rows] == [
        ("2026-Q1", KEY, "4"),
        ("2026-Q1", KEY, "4"),
        ("2026-Q1", KEY, "5"),
    ]  # the single April answer is a group of one: left out
    assert "comment" not in rows[0]
    assert (
        read_csv(comments)
        == [
            {
                "period": "2026-Q1",
                "key": KEY,
                "role_id": KEY.split("/", maxsplit=1)[0],
                "commitment_id": KEY.split("/")[1],
                "comment": "ok",
            },
        ]
        * 3
    )


def test_export_by_date_and_k(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "answers.csv"
    assert (
        run(["feedback", "export", "--out", str(out), "--by-date", "--min-responses", "1"], project)
        == 0
    )
    rows = read_csv(out)
    assert [(r["date"], r["rating"]) for r in rows] == [
        ("2026-03-10", "4"),
        ("2026-03-10", "4"),
        ("2026-03-10", "5"),
        ("2026-04-01", "1"),
    ]


def test_export_comments_need_their_own_file(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["feedback", "export", "--comments", "-"], project) == 2
    assert "file of its own" in capsys.readouterr().err


def test_period_covers_whole_days() -> None:
    since, until = period(datetime(2026, 1, 1).date(), datetime(2026, 1, 31).date())
    assert since == datetime(2026, 1, 1, tzinfo=UTC)
    assert until == datetime(2026, 2, 1, tzinfo=UTC)
    assert period(None, None) == (None, None)

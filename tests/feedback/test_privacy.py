"""No report or export row can be tied to a group smaller than the threshold."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from generator.feedback.export import ExportRules, export_comments, export_csv
from generator.feedback.report import build_report
from generator.feedback.storage import Store, Submission

KEY = "benefits-specialist/benefit-documents"
JAN = datetime(2026, 1, 15, 9, 30, 12, 345678, tzinfo=UTC)
APR = datetime(2026, 4, 15, tzinfo=UTC)
BUREAU = "payroll-bureau"  # an external partner: one person


def add(store: Store, n: int, team: str | None, when: datetime, **extra: object) -> None:
    for i in range(n):
        sub = Submission(KEY, 1 + i % 5, f"comment {i}", "speed", team, **extra)  # type: ignore[arg-type]
        store.add(sub, now=when + timedelta(minutes=i))


@pytest.fixture
def organisation(any_store: Store) -> Store:
    add(any_store, 6, "people", JAN)
    add(any_store, 1, BUREAU, JAN + timedelta(hours=5))
    return any_store


def exported(store: Store, **rules: object) -> tuple[str, str]:
    ratings, comments = io.StringIO(), io.StringIO()
    options = ExportRules(min_responses=5, **rules)  # type: ignore[arg-type]
    export_csv(store, ratings, rules=options)
    export_comments(store, comments, rules=options)
    return ratings.getvalue(), comments.getvalue()


def test_a_one_person_team_is_identifiable_nowhere_in_the_export(organisation: Store) -> None:
    ratings, comments = exported(organisation)
    assert BUREAU not in ratings and BUREAU not in comments  # not even as a team name
    rows = list(csv.DictReader(io.StringIO(ratings)))
    assert len(rows) == 7
    assert {row["team"] for row in rows} == {""}  # 6 + 1: showing "people" gives the bureau away
    assert {row["period"] for row in rows} == {"2026-Q1"}
    assert "09:30" not in ratings and "345678" not in ratings and "2026-01-15" not in ratings
    assert "comment" not in ratings.splitlines()[0]
    assert set(ratings.splitlines()[0].split(",")) & {"rating"}
    comment_rows = list(csv.DictReader(io.StringIO(comments)))
    assert set(comment_rows[0]) == {"period", "key", "role_id", "commitment_id", "comment"}


def test_a_large_enough_rest_lets_big_teams_show(organisation: Store) -> None:
    add(organisation, 5, "finance", JAN)
    rows = list(csv.DictReader(io.StringIO(exported(organisation)[0])))
    teams = sorted({row["team"] for row in rows})
    assert teams == ["", "people"]  # finance is hidden too, so the hidden rest is 6, not 1
    assert len([row for row in rows if row["team"] == ""]) == 6
    add(organisation, 4, None, JAN)  # answers without a team make the rest large enough
    rows = list(csv.DictReader(io.StringIO(exported(organisation)[0])))
    assert sorted({row["team"] for row in rows}) == ["", "finance", "people"]


def test_the_report_never_names_small_teams(organisation: Store) -> None:
    report = build_report(organisation, since=None, until=None, min_responses=5)
    (entry,) = report["entries"]
    assert entry["count"] == 7
    assert entry["teams"] == []  # people alone would expose the bureau by subtraction
    assert BUREAU not in str(report)


def test_a_period_of_one_answer_is_not_given_away_by_the_trend(organisation: Store) -> None:
    add(organisation, 1, "people", APR)
    report = build_report(organisation, since=None, until=None, min_responses=5)
    (entry,) = report["entries"]
    assert entry["count"] == 8
    assert entry["trend"] == []  # Q1 alone would leave Q2's single answer to subtraction
    add(organisation, 5, "people", APR + timedelta(days=1))
    (entry,) = build_report(organisation, since=None, until=None, min_responses=5)["entries"]
    assert [t["period"] for t in entry["trend"]] == ["2026-Q1", "2026-Q2"]
    assert [t["count"] for t in entry["trend"]] == [7, 6]


def test_small_groups_are_left_out_of_the_export_altogether(any_store: Store) -> None:
    add(any_store, 4, "people", JAN)
    ratings, comments = exported(any_store)
    assert ratings.count("\n") == 1  # the header only
    assert comments.count("\n") == 1


def test_dates_only_where_a_day_has_enough_answers(any_store: Store) -> None:
    add(any_store, 5, "people", JAN)
    add(any_store, 2, "people", JAN + timedelta(days=1))
    rows = list(csv.DictReader(io.StringIO(exported(any_store, by_date=True)[0])))
    assert {row["date"] for row in rows} == {"2026-01-15"}
    assert len(rows) == 5


def test_verified_only_counts_one_person_once_per_period(any_store: Store) -> None:
    """One signed-on person answering in five months is not five people."""
    for month in range(1, 6):
        sub = Submission(KEY, 5, verification="sso", voter=f"s:person-{month}")
        any_store.add(sub, now=datetime(2026, month, 2, tzinfo=UTC))
    add(any_store, 10, None, JAN)  # open answers: not counted
    open_report = build_report(any_store, since=None, until=None, min_responses=5)
    assert open_report["entries"][0]["count"] == 15
    report = build_report(
        any_store, since=None, until=None, min_responses=5, verified_only=True, period="month"
    )
    assert report["counted"] == "verified"
    assert report["entries"][0] == {"key": KEY, "suppressed": True}
    for n in range(5):
        sub = Submission(KEY, 4, verification="invitation", voter=f"i:{n}")
        any_store.add(sub, now=datetime(2026, 3, 10, tzinfo=UTC))
    report = build_report(
        any_store, since=None, until=None, min_responses=5, verified_only=True, period="month"
    )
    entry = report["entries"][0]
    assert (entry["suppressed"], entry["count"], entry["verified"]) == (False, 10, 10)
    assert [t["period"] for t in entry["trend"]] == []  # March has 6, the rest 4 < 5
    assert exported(any_store, verified_only=True, period="month")[0].count("\n") == 7

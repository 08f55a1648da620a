"""The feedback table on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text

from generator.database import sqlite_url
from generator.feedback.storage import (
    AlreadyAnswered,
    Store,
    StoreError,
    Submission,
    feedback_table,
    open_store,
)

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_add_then_read_back(any_store: Store) -> None:
    sub = Submission(
        "benefits-specialist/benefit-documents", 4, "Quick — thanks ✓", "speed", "people"
    )
    row_id = any_store.add(sub, now=T0)
    rows = list(any_store.rows())
    assert [r.id for r in rows] == [row_id]
    row = rows[0]
    assert (row.key, row.role_id, row.commitment_id) == (
        "benefits-specialist/benefit-documents",
        "benefits-specialist",
        "benefit-documents",
    )
    assert (row.rating, row.comment, row.priority, row.team) == (
        4,
        "Quick — thanks ✓",
        "speed",
        "people",
    )
    assert row.created_at == T0
    assert row.created_at.tzinfo is not None


def test_period_is_half_open_and_counted(any_store: Store) -> None:
    for day in range(5):
        any_store.add(Submission("a/b", 3), now=T0 + timedelta(days=day))
    since, until = T0 + timedelta(days=1), T0 + timedelta(days=3)
    assert any_store.count() == 5
    assert any_store.count(since, until) == 2
    assert [r.created_at for r in any_store.rows(since, until)] == [
        since,
        since + timedelta(days=1),
    ]
    assert any_store.count(since=since) == 4
    assert any_store.count(until=until) == 3


def test_database_refuses_out_of_range_rating(any_store: Store) -> None:
    with pytest.raises(Exception, match=r"(?i)check|constraint"):
        any_store.add(Submission("a/b", 9))
    assert any_store.count() == 0


def test_no_identifying_columns(any_store: Store) -> None:
    columns = {c["name"] for c in inspect(any_store.engine).get_columns("feedback")}
    assert columns == {c.name for c in feedback_table.columns}
    assert not {"ip", "ip_address", "user_agent", "client"} & columns


def test_sqlite_uses_wal_and_full_sync(sqlite_store: Store) -> None:
    with sqlite_store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_reopening_keeps_rows_and_schema_version(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "sub" / "feedback.db")
    first = open_store(url)
    first.add(Submission("a/b", 5))
    first.close()
    again = open_store(url)
    assert again.count() == 1
    with again.engine.connect() as conn:
        assert conn.execute(text("SELECT version FROM feedback_schema_version")).scalar() == 2
    again.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "feedback.db")
    store = open_store(url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE feedback_schema_version SET version = 99"))
    store.close()
    with pytest.raises(StoreError, match="newer"):
        open_store(url)


@pytest.mark.parametrize("url", ["nonsense://", "sqlite://", "sqlite:///:memory:"])
def test_bad_urls_are_store_errors(url: str) -> None:
    with pytest.raises(StoreError):
        open_store(url)


def test_unreachable_postgres_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open"):
        open_store("postgresql+psycopg://nobody:x@127.0.0.1:1/none?connect_timeout=2")


def test_naive_timestamps_are_refused(sqlite_store: Store) -> None:
    with pytest.raises(Exception, match="timezone"):
        sqlite_store.add(Submission("a/b", 3), now=datetime(2026, 1, 1))


def test_a_mixed_batch_returns_each_answer_its_own_id(any_store: Store) -> None:
    batch = [
        (Submission("a/b", 1, "first"), T0),
        (Submission("a/b", 2, "signed on", verification="sso", voter="s:1"), T0),
        (Submission("c/d", 3, "second"), T0 + timedelta(seconds=1)),
        (Submission("a/b", 4, "invited", verification="invitation", voter="i:1"), T0),
        (Submission("a/b", 5, "invited again", verification="invitation", voter="i:1"), T0),
        (Submission("a/b", 5, "signed on again", verification="sso", voter="s:1"), T0),
    ]
    results = any_store.write_batch(batch)
    assert isinstance(results[4], AlreadyAnswered)
    ids = {result: sub.comment for result, (sub, _) in zip(results, batch, strict=True)}
    stored = {row.id: row.comment for row in any_store.rows()}
    assert stored == {
        results[0]: "first",
        results[1]: "signed on again",  # the later answer replaced the earlier
        results[2]: "second",
        results[3]: "invited",
    }
    assert results[1] == results[5]
    assert len(ids) == 5


def test_version_1_databases_are_upgraded(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "feedback.db")
    with sqlite3.connect(tmp_path / "feedback.db") as old:
        old.executescript(
            """
            CREATE TABLE feedback (id INTEGER PRIMARY KEY, key VARCHAR(129) NOT NULL,
              role_id VARCHAR(64) NOT NULL, commitment_id VARCHAR(64) NOT NULL,
              rating SMALLINT NOT NULL, comment TEXT, priority VARCHAR(64), team VARCHAR(64),
              created_at DATETIME NOT NULL);
            CREATE TABLE feedback_schema_version (version INTEGER PRIMARY KEY);
            INSERT INTO feedback_schema_version VALUES (1);
            INSERT INTO feedback (key, role_id, commitment_id, rating, created_at)
              VALUES ('a/b', 'a', 'b', 4, '2026-03-01 12:00:00.000000');
            """
        )
    store = open_store(url)
    try:
        (row,) = store.rows()
        assert (row.rating, row.verification, row.created_at) == (4, "open", T0)
        store.add(Submission("a/b", 2, verification="sso", voter="s:x"))
        store.add(Submission("a/b", 3, verification="sso", voter="s:x"))
        assert [r.rating for r in store.rows()] == [4, 3]
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT version FROM feedback_schema_version")).scalar() == 2
    finally:
        store.close()


@pytest.mark.parametrize(
    ("make_url", "message"),
    [
        (lambda tmp: f"sqlite:///{tmp}/a-file/feedback.db", "a file is in the way"),
        (lambda tmp: "sqlite:////proc/no-such-folder/feedback.db", "cannot create"),
        (lambda tmp: "mysql://x@127.0.0.1/db", "not supported"),
    ],
)
def test_unusable_places_are_one_line_store_errors(
    tmp_path: Path, make_url: Any, message: str
) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        open_store(make_url(tmp_path))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)

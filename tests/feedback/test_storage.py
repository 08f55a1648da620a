"""The feedback table on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from generator.feedback.storage import (
    Store,
    StoreError,
    Submission,
    feedback_table,
    open_store,
    sqlite_url,
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

"""The rate limit in the database: shared by every receiver of one database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.testclient import TestClient

from generator.feedback.app import create_app
from generator.feedback.shared_limit import DatabaseLimiter
from generator.feedback.storage import Store, open_store, rate_table

from .conftest import KEYS, PRIORITIES, TEAMS

GOOD = {"key": "benefits-specialist/benefit-documents", "rating": 4}
CLIENT = ("198.51.100.9", 1234)


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def second_store(store: Store) -> Store:
    return open_store(store.engine.url.render_as_string(hide_password=False))


def receiver(store: Store, **options: Any) -> TestClient:
    app = create_app(store=store, valid_keys=KEYS, teams=TEAMS, priorities=PRIORITIES, **options)
    return TestClient(app, client=CLIENT)


def test_receivers_on_one_postgresql_share_the_limit(postgres_store: Store) -> None:
    other = second_store(postgres_store)
    try:
        first = receiver(postgres_store, rate_limit=(3, 3600.0))
        second = receiver(other, rate_limit=(3, 3600.0))
        statuses = [
            first.post("/api/feedback", json=GOOD).status_code,
            second.post("/api/feedback", json=GOOD).status_code,
            first.post("/api/feedback", json=GOOD).status_code,
            second.post("/api/feedback", json=GOOD).status_code,
            first.post("/api/feedback", json=GOOD).status_code,
        ]
    finally:
        other.close()
    assert statuses == [201, 201, 201, 429, 429]
    assert postgres_store.count() == 3


def test_sqlite_keeps_the_limit_in_the_process(sqlite_store: Store) -> None:
    first = receiver(sqlite_store, rate_limit=(1, 3600.0))
    second = receiver(sqlite_store, rate_limit=(1, 3600.0))
    assert first.post("/api/feedback", json=GOOD).status_code == 201
    assert second.post("/api/feedback", json=GOOD).status_code == 201
    assert first.post("/api/feedback", json=GOOD).status_code == 429
    with sqlite_store.engine.connect() as conn:
        assert conn.execute(select(rate_table)).all() == []


def test_the_window_slides_and_old_windows_are_forgotten(any_store: Store) -> None:
    clock = Clock(10_000 * 60.0)
    limiter = DatabaseLimiter(any_store, 2, 60.0, scope="open", clock=clock)
    assert [limiter.hit("a"), limiter.hit("a")] == [0.0, 0.0]
    assert 0 < limiter.hit("a") <= 60
    assert limiter.hit("b") == 0.0
    clock.now += 60  # the next window: the last one still weighs fully at its start
    assert limiter.hit("a") > 0
    clock.now += 45  # three quarters on: a quarter of the previous 2 hits still counts
    assert limiter.hit("a") == 0.0
    clock.now += 180
    assert limiter.hit("a") == 0.0
    with any_store.engine.connect() as conn:
        windows = {row.window for row in conn.execute(select(rate_table))}
        buckets = {row.bucket for row in conn.execute(select(rate_table))}
    assert min(windows) >= int(clock.now // 60) - 1
    assert not {"a", "b", "open\na"} & buckets  # keyed hashes, not addresses

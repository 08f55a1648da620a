"""The feedback receiver under fuzzing, load and a crash.

- schemathesis generates requests from the receiver's own OpenAPI document: no 5xx;
- a short loopback load: every post answered, none with a 5xx;
- SIGKILL in the middle of a load: every acknowledged answer is in the database.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx2 as httpx
import pytest
import schemathesis
from helpers import REPO_ROOT
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from generator.feedback.app import create_app
from generator.feedback.storage import open_store, sqlite_url

pytestmark = pytest.mark.slow


def _load_bench() -> ModuleType:
    """``bench/receiver_load.py``, which holds the receiver runner and the load client."""
    path = REPO_ROOT / "bench" / "receiver_load.py"
    spec = importlib.util.spec_from_file_location("bench_receiver_load", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


# --- schemathesis ----------------------------------------------------------------------------


MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


@pytest.fixture
def receiver_schema(tmp_path: Path) -> Iterator[Any]:
    """The receiver app on a fresh SQLite file, described by its own OpenAPI document."""
    store = open_store(sqlite_url(tmp_path / "feedback.db"))
    app = create_app(
        store=store,
        valid_keys=frozenset(bench.KEYS),
        teams=bench.TEAMS,
        priorities=bench.PRIORITIES,
        rate_limit=None,
    )
    try:
        yield schemathesis.openapi.from_asgi("/api/openapi.json", app)
    finally:
        store.close()


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
def test_no_server_errors(receiver_schema: Any, mode: Any) -> None:
    """Whatever schemathesis sends, valid or not, the receiver never answers with a 5xx."""
    operations = [result.ok() for result in receiver_schema.get_all_operations()]
    documented = {(op.method.upper(), op.path) for op in operations}
    assert ("POST", "/api/feedback") in documented
    seen: Counter[int] = Counter()
    for method, path in sorted(documented):
        operation = receiver_schema[path][method]
        if mode is schemathesis.GenerationMode.NEGATIVE and method == "GET":
            continue  # nothing to make invalid: no parameters, no body

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=150 if method == "POST" else 5,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def call(case: Any) -> None:
            response = case.call()
            seen[response.status_code] += 1
            assert response.status_code < 500, (response.status_code, response.text[:300])
            case.validate_response(response, checks=[not_a_server_error])

        call()
    accepted = seen[200] + seen[201]
    refused = sum(n for status, n in seen.items() if 400 <= status < 500)
    assert accepted if mode is schemathesis.GenerationMode.POSITIVE else refused, seen


# --- load --------------------------------------------------------------------------------------


def test_small_load(tmp_path: Path) -> None:
    """A short burst from eight clients: all accepted, no 5xx, p99 reported."""
    with bench.running(tmp_path / "feedback.db") as receiver:
        load = bench.run_load(receiver.base, requests=200, seconds=10.0, workers=8)
    text = bench.report(load, requests=200, seconds=10.0, workers=8)
    assert load.server_errors == 0, text
    assert load.transport_errors == 0, text
    assert load.accepted == len(load.latencies) == 200, text
    assert load.per_second() > 0
    assert "p99" in text
    store = open_store(sqlite_url(tmp_path / "feedback.db"))
    try:
        assert store.count() == 200
    finally:
        store.close()


# --- crash -------------------------------------------------------------------------------------


def test_sigkill_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    """SIGKILL mid-load, restart on the same file: every 201 answer is there, exactly once."""
    database = tmp_path / "feedback.db"
    total = 300
    receiver = bench.start(database)
    stop = threading.Event()
    result: dict[str, Any] = {}

    def post() -> None:
        result["load"] = bench.run_load(
            receiver.base, requests=total, seconds=60.0, workers=8, stop=stop
        )

    sender = threading.Thread(target=post)
    sender.start()
    try:
        store = open_store(sqlite_url(database))
        try:
            deadline = time.monotonic() + 30
            while store.count() < total // 3 and time.monotonic() < deadline:
                time.sleep(0.01)
        finally:
            store.close()
        receiver.kill()
    finally:
        stop.set()
        sender.join(timeout=60)
        receiver.kill()
    load = result["load"]
    assert 0 < load.accepted < total, "the kill did not land in the middle of the load"

    with bench.running(database) as restarted:
        response = httpx.post(
            f"{restarted.base}/api/feedback", json=bench.answer(total + 1), timeout=10
        )
        assert response.status_code == 201, response.text
    store = open_store(sqlite_url(database))
    try:
        stored = {row.id: row.comment for row in store.rows()}
    finally:
        store.close()
    lost = {i: c for i, c in load.acknowledged.items() if stored.get(i) != c}
    assert not lost, f"{len(lost)} acknowledged answers missing: {sorted(lost)[:10]}"
    comments = list(stored.values())
    assert len(comments) == len(set(comments)), "an answer was stored twice"

"""The feedback receiver under fuzzing, load and a crash.

- schemathesis generates requests from the receiver's own OpenAPI document: no 5xx;
- a short loopback load: every post answered, none with a 5xx;
- SIGKILL in the middle of a load: every acknowledged answer is in the database;
- the database full or locked: posts 503, health "cannot write" at once;
- a database that can't be opened: one line and exit 1 from every feedback command.
"""

from __future__ import annotations

import argparse
import importlib.util
import sqlite3
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
from feedback.conftest import make_project
from helpers import REPO_ROOT
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy import event
from starlette.testclient import TestClient

from generator.cli.feedback import add_commands
from generator.database import sqlite_url
from generator.feedback.app import create_app
from generator.feedback.storage import open_store

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


# --- storage faults ---------------------------------------------------------------------------


def _receiver_app(store: Any) -> Any:
    return create_app(
        store=store,
        valid_keys=frozenset(bench.KEYS),
        teams=bench.TEAMS,
        priorities=bench.PRIORITIES,
        rate_limit=None,
    )


def test_health_says_cannot_write_when_the_database_is_full(tmp_path: Path) -> None:
    """SQLite's own "database or disk is full" (a page limit): posts 503, health 503."""
    store = open_store(sqlite_url(tmp_path / "feedback.db"))
    with store.engine.connect() as conn:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar_one())

    def limit_pages(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 3}")

    event.listen(store.engine, "connect", limit_pages)
    store.engine.dispose()
    client = TestClient(_receiver_app(store))
    try:
        assert client.get("/api/health").status_code == 200
        statuses = []
        for number in range(300):
            body = {**bench.answer(number), "comment": f"{number} " + "x" * 1900}
            statuses.append(client.post("/api/feedback", json=body).status_code)
            if statuses[-1] != 201:
                break
        assert statuses[-1] == 503, statuses
        assert 201 in statuses
        health = client.get("/api/health")
        assert health.status_code == 503
        assert health.json()["message"] == "the feedback database cannot write answers"
        assert client.get("/api/health").status_code == 503  # the probe fails as well
    finally:
        store.close()


def test_health_does_not_wait_behind_writes_held_by_a_lock(tmp_path: Path) -> None:
    """Another process holds the write lock: posts wait, health answers at once."""
    database = tmp_path / "feedback.db"
    store = open_store(sqlite_url(database))
    writer = store.writer()
    writer.stall_seconds = 0.2
    client = TestClient(_receiver_app(store))
    results: list[int] = []
    blocker = sqlite3.connect(database, isolation_level=None)
    try:
        assert client.get("/api/health").status_code == 200
        blocker.execute("BEGIN IMMEDIATE")
        posts = [
            threading.Thread(
                target=lambda n=n: results.append(
                    client.post("/api/feedback", json=bench.answer(n)).status_code
                )
            )
            for n in range(30)
        ]
        for thread in posts:
            thread.start()
        deadline = time.monotonic() + 4
        while writer.health().ok and time.monotonic() < deadline:
            time.sleep(0.05)
        answered: list[Any] = []
        health = threading.Thread(target=lambda: answered.append(client.get("/api/health")))
        health.start()
        health.join(timeout=3)  # far less than the writers' 5 s wait for the lock
        assert answered, "the health check waited behind the queued writes"
        assert answered[0].status_code == 503
        assert not results  # the posts are still waiting
        blocker.execute("ROLLBACK")
        for thread in posts:
            thread.join(timeout=20)
        assert results == [201] * 30
        assert client.get("/api/health").status_code == 200
    finally:
        blocker.close()
        store.close()


def _feedback_command(argv: list[str], tmp_path: Path) -> int:
    parser = argparse.ArgumentParser(prog="handbook")
    project = make_project(tmp_path)
    add_commands(parser.add_subparsers(dest="command", required=True), lambda _root: project)
    args = parser.parse_args(argv)
    status: int = args.func(args)
    return status


def _bad_databases(tmp_path: Path) -> dict[str, tuple[str, str]]:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    (tmp_path / "a-folder").mkdir()
    return {
        "file-in-the-way": (f"sqlite:///{tmp_path}/a-file/sub/feedback.db", "a-file"),
        "uncreatable": ("sqlite:////proc/handbook-feedback/feedback.db", "/proc/handbook-feedback"),
        "folder-as-database": (f"sqlite:///{tmp_path}/a-folder", "cannot open"),
        "unsupported": ("mysql://nobody@127.0.0.1/none", "not supported"),
    }


@pytest.mark.parametrize(
    "case", ["file-in-the-way", "uncreatable", "folder-as-database", "unsupported"]
)
@pytest.mark.parametrize("command", ["serve", "report", "export"])
def test_storage_faults_are_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, case: str
) -> None:
    url, mentioned = _bad_databases(tmp_path)[case]
    status = _feedback_command(["feedback", command, str(tmp_path), "--database", url], tmp_path)
    err = capsys.readouterr().err
    assert status == 1, err
    assert err.count("\n") == 1, err
    assert err.startswith("handbook: ")
    assert mentioned in err
    assert "Traceback" not in err

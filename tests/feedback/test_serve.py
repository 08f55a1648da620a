"""``handbook serve``: the live-reload server hands /api/ to the receiver, the rest to MkDocs."""

from __future__ import annotations

import dataclasses
import io
import json
import threading
import wsgiref.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mkdocs.commands.serve as mkdocs_serve
import pytest

from generator.feedback.app import create_app
from generator.feedback.storage import Store
from generator.project import Project
from generator.site.mkdocs_internals import server_class as _server_class
from generator.site.serve import LiveKeys, ReceiverLiveReloadServer, mount_receiver

from .conftest import KEYS, PRIORITIES, TEAMS, make_project


@pytest.fixture
def server(tmp_path: Path, sqlite_store: Store) -> Iterator[ReceiverLiveReloadServer]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body>home</body></html>", encoding="utf-8")
    app = create_app(store=sqlite_store, valid_keys=KEYS, teams=TEAMS, priorities=PRIORITIES)
    rebuilt: list[str] = []
    factory = mount_receiver(app, on_rebuild=lambda: rebuilt.append("keys"))
    built = factory(
        builder=lambda: rebuilt.append("site"), host="127.0.0.1", port=0, root=str(site)
    )
    built.rebuilt = rebuilt  # type: ignore[attr-defined]
    yield built
    built.server_close()


def call(
    server: ReceiverLiveReloadServer,
    method: str,
    path: str,
    body: bytes = b"",
    content_type: str = "",
) -> tuple[str, bytes]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_ADDR": "127.0.0.1",
    }
    if content_type:
        environ["CONTENT_TYPE"] = content_type
    wsgiref.util.setup_testing_defaults(environ)
    status: list[str] = []

    def start_response(line: str, _headers: list[tuple[str, str]], _exc: Any = None) -> None:
        status.append(line)

    chunks = server.serve_request(environ, start_response)
    content = b"".join(chunks)
    getattr(chunks, "close", lambda: None)()
    return status[0], content


def test_api_goes_to_the_receiver(server: ReceiverLiveReloadServer, sqlite_store: Store) -> None:
    status, content = call(server, "GET", "/api/health")
    assert status.startswith("200")
    assert json.loads(content) == {"status": "ok"}
    body = json.dumps({"key": sorted(KEYS)[0], "rating": 4}).encode()
    status, content = call(server, "POST", "/api/feedback", body, "application/json")
    assert status.startswith("201")
    assert sqlite_store.count() == 1


def test_everything_else_is_mkdocs(server: ReceiverLiveReloadServer) -> None:
    status, content = call(server, "GET", "/")
    assert status.startswith("200")
    assert b"home" in content
    status, _ = call(server, "GET", "/apis-are-not-special.html")
    assert status.startswith("404")


def test_rebuilds_refresh_the_keys(server: ReceiverLiveReloadServer) -> None:
    server.builder()
    assert server.rebuilt == ["site", "keys"]  # type: ignore[attr-defined]


def test_server_class_is_swapped_only_for_a_while() -> None:
    original = vars(mkdocs_serve)["LiveReloadServer"]
    with _server_class(ReceiverLiveReloadServer):
        assert vars(mkdocs_serve)["LiveReloadServer"] is ReceiverLiveReloadServer
    assert vars(mkdocs_serve)["LiveReloadServer"] is original


def test_live_keys_keep_the_last_good_set(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    outcomes: list[Project | BaseException] = [SystemExit(1)]

    def load(_root: Path) -> Project:
        outcome = outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    keys = LiveKeys(tmp_path, load, project)
    assert keys() == KEYS
    keys.refresh()
    assert keys() == KEYS


def test_live_keys_refresh_in_the_background(tmp_path: Path) -> None:
    """A rebuild does not wait for the keys, and an edit made meanwhile is read too."""
    project = make_project(tmp_path)
    fewer = dataclasses.replace(
        project,
        organisation=dataclasses.replace(
            project.organisation,
            roles={k: v for k, v in project.organisation.roles.items() if k == "payroll-clerk"},
        ),
    )
    started, release = threading.Event(), threading.Event()
    loads: list[str] = []

    def load(_root: Path) -> Project:
        loads.append("load")
        started.set()
        release.wait(10)
        return fewer

    keys = LiveKeys(tmp_path, load, project)
    worker = keys.refresh_later()
    assert started.wait(10)
    assert keys() == KEYS  # the rebuild went on: the first load is still waiting
    assert keys.refresh_later() is worker  # an edit while it runs: read once more, same thread
    release.set()
    worker.join(10)
    assert not worker.is_alive()
    assert loads == ["load", "load"]
    assert keys() == fewer.organisation.feedback_keys() != KEYS
    keys.refresh_later().join(10)  # a later edit starts a thread of its own
    assert loads == ["load", "load", "load"]

"""``handbook serve``: MkDocs's live-reload server with the feedback receiver on the same origin.

Requests under ``/api/`` go to the receiver (an ASGI app, bridged to WSGI by
a2wsgi); everything else is MkDocs's own handling, live reload included.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

import mkdocs.commands.serve as mkdocs_serve
from a2wsgi import ASGIMiddleware
from mkdocs.plugins import get_plugin_logger
from starlette.types import ASGIApp

from generator.database import default_database_url
from generator.feedback.origins import local_origins
from generator.feedback.receiver import receiver_for_project
from generator.feedback.storage import open_store
from generator.project import Project
from generator.site.mkdocs_internals import RoutingLiveReloadServer, server_class
from generator.site.rebuild import fast_or_full

log = get_plugin_logger("handbook")

API_PREFIX = "/api/"
LoadProject = Callable[[Path], Project]
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ReceiverLiveReloadServer(RoutingLiveReloadServer):
    """A live-reload server that hands ``/api/…`` to the receiver and survives broken edits."""

    prefix = API_PREFIX

    def __init__(
        self,
        builder: Callable[[], None],
        *args: Any,
        receiver: WSGIApp,
        on_rebuild: Callable[[], object] | None = None,
        **kwargs: Any,
    ) -> None:
        builder = fast_or_full(builder)
        if on_rebuild is not None:
            builder = _followed_by(builder, on_rebuild)
        builder = _keeping_last_good_site(builder)
        super().__init__(builder, *args, app=receiver, **kwargs)

    @property
    def receiver(self) -> WSGIApp:
        """The WSGI app answering ``/api/``."""
        app: WSGIApp = self.app
        return app


def mount_receiver(
    app: ASGIApp, *, on_rebuild: Callable[[], object] | None = None
) -> Callable[..., ReceiverLiveReloadServer]:
    """A drop-in for ``LiveReloadServer(...)`` that also serves ``app`` under ``/api/``."""
    receiver = cast(WSGIApp, ASGIMiddleware(cast(Any, app)))
    return functools.partial(ReceiverLiveReloadServer, receiver=receiver, on_rebuild=on_rebuild)


class LiveKeys:
    """The project's feedback keys, reloaded after every rebuild of the site.

    :meth:`refresh_later` reloads them in the background, so the browser shows a
    rebuilt page without waiting for the handbook to be loaded once more.
    """

    def __init__(self, root: Path, load_project_fn: LoadProject, initial: Project) -> None:
        self._root = root
        self._load = load_project_fn
        self._keys = initial.organisation.feedback_keys()
        self._lock = threading.Lock()
        self._wanted = False
        self._worker: threading.Thread | None = None

    def __call__(self) -> frozenset[str]:
        with self._lock:
            return self._keys

    def refresh(self) -> None:
        """Reload the project; on failure keep the last good keys."""
        try:
            keys = self._load(self._root).organisation.feedback_keys()
        except (Exception, SystemExit):
            log.warning("feedback keys not refreshed: the roles have errors")
            return
        with self._lock:
            self._keys = keys

    def refresh_later(self) -> threading.Thread:
        """Refresh in a background thread; edits made meanwhile are read by one more refresh."""
        with self._lock:
            self._wanted = True
            if self._worker is None:
                self._worker = threading.Thread(
                    target=self._refresh_while_wanted, name="handbook-feedback-keys", daemon=True
                )
                self._worker.start()
            return self._worker

    def _refresh_while_wanted(self) -> None:
        while True:
            with self._lock:
                if not self._wanted:
                    self._worker = None  # the next edit starts a new thread
                    return
                self._wanted = False
            self.refresh()


def serve_handbook(
    config_file: str,
    *,
    dev_addr: str = "127.0.0.1:8000",
    database_url: str | None = None,
    load_project_fn: LoadProject,
    **serve_options: Any,
) -> None:
    """Run ``mkdocs serve`` for ``config_file`` with the receiver at ``/api/`` on the same origin.

    ``serve_options`` go to :func:`mkdocs.commands.serve.serve` (``livereload``,
    ``watch_theme``, ``open_in_browser``, …); ``load_project_fn`` loads and checks the
    handbook, again after every rebuild (the receiver's list of commitments follows it).
    """
    root = Path(config_file).resolve().parent
    load = load_project_fn
    project = load(root)
    keys = LiveKeys(root, load, project)
    store = open_store(database_url or default_database_url(root))
    try:
        # pages come from the development server's own address: allow its origin
        origins = local_origins(dev_addr)
        app = receiver_for_project(project, store, keys=keys, extra_origins=origins)
        with server_class(mount_receiver(app, on_rebuild=keys.refresh_later)):
            mkdocs_serve.serve(config_file, dev_addr=dev_addr, **serve_options)
    finally:
        store.close()


def _keeping_last_good_site(builder: Callable[..., None]) -> Callable[..., None]:
    """A rebuild that, when it fails, leaves the last good site served instead of stalling.

    The handbook stops a broken build before anything is written, so the previous files
    are still in place; the errors have already been printed by the build itself.
    """

    def build(*args: Any, **kwargs: Any) -> None:
        try:
            builder(*args, **kwargs)
        except Exception:
            log.error(
                "The edit was not published: fix the errors above. Still serving the last "
                "good version of the handbook."
            )

    return build


def _followed_by(builder: Callable[..., None], after: Callable[[], object]) -> Callable[..., None]:
    def build(*args: Any, **kwargs: Any) -> None:
        builder(*args, **kwargs)
        after()

    return build

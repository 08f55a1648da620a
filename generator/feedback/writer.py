"""Group commit: answers that arrive together are written in one transaction.

One thread owns the writes. Posts queue their answer and wait; the thread takes
everything that is queued (up to ``max_batch``), writes it in one transaction and
commits, and only then tells each post its id. So every acknowledged answer is
durable, while one commit (one sync to disk) serves many posts.

The writer also knows how writing is going, without waiting for it: the health
check asks :meth:`GroupWriter.health` instead of queueing behind the posts.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from generator.database import describe
from generator.feedback.storage import Pending, Submission

if TYPE_CHECKING:
    from generator.feedback.storage import Store

log = logging.getLogger(__name__)

MAX_BATCH = 512
STALL_SECONDS = 2.0
"""A transaction running longer than this means the database is not taking writes."""
PROBE_EVERY = 5.0
"""While idle, the health check writes a probe at most this often."""


@dataclass(frozen=True, slots=True)
class WriteHealth:
    """Whether the database takes writes; ``reason`` says why not."""

    ok: bool
    reason: str = ""


class _Job:
    __slots__ = ("future", "pending")

    def __init__(self, pending: Pending | None) -> None:
        self.pending = pending
        self.future: Future[int] = Future()


class GroupWriter:
    """The one thread that writes a store's answers, many per transaction."""

    def __init__(
        self,
        store: Store,
        *,
        max_batch: int = MAX_BATCH,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.max_batch = max_batch
        self.stall_seconds = STALL_SECONDS
        self._clock = clock
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._last_ok = clock()
        self._last_failure: tuple[float, str] | None = None
        self._batch_started: float | None = None
        self._last_probe = -PROBE_EVERY
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="feedback-writer", daemon=True)
        self._thread.start()

    def submit(self, submission: Submission, received: datetime | None = None) -> Future[int]:
        """Queue one answer; the future gives its id once the commit is durable."""
        job = _Job((submission, received or datetime.now(UTC)))
        if self._closed:
            job.future.set_exception(RuntimeError("the feedback writer is closed"))
            return job.future
        self._queue.put(job)
        return job.future

    def health(self) -> WriteHealth:
        """How writing goes, answered at once; probes the database only when idle."""
        now = self._clock()
        with self._lock:
            started = self._batch_started
            failure = self._last_failure
            last_ok = self._last_ok
            probe_due = started is None and now - self._last_probe >= PROBE_EVERY
            if probe_due:
                self._last_probe = now
        if started is not None and now - started > self.stall_seconds:
            return WriteHealth(False, "writes have been waiting for the database")
        if failure is not None and failure[0] >= last_ok:
            if probe_due:
                return self._probe()
            return WriteHealth(False, failure[1])
        if probe_due and now - last_ok >= PROBE_EVERY:
            return self._probe()
        return WriteHealth(True)

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued, then stop the thread."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        self._thread.join(timeout)

    def _probe(self) -> WriteHealth:
        """A probe through the queue: the thread is idle, so it does not wait behind posts."""
        job = _Job(None)
        self._queue.put(job)
        try:
            job.future.result(timeout=self.stall_seconds)
        except TimeoutError:
            return WriteHealth(False, "writes have been waiting for the database")
        except Exception as exc:
            return WriteHealth(False, describe(exc))
        return WriteHealth(True)

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            jobs = [first]
            stop = False
            while len(jobs) < self.max_batch:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    stop = True
                    break
                jobs.append(job)
            self._write(jobs)
            if stop:
                return

    def _write(self, jobs: list[_Job]) -> None:
        answers = [job for job in jobs if job.pending is not None]
        probes = [job for job in jobs if job.pending is None]
        with self._lock:
            self._batch_started = self._clock()
        try:
            results: list[int | BaseException] = []
            if answers:
                results = self.store.write_batch([job.pending for job in answers if job.pending])
            probe_error = self._run_probe() if probes else None
        except Exception as exc:  # the store reports faults per answer; this is a last resort
            results = [exc] * len(answers)
            probe_error = exc
        self._record(results, probe_error, had_probe=bool(probes))
        for job, result in zip(answers, results, strict=True):
            if isinstance(result, BaseException):
                job.future.set_exception(result)
            else:
                job.future.set_result(result)
        for job in probes:
            if probe_error is None:
                job.future.set_result(0)
            else:
                job.future.set_exception(probe_error)

    def _run_probe(self) -> BaseException | None:
        try:
            self.store.probe()
        except Exception as exc:
            return exc
        return None

    def _record(
        self,
        results: list[int | BaseException],
        probe_error: BaseException | None,
        *,
        had_probe: bool,
    ) -> None:
        from generator.feedback.storage import AlreadyAnswered  # noqa: PLC0415

        failures = [
            r
            for r in results
            if isinstance(r, BaseException) and not isinstance(r, AlreadyAnswered)
        ]
        if probe_error is not None:
            failures.append(probe_error)
        now = self._clock()
        with self._lock:
            self._batch_started = None
            if failures:
                self._last_failure = (now, describe(failures[0]))
                log.error("feedback not stored: %s", describe(failures[0]))
            elif results or had_probe:
                self._last_ok = now

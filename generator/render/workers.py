"""Work spread over forked processes: every result the same as one process would make it.

A forked worker starts with a copy of everything the parent holds (the organisation,
the templates, MkDocs' navigation), so nothing but the results crosses between
processes. Where ``fork`` is unavailable, and for amounts of work too small to gain,
the work is done in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

R = TypeVar("R")

SMALL_WORK = 150
"""Pages below which the default number of processes is one: forking would not pay."""

_WORK: Callable[[int], Any] | None = None
"""The work of the current :func:`fork_map`, inherited by the workers it forks."""


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    counted = getattr(os, "process_cpu_count", None)  # Python 3.13
    if counted is not None:
        return int(counted() or 1)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether worker processes can start as copies of this one."""
    return "fork" in multiprocessing.get_all_start_methods()


def processes(jobs: int | None, work: int) -> int:
    """How many processes share ``work`` items when ``jobs`` were asked for (None: as many as
    there are usable CPUs, one for small amounts of work); one where ``fork`` is unavailable."""
    if jobs is None:
        jobs = usable_cpus() if work >= SMALL_WORK else 1
    if not can_fork():
        return 1
    return max(1, min(jobs, work))


def _run(indices: Sequence[int]) -> list[Any]:
    work = _WORK
    assert work is not None, "set before the workers were forked"
    return [work(i) for i in indices]


def _start(
    work: Callable[[int], Any], chunks: Sequence[Sequence[int]]
) -> tuple[ProcessPoolExecutor, list[Future[list[Any]]]]:
    """Fork one worker per chunk and hand each its chunk."""
    global _WORK  # noqa: PLW0603 - what the forked workers inherit
    _WORK = work
    gc.freeze()  # the workers' collections then leave the inherited objects unshared
    try:
        pool = ProcessPoolExecutor(len(chunks), mp_context=multiprocessing.get_context("fork"))
        futures = [pool.submit(_run, chunk) for chunk in chunks]
    finally:
        gc.unfreeze()
        _WORK = None
    return pool, futures


def fork_map(work: Callable[[int], R], count: int, jobs: int) -> list[R]:
    """``[work(0), …, work(count - 1)]``, computed by ``jobs`` processes (this one among them).

    Items are dealt out in turn (``i % jobs``), so neighbouring items of similar cost
    spread evenly.
    """
    if jobs <= 1 or count < 2:
        return [work(i) for i in range(count)]
    shares = [range(k, count, jobs) for k in range(jobs)]
    pool, futures = _start(work, shares[1:])
    try:
        mine = [work(i) for i in shares[0]]
        results: list[Any] = [None] * count
        results[0::jobs] = mine
        for k, future in enumerate(futures, start=1):
            results[k::jobs] = future.result()
    finally:
        pool.shutdown(cancel_futures=True)
    return results

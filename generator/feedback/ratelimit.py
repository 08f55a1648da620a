"""A per-client limit on answers, held in memory only (client addresses are never stored)."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Protocol


class Limiter(Protocol):
    """Counts hits per client; ``hit`` says how long to wait (0: go ahead)."""

    def hit(self, client: str) -> float:
        """Record one hit; return 0 when allowed, else the seconds to wait."""


class RateLimiter:
    """At most ``limit`` hits per client in any ``window`` seconds (sliding window)."""

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a rate limit needs a positive count and window")
        self.limit = limit
        self.window = window
        self.max_clients = max_clients
        self._clock = clock
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, client: str) -> float:
        """Record one hit; return 0 when allowed, else the seconds to wait."""
        now = self._clock()
        with self._lock:
            hits = self._hits.pop(client, None) or deque()
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            self._hits[client] = hits
            self._forget_oldest()
            if len(hits) >= self.limit:
                return max(hits[0] + self.window - now, 0.001)
            hits.append(now)
            return 0.0

    def _forget_oldest(self) -> None:
        while len(self._hits) > self.max_clients:
            self._hits.popitem(last=False)


def retry_after(seconds: float) -> str:
    """The ``Retry-After`` header value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))

"""A rate limit kept in the database, so that every receiver of one database shares it.

Counts live in ``feedback_rate`` per (keyed hash of the client, time window); the
hash uses a random salt kept in the database, so no address is stored, and rows
of past windows are deleted. The limit is a sliding window approximated from
the current and the previous fixed window, checked and counted in one statement.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time
from collections.abc import Callable

from sqlalchemy import delete, select

from generator.feedback.storage import Store, _dialect_insert, rate_table

SALT_NAME = "rate-limit"


class DatabaseLimiter:
    """At most ``limit`` hits per client in ``window`` seconds, across processes."""

    def __init__(
        self,
        store: Store,
        limit: int,
        window: float,
        *,
        scope: str = "",
        clock: Callable[[], float] = time.time,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a rate limit needs a positive count and window")
        self.store = store
        self.limit = limit
        self.window = window
        self.scope = scope
        self._clock = clock
        self._salt = store.salt(SALT_NAME)
        self._cleaned = -1
        self._lock = threading.Lock()

    def hit(self, client: str) -> float:
        """Record one hit; return 0 when allowed, else the seconds to wait."""
        now = self._clock()
        current = int(now // self.window)
        elapsed = (now % self.window) / self.window
        bucket = self._bucket(client)
        table = rate_table
        with self.store.engine.begin() as conn:
            previous = conn.execute(
                select(table.c.hits).where(table.c.bucket == bucket, table.c.window == current - 1)
            ).scalar()
            allowed = self.limit - math.floor((previous or 0) * (1 - elapsed))
            counted = None
            if allowed > 0:
                statement = _dialect_insert(conn, table).values(
                    bucket=bucket, window=current, hits=1
                )
                statement = statement.on_conflict_do_update(
                    index_elements=["bucket", "window"],
                    set_={"hits": table.c.hits + 1},
                    where=table.c.hits < allowed,
                )
                counted = conn.execute(statement.returning(table.c.hits)).scalar()
            self._clean(conn, current)
        if counted is not None:
            return 0.0
        return max((current + 1) * self.window - now, 0.001)

    def _bucket(self, client: str) -> str:
        message = f"{self.scope}\n{client}".encode()
        return hmac.new(self._salt, message, hashlib.sha256).hexdigest()

    def _clean(self, conn: object, current: int) -> None:
        """Once per window and process, forget the windows that no longer count."""
        with self._lock:
            if self._cleaned == current:
                return
            self._cleaned = current
        from sqlalchemy import Connection  # noqa: PLC0415

        assert isinstance(conn, Connection)
        conn.execute(delete(rate_table).where(rate_table.c.window < current - 1))

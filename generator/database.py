"""What the feedback and requests databases share: SQLite or PostgreSQL engines,
timestamps kept in UTC, and database errors told in one line.

SQLite (the default, a file next to the handbook) runs with WAL, so readers and the
feedback receiver work side by side, and FULL sync, so what was acknowledged or
imported survives a crash.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Dialect, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.types import TypeDecorator

from generator.diagnostics.values import HandbookError

SUPPORTED_DATABASES = ("sqlite", "postgresql")
DATABASE_FILE = "feedback.db"  # a handbook's default database: feedback and requests
DATABASE_ENV = "HANDBOOK_DATABASE_URL"


class DatabaseError(HandbookError):
    """A database can't be opened or used; the message is one line."""


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that goes in and comes out as an aware UTC datetime."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of an SQLite database file."""
    return f"sqlite:///{path.resolve()}"


def default_database_url(root: Path) -> str:
    """``$HANDBOOK_DATABASE_URL`` if set, else the handbook's ``feedback.db``."""
    return os.environ.get(DATABASE_ENV) or sqlite_url(root / DATABASE_FILE)


def open_engine(url: str, *, file_reason: str = "") -> Engine:
    """An engine for an SQLite file or a PostgreSQL server at ``url``.

    Every problem with the URL or the SQLite file's folder is a :class:`DatabaseError`;
    ``file_reason`` says why an in-memory SQLite database won't do.
    """
    try:
        parsed = make_url(url)
        backend = parsed.get_backend_name()
    except (ArgumentError, ValueError) as exc:
        raise DatabaseError(f"unusable database URL: {one_line(exc)}") from None
    if backend not in SUPPORTED_DATABASES:
        raise DatabaseError(
            f"unusable database URL: {backend} is not supported; use SQLite or PostgreSQL"
        )
    try:
        if backend != "sqlite":
            return create_engine(parsed, pool_pre_ping=True)
        if parsed.database in (None, "", ":memory:"):
            reason = f" ({file_reason})" if file_reason else ""
            raise DatabaseError(f"unusable database URL: an SQLite database must be a file{reason}")
        _make_folder(Path(parsed.database).parent)
        engine = create_engine(parsed)
    except (ArgumentError, ValueError, ImportError) as exc:
        raise DatabaseError(f"unusable database URL: {one_line(exc)}") from None
    event.listen(engine, "connect", _configure_sqlite)
    return engine


def describe(exc: BaseException) -> str:
    """A database error in one line: the driver's own message, without SQL or links."""
    original = getattr(exc, "orig", None) or exc
    return f"{original.__class__.__name__}: {one_line(original)}"


def one_line(exc: BaseException) -> str:
    """The first line of an exception's message."""
    lines = str(exc).strip().splitlines()
    return lines[0].strip() if lines else exc.__class__.__name__


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise DatabaseError(
            f"cannot create the database folder {folder}: a file is in the way"
        ) from None
    except OSError as exc:
        reason = exc.strerror or one_line(exc)
        raise DatabaseError(f"cannot create the database folder {folder}: {reason}") from None


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """WAL for concurrent readers and writers, FULL sync so a commit survives a crash."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()

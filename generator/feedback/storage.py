"""Where feedback lives: one table, SQLite by default, PostgreSQL by URL.

A row holds what the internal customer chose to tell and when — never who
they are: no IP address, no user agent, no cookie.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    Engine,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.types import TypeDecorator

SCHEMA_VERSION = 1
MAX_COMMENT = 2000
ID_LENGTH = 64


class StoreError(Exception):
    """The feedback database can't be opened or used."""


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


metadata = MetaData()

feedback_table = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(2 * ID_LENGTH + 1), nullable=False),
    Column("role_id", String(ID_LENGTH), nullable=False),
    Column("commitment_id", String(ID_LENGTH), nullable=False),
    Column("rating", SmallInteger, nullable=False),
    Column("comment", Text, nullable=True),
    Column("priority", String(ID_LENGTH), nullable=True),
    Column("team", String(ID_LENGTH), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("rating BETWEEN 1 AND 5", name="feedback_rating_range"),
    CheckConstraint(
        f"comment IS NULL OR length(comment) <= {MAX_COMMENT}", name="feedback_comment_length"
    ),
    Index("feedback_created_at", "created_at"),
    Index("feedback_key", "key"),
)

schema_version_table = Table(
    "feedback_schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
)


@dataclass(frozen=True, slots=True)
class Submission:
    """One validated answer of a feedback form, before it is stored."""

    key: str
    rating: int
    comment: str | None = None
    priority: str | None = None
    team: str | None = None

    @property
    def role_id(self) -> str:
        """The role part of ``<role-id>/<commitment-id>``."""
        return self.key.partition("/")[0]

    @property
    def commitment_id(self) -> str:
        """The commitment part of ``<role-id>/<commitment-id>``."""
        return self.key.partition("/")[2]


@dataclass(frozen=True, slots=True)
class FeedbackRow:
    """One stored answer."""

    id: int
    key: str
    role_id: str
    commitment_id: str
    rating: int
    comment: str | None
    priority: str | None
    team: str | None
    created_at: datetime


class Store:
    """The feedback table behind an SQLAlchemy engine; each write is committed on return."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, submission: Submission, *, now: datetime | None = None) -> int:
        """Store one answer and return its id; committed (durable) when this returns."""
        values = {
            "key": submission.key,
            "role_id": submission.role_id,
            "commitment_id": submission.commitment_id,
            "rating": submission.rating,
            "comment": submission.comment,
            "priority": submission.priority,
            "team": submission.team,
            "created_at": now or datetime.now(UTC),
        }
        with self.engine.begin() as conn:
            result = conn.execute(insert(feedback_table).values(**values))
            primary_key = result.inserted_primary_key
        assert primary_key is not None
        return int(primary_key[0])

    def rows(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[FeedbackRow]:
        """Answers received in ``[since, until)``, oldest first."""
        query = (
            select(feedback_table)
            .where(*_period(since, until))
            .order_by(feedback_table.c.created_at, feedback_table.c.id)
        )
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                yield FeedbackRow(**row._asdict())

    def count(self, since: datetime | None = None, until: datetime | None = None) -> int:
        """How many answers were received in ``[since, until)``."""
        query = select(func.count()).select_from(feedback_table).where(*_period(since, until))
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def ping(self) -> None:
        """Raise if the database can't be reached."""
        with self.engine.connect() as conn:
            conn.execute(select(1))

    def close(self) -> None:
        """Release every database connection."""
        self.engine.dispose()


def _period(since: datetime | None, until: datetime | None) -> list[Any]:
    created = feedback_table.c.created_at
    clauses = []
    if since is not None:
        clauses.append(created >= since)
    if until is not None:
        clauses.append(created < until)
    return clauses


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of an SQLite database file."""
    return f"sqlite:///{path.resolve()}"


def open_store(url: str) -> Store:
    """Connect to ``url``, create or upgrade the tables, and return the store."""
    try:
        engine = _create_engine(url)
    except (ArgumentError, ValueError, ImportError) as exc:
        raise StoreError(f"unusable database URL: {exc}") from None
    try:
        _migrate(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(
            f"cannot open the feedback database: {exc.__class__.__name__}: {exc}"
        ) from None
    except StoreError:
        engine.dispose()
        raise
    return Store(engine)


def _create_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    if parsed.database in (None, "", ":memory:"):
        raise ValueError("an SQLite database must be a file (feedback must survive a restart)")
    Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed)
    event.listen(engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """WAL for concurrent readers, FULL sync so an acknowledged answer survives a crash."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def _migrate(engine: Engine) -> None:
    metadata.create_all(engine)
    with engine.begin() as conn:
        found = conn.execute(select(func.max(schema_version_table.c.version))).scalar()
        if found is None:
            conn.execute(insert(schema_version_table).values(version=SCHEMA_VERSION))
        elif found > SCHEMA_VERSION:
            raise StoreError(
                f"the feedback database has schema version {found}, newer than this handbook "
                f"understands ({SCHEMA_VERSION}); upgrade the handbook tool"
            )

"""Where imported requests live: the ``requests`` table next to the feedback.

One row per ``(source, request_id)``: importing the same export again changes
nothing, and a later export of the same request (now resolved) updates it.
SQLite by default (the handbook's ``feedback.db``), PostgreSQL by URL.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    func,
    insert,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from generator.database import (
    DatabaseError,
    UTCDateTime,
    describe,
    open_engine,
)
from generator.requests.rows import MAX_ID, Request

SCHEMA_VERSION = 1
BATCH = 500
_VALUES = ("commitment", "priority", "opened", "first_response", "resolved")
_COLUMNS = ("source", "request_id", *_VALUES)


class StoreError(DatabaseError):
    """The requests database can't be opened or used."""


metadata = MetaData()

requests_table = Table(
    "requests",
    metadata,
    Column("source", String(64), primary_key=True),
    Column("request_id", String(MAX_ID), primary_key=True),
    Column("commitment", String(129), nullable=False),
    Column("priority", String(64), nullable=False),
    Column("opened", UTCDateTime, nullable=False),
    Column("first_response", UTCDateTime, nullable=True),
    Column("resolved", UTCDateTime, nullable=True),
    Index("requests_commitment", "commitment"),
    Index("requests_opened", "opened"),
)

schema_version_table = Table(
    "requests_schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
)


@dataclass(frozen=True, slots=True)
class Saved:
    """What storing a batch did."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: Saved) -> Saved:
        return Saved(
            self.new + other.new, self.updated + other.updated, self.unchanged + other.unchanged
        )


class Writer:
    """Stores requests inside one open transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._upsert = _upsert_statement(conn.dialect.name)
        if conn.dialect.name == "postgresql":
            # The planner's statistics don't see the rows this transaction adds, so a
            # first import of many rows would look each batch up by scanning the table.
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")

    def save(self, requests: Sequence[Request]) -> Saved:
        """Insert new requests and update changed ones; the rest stays as it is."""
        saved = Saved()
        for start in range(0, len(requests), BATCH):
            saved += self._save_batch(requests[start : start + BATCH])
        return saved

    def _save_batch(self, batch: Sequence[Request]) -> Saved:
        stored = self._stored(batch)
        changed = [r for r in batch if stored.get((r.source, r.request_id)) != r]
        if changed:
            self.conn.execute(self._upsert, [_values(r) for r in changed])
        new = sum(1 for r in changed if (r.source, r.request_id) not in stored)
        return Saved(new, len(changed) - new, len(batch) - len(changed))

    def _stored(self, batch: Sequence[Request]) -> dict[tuple[str, str], Request]:
        table = requests_table.c
        found: dict[tuple[str, str], Request] = {}
        for source in {r.source for r in batch}:
            ids = [r.request_id for r in batch if r.source == source]
            query = select(requests_table).where(table.source == source, table.request_id.in_(ids))
            for row in self.conn.execute(query):
                request = Request(**row._asdict())
                found[(request.source, request.request_id)] = request
        return found


class RequestStore:
    """The requests table behind an SQLAlchemy engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def writing(self, *, keep: bool = True) -> Iterator[Writer]:
        """A writer whose work is committed at the end, or rolled back if not ``keep``.

        An exception rolls everything back: a file is imported whole or not at all.
        """
        with self.engine.connect() as conn:
            transaction = conn.begin()
            try:
                yield Writer(conn)
            except BaseException:
                transaction.rollback()
                raise
            if keep:
                transaction.commit()
            else:
                transaction.rollback()

    def requests(self, source: str | None = None) -> Iterator[Request]:
        """Every stored request (of ``source``), by opening time."""
        table = requests_table.c
        query = select(requests_table).order_by(table.opened, table.source, table.request_id)
        if source is not None:
            query = query.where(table.source == source)
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                yield Request(**row._asdict())

    def count(self, source: str | None = None) -> int:
        """How many requests are stored (of ``source``)."""
        query = select(func.count()).select_from(requests_table)
        if source is not None:
            query = query.where(requests_table.c.source == source)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def close(self) -> None:
        """Release every database connection."""
        self.engine.dispose()


def open_store(url: str) -> RequestStore:
    """Connect to ``url``, create the requests tables if needed, and return the store."""
    try:
        engine = open_engine(url, file_reason="requests must survive a restart")
    except DatabaseError as exc:
        raise StoreError(str(exc)) from None
    try:
        _migrate(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"cannot open the requests database: {describe(exc)}") from None
    except StoreError:
        engine.dispose()
        raise
    return RequestStore(engine)


def _values(request: Request) -> dict[str, Any]:
    return {name: getattr(request, name) for name in _COLUMNS}


def _upsert_statement(dialect: str) -> Any:
    """INSERT … ON CONFLICT (source, request_id) DO UPDATE, for SQLite and PostgreSQL."""
    module: Any = {"sqlite": sqlite, "postgresql": postgresql}.get(dialect)
    if module is None:
        raise StoreError(f"requests are stored in SQLite or PostgreSQL, not {dialect}")
    statement = module.insert(requests_table)
    return statement.on_conflict_do_update(
        index_elements=["source", "request_id"],
        set_={name: statement.excluded[name] for name in _VALUES},
    )


def _migrate(engine: Engine) -> None:
    metadata.create_all(engine)
    with engine.begin() as conn:
        found = conn.execute(select(func.max(schema_version_table.c.version))).scalar()
        if found is None:
            conn.execute(insert(schema_version_table).values(version=SCHEMA_VERSION))
        elif found > SCHEMA_VERSION:
            raise StoreError(
                f"the requests tables have schema version {found}, newer than this handbook "
                f"understands ({SCHEMA_VERSION}); upgrade the handbook tool"
            )

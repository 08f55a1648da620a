"""Where feedback lives: one table, SQLite by default, PostgreSQL by URL.

A row holds what the internal customer chose to tell and when — never who
they are: no IP address, no user agent, no cookie. A verified answer carries
a ``voter``: a keyed hash that tells two answers of the same invitation (or
of the same person for the same commitment in the same period) apart from
others, and nothing else.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Connection,
    Engine,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from generator.database import DatabaseError, UTCDateTime, describe, open_engine

if TYPE_CHECKING:
    from generator.feedback.writer import GroupWriter

SCHEMA_VERSION = 2
MAX_COMMENT = 2000
ID_LENGTH = 64
VOTER_LENGTH = 64
PROBE_KEY = "health-probe/health-probe"
Verification = Literal["open", "invitation", "sso"]
VERIFICATIONS: tuple[Verification, ...] = ("open", "invitation", "sso")


class StoreError(DatabaseError):
    """The feedback database can't be opened or used."""


class AlreadyAnswered(Exception):  # noqa: N818 - names the verdict on the answer
    """The invitation this answer carries has been used before."""


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
    Column("verification", String(16), nullable=False, server_default="open"),
    Column("voter", String(VOTER_LENGTH), nullable=True),
    CheckConstraint("rating BETWEEN 1 AND 5", name="feedback_rating_range"),
    CheckConstraint(
        f"comment IS NULL OR length(comment) <= {MAX_COMMENT}", name="feedback_comment_length"
    ),
    Index("feedback_created_at", "created_at"),
    Index("feedback_key", "key"),
    Index("feedback_voter", "key", "voter", unique=True),
)

rate_table = Table(
    "feedback_rate",
    metadata,
    Column("bucket", String(VOTER_LENGTH), primary_key=True),
    Column("window", BigInteger, primary_key=True, autoincrement=False),
    Column("hits", Integer, nullable=False),
)
"""Hits per (keyed hash of a client or person, time window), shared by receivers."""

salt_table = Table(
    "feedback_salt",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", String(64), nullable=False),
)
"""Random salts created with the database (the rate limiter's keyed hashes)."""


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
    verification: Verification = "open"
    voter: str | None = None
    """Keyed hash of the invitation or of (person, commitment, period); None when open."""

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
    verification: Verification = "open"

    @property
    def verified(self) -> bool:
        """True for answers of an invitation or a signed-on person."""
        return self.verification != "open"


Pending = tuple[Submission, datetime]
"""An answer waiting to be written, with the time it was received."""

_ROW_COLUMNS = [
    feedback_table.c[name]
    for name in (
        "id",
        "key",
        "role_id",
        "commitment_id",
        "rating",
        "comment",
        "priority",
        "team",
        "created_at",
        "verification",
    )
]


class Store:
    """The feedback table behind an SQLAlchemy engine; each write is committed on return."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer: GroupWriter | None = None

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return str(self.engine.dialect.name)

    def add(self, submission: Submission, *, now: datetime | None = None) -> int:
        """Store one answer and return its id; committed (durable) when this returns.

        Raises :class:`AlreadyAnswered` when the answer's invitation was used before.
        """
        (result,) = self.write_batch([(submission, now or datetime.now(UTC))])
        if isinstance(result, BaseException):
            raise result
        return result

    def write_batch(self, batch: Sequence[Pending]) -> list[int | BaseException]:
        """Write answers in one transaction; per answer its id or why it was not stored.

        Every id returned is committed. When the transaction fails, the answers are
        tried one at a time, so that one bad answer does not take the others with it.
        """
        try:
            with self.engine.begin() as conn:
                return _write_all(conn, batch)
        except SQLAlchemyError as exc:
            if len(batch) == 1:
                return [exc]
        return [self._write_alone(item) for item in batch]

    def _write_alone(self, item: Pending) -> int | BaseException:
        try:
            with self.engine.begin() as conn:
                return _write_all(conn, [item])[0]
        except SQLAlchemyError as exc:
            return exc

    def writer(self) -> GroupWriter:
        """The group-commit writer of this store, started on first use."""
        from generator.feedback.writer import GroupWriter  # noqa: PLC0415 - the writer imports this module

        if self._writer is None:
            self._writer = GroupWriter(self)
        return self._writer

    def rows(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        *,
        verified_only: bool = False,
    ) -> Iterator[FeedbackRow]:
        """Answers received in ``[since, until)``, oldest first."""
        clauses = _period(since, until)
        if verified_only:
            clauses.append(feedback_table.c.verification != "open")
        query = (
            select(*_ROW_COLUMNS)
            .where(*clauses)
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

    def probe(self) -> None:
        """Raise if the database would refuse an answer (full, read-only, locked).

        Writes an answer of the largest size and deletes it in the same transaction,
        so nobody ever sees it, and commits: the same work a real answer needs.
        """
        values = _values(Submission(PROBE_KEY, 1, "x" * MAX_COMMENT), datetime.now(UTC))
        with self.engine.begin() as conn:
            inserted = conn.execute(insert(feedback_table).returning(feedback_table.c.id), values)
            row_id = inserted.scalar_one()
            conn.execute(delete(feedback_table).where(feedback_table.c.id == row_id))

    def salt(self, name: str) -> bytes:
        """A random salt kept in the database under ``name`` (created on first use)."""
        query = select(salt_table.c.value).where(salt_table.c.name == name)
        with self.engine.begin() as conn:
            found = conn.execute(query).scalar()
            if found is None:
                values = {"name": name, "value": secrets.token_hex(32)}
                conn.execute(
                    _dialect_insert(conn, salt_table).values(**values).on_conflict_do_nothing()
                )
                found = conn.execute(query).scalar_one()
        return bytes.fromhex(found)

    def close(self) -> None:
        """Finish pending writes and release every database connection."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self.engine.dispose()


def _values(submission: Submission, received: datetime) -> dict[str, Any]:
    return {
        "key": submission.key,
        "role_id": submission.role_id,
        "commitment_id": submission.commitment_id,
        "rating": submission.rating,
        "comment": submission.comment,
        "priority": submission.priority,
        "team": submission.team,
        "created_at": received,
        "verification": submission.verification,
        "voter": submission.voter,
    }


def _write_all(conn: Connection, batch: Sequence[Pending]) -> list[int | BaseException]:
    """Insert ``batch`` in the current transaction: open answers in one statement."""
    results: list[int | BaseException] = [0] * len(batch)
    open_positions = [i for i, (sub, _) in enumerate(batch) if sub.voter is None]
    if open_positions:
        params = [_values(*batch[i]) for i in open_positions]
        if conn.dialect.name == "sqlite":
            ids = _insert_many_sqlite(conn, params)
        else:
            statement = insert(feedback_table).returning(
                feedback_table.c.id, sort_by_parameter_order=True
            )
            ids = list(conn.execute(statement, params).scalars().all())
        for position, row_id in zip(open_positions, ids, strict=True):
            results[position] = int(row_id)
    for position, (sub, received) in enumerate(batch):
        if sub.voter is not None:
            results[position] = _write_verified(conn, _values(sub, received))
    return results


_INSERT_COLUMNS = (
    "key",
    "role_id",
    "commitment_id",
    "rating",
    "comment",
    "priority",
    "team",
    "created_at",
    "verification",
    "voter",
)


def _insert_many_sqlite(conn: Connection, params: list[dict[str, Any]]) -> list[int]:
    """One ``executemany`` on the driver: the whole batch in C, without per-row Python.

    Row ids are consecutive: the transaction holds SQLite's write lock from the first
    insert on, and each new row gets the largest id so far plus one.
    """
    processors = [
        feedback_table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        for name in _INSERT_COLUMNS
    ]
    rows = [
        tuple(
            process(values[name]) if process else values[name]
            for name, process in zip(_INSERT_COLUMNS, processors, strict=True)
        )
        for values in params
    ]
    names = ", ".join(_INSERT_COLUMNS)
    marks = ", ".join("?" for _ in _INSERT_COLUMNS)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(f"INSERT INTO feedback ({names}) VALUES ({marks})", rows)
        last = int(cursor.execute("SELECT last_insert_rowid()").fetchone()[0])
    finally:
        cursor.close()
    return list(range(last - len(rows) + 1, last + 1))


def _write_verified(conn: Connection, values: dict[str, Any]) -> int | BaseException:
    """An invitation counts once; a signed-on person's later answer replaces the earlier."""
    statement = _dialect_insert(conn, feedback_table).values(**values)
    if values["verification"] == "invitation":
        statement = statement.on_conflict_do_nothing(index_elements=["key", "voter"])
    else:
        replaced = {name: values[name] for name in ("rating", "comment", "priority", "team")}
        statement = statement.on_conflict_do_update(
            index_elements=["key", "voter"],
            set_={**replaced, "created_at": values["created_at"]},
        )
    row_id = conn.execute(statement.returning(feedback_table.c.id)).scalar()
    if row_id is None:
        return AlreadyAnswered("this invitation has already been used")
    return int(row_id)


def _dialect_insert(conn: Connection, table: Table) -> Any:
    """INSERT with ON CONFLICT for SQLite or PostgreSQL."""
    return (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(table)


def _period(since: datetime | None, until: datetime | None) -> list[Any]:
    created = feedback_table.c.created_at
    clauses = []
    if since is not None:
        clauses.append(created >= since)
    if until is not None:
        clauses.append(created < until)
    return clauses


def open_store(url: str) -> Store:
    """Connect to ``url``, create or upgrade the tables, and return the store.

    Every problem is a :class:`StoreError` with a one-line message.
    """
    try:
        engine = open_engine(url, file_reason="feedback must survive a restart")
    except DatabaseError as exc:
        raise StoreError(str(exc)) from None
    try:
        _migrate(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"cannot open the feedback database: {describe(exc)}") from None
    except StoreError:
        engine.dispose()
        raise
    return Store(engine)


def _migrate(engine: Engine) -> None:
    with engine.begin() as conn:
        existing = set(inspect(conn).get_table_names())
        found = (
            conn.execute(select(func.max(schema_version_table.c.version))).scalar()
            if schema_version_table.name in existing
            else None
        )
        if found is not None and found > SCHEMA_VERSION:
            raise StoreError(
                f"the feedback database has schema version {found}, newer than this handbook "
                f"understands ({SCHEMA_VERSION}); upgrade the handbook tool"
            )
        if found == 1 and feedback_table.name in existing:
            _upgrade_from_1(conn)
        metadata.create_all(conn)
        if found is None:
            conn.execute(insert(schema_version_table).values(version=SCHEMA_VERSION))
        elif found < SCHEMA_VERSION:
            conn.execute(update(schema_version_table).values(version=SCHEMA_VERSION))


def _upgrade_from_1(conn: Connection) -> None:
    """Version 2 adds whether an answer is verified, and its voter hash."""
    conn.execute(
        text("ALTER TABLE feedback ADD COLUMN verification VARCHAR(16) NOT NULL DEFAULT 'open'")
    )
    conn.execute(text(f"ALTER TABLE feedback ADD COLUMN voter VARCHAR({VOTER_LENGTH})"))
    voter_index = next(i for i in feedback_table.indexes if i.name == "feedback_voter")
    voter_index.create(conn)

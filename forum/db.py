"""Declarative base, naming convention and the column types every package shares."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so Alembic can alter them on SQLite (batch mode) and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite keeps no zone, PostgreSQL keeps `timestamptz`; both give back aware UTC here,
    so no code compares a naive time with an aware one.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    # Set on the registry itself: Flask-SQLAlchemy subclasses this base, and SQLAlchemy
    # refuses a per-subclass type_annotation_map.
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), dict[str, Any]: sa.JSON()},
    )
    if TYPE_CHECKING:  # every model here maps one Table (DeclarativeBase types it as any FromClause)
        __table__: ClassVar[sa.Table]


def utcnow() -> datetime:
    return datetime.now(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)  # when the row was made
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


COPY_FROM = 100  # rows from which `insert_many` sends them by COPY on PostgreSQL


def insert_many(connection: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (dicts naming the same columns) into `table`, in the connection's transaction.

    On PostgreSQL, COPY_FROM rows or more go by one COPY: the server then checks the same
    constraints and fires the same triggers, without planning and executing an INSERT per row
    (a plain executemany sends one per row), and psycopg writes the values without
    SQLAlchemy's per-row parameter handling. Otherwise, and on SQLite, one executemany. A
    constraint broken raises SQLAlchemy's IntegrityError either way."""
    if not rows:
        return
    names = list(rows[0])
    # columns the rows leave out get their Python-side default, as an INSERT gives them
    # (COPY only knows the server's); a default computed by SQL stays with the INSERT
    defaults = [column for column in table.columns if column.name not in names and column.default is not None]
    if (connection.dialect.name != "postgresql" or len(rows) < COPY_FROM
            or any(not (c.default.is_scalar or c.default.is_callable) for c in defaults)):  # type: ignore[union-attr]
        connection.execute(sa.insert(table), rows)
        return
    import psycopg

    scalars = {c.name: c.default.arg for c in defaults if c.default.is_scalar}  # type: ignore[union-attr]
    callables = {c.name: c.default.arg for c in defaults if c.default.is_callable}  # type: ignore[union-attr]
    given = list(names)
    names += [*scalars, *callables]
    fixed = list(scalars.values())
    # the values as an INSERT would bind them (aware UTC times, JSON wrapped for psycopg)
    processors = [table.c[name].type.dialect_impl(connection.dialect).bind_processor(connection.dialect) for name in names]
    convert = [(index, proc) for index, proc in enumerate(processors) if proc is not None]
    columns = ", ".join(connection.dialect.identifier_preparer.quote(name) for name in names)
    statement = f"COPY {connection.dialect.identifier_preparer.format_table(table)} ({columns}) FROM STDIN"
    cursor = connection.connection.cursor()
    try:
        with cursor.copy(statement) as copy:
            for row in rows:
                values = [row[name] for name in given]
                values += fixed
                values += [make(None) for make in callables.values()]  # called per row, as by an INSERT
                for index, proc in convert:
                    values[index] = proc(values[index])
                copy.write_row(values)
    except psycopg.Error as error:  # as SQLAlchemy would raise it (IntegrityError for a clash)
        raise sa.exc.DBAPIError.instance(statement, None, error, psycopg.Error) from error
    finally:
        cursor.close()


class _ByIdentity:
    """A compiled-statement cache that finds a statement by the identity of its cache key.
    SQLAlchemy's own cache hashes the whole key on every execution: a nested tuple of about a
    thousand parts for the door's lookup and for the API's token (some 25 µs of each scan). A
    statement built once keeps one key object for its life, so its identity is enough. Each
    entry holds its dialect and key, so neither identity is reused while the entry is here;
    bounded, for the few statements given to execute_built_once."""

    LIMIT = 32

    def __init__(self) -> None:
        self._found: dict[tuple, tuple] = {}

    def get(self, key: tuple, default: Any = None) -> Any:
        dialect, statement_key, *rest = key
        found = self._found.get((id(dialect), id(statement_key), *rest))
        if found is None or found[0] is not dialect or found[1] is not statement_key:
            return default
        return found[2]

    def __setitem__(self, key: tuple, compiled: Any) -> None:
        dialect, statement_key, *rest = key
        if len(self._found) >= self.LIMIT:
            self._found.clear()  # statements not built once after all: compiled anew, never mixed up
        self._found[(id(dialect), id(statement_key), *rest)] = (dialect, statement_key, compiled)


_BUILT_ONCE = {"compiled_cache": _ByIdentity()}


def execute_built_once(connection: sa.Connection, statement: sa.Executable, params: dict[str, Any]) -> sa.CursorResult:
    """Run a statement that is built once per process (functools.cache) and run on nearly every
    request of a busy path, with its compiled form found by identity (_ByIdentity)."""
    return connection.execute(statement, params, execution_options=_BUILT_ONCE)


def enum_check(column: str, values: Iterable[str], name: str | None = None) -> sa.CheckConstraint:
    """A CHECK constraint that keeps a string column inside a closed set of values."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({quoted})", name=name or f"{column}_allowed")


def translated(value: dict[str, str] | None, locale: str) -> str:
    """The text of a {"ru": …, "tg": …, "en": …} field in `locale`, else in another language,
    unmarked (forum.localize has the rule and the mark)."""
    from forum.localize import localized_texts

    return str(localized_texts(value, locale))


def _sqlite_lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


@sa.event.listens_for(sa.engine.Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """SQLite as a real database: foreign keys on, waits for locks instead of failing at
    once, WAL so readers do not block the door, and a lower() that knows Cyrillic (the
    built-in one folds ASCII only, so 'ГУЛНОРА' would not find 'Гулнора')."""
    import sqlite3

    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.create_function("lower", 1, _sqlite_lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode")
    if cursor.fetchone()[0] not in ("memory",):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def writes_on_get(view):
    """Declares a view that writes although reached by GET (a badge marked printed, a gateway's
    delivery report): on SQLite its transactions take the write lock when they begin, as
    forms' do. Put it under the access decorator."""
    view.writes_on_get = True
    return view


def reads_first(view):
    """Declares a writing view that reads before it writes and says when its writes begin by
    calling begin_writing(): on SQLite its transaction then takes the write lock there rather
    than when it begins, so the reads before it (the API token, the door) do not hold up the
    other writers. The door's scan: the lock is held from its insert to the commit (the badge's
    lookup before it reads without one). Put it under the access decorator."""
    view.reads_first = True
    return view


def begin_writing(session) -> sa.Connection:
    """For a view declared with reads_first: on SQLite, take the writers' turn and the write
    lock now (BEGIN IMMEDIATE), before the reads its writes depend on. The reads before this
    ran outside any transaction (the driver begins none for a SELECT), so nothing stale is
    kept. A no-op when the transaction already writes, and on PostgreSQL. Returns the
    session's connection, for the writes."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return connection
    driver = connection.connection.dbapi_connection
    if driver.in_transaction:
        return connection  # BEGIN IMMEDIATE already (a writer from its start), or the driver began at a write
    _begin_immediate(connection)
    return connection


def _begin_immediate(connection) -> None:
    """The writers' turn, then the write lock (BEGIN IMMEDIATE), sent on the driver's connection
    rather than through SQLAlchemy's execution (2% of a door scan's instructions): the turn is
    held from here, and every microsecond in it is one the other door phones wait."""
    import sqlite3

    driver = connection.connection.dbapi_connection
    driver.isolation_level = None  # the driver then begins nothing itself
    _take_turn(connection)
    try:
        driver.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as error:  # "database is locked", raised as SQLAlchemy would raise it
        raise sa.exc.DBAPIError.instance("BEGIN IMMEDIATE", None, error, sqlite3.Error) from error


def _expects_writes() -> bool:
    """Whether the transaction about to begin is one that writes while others may: a form or
    API request that changes something, a view declared with writes_on_get, or a
    `flask forum …` command (the outbox worker beside the site). Page reads, views declared
    reads_first (they call begin_writing) and code calling services directly keep the
    driver's way."""
    import click
    from flask import current_app, has_request_context, request

    if has_request_context():
        view = current_app.view_functions.get(request.endpoint or "")
        if getattr(view, "reads_first", False):
            return False
        return request.method not in SAFE_METHODS or getattr(view, "writes_on_get", False)
    return click.get_current_context(silent=True) is not None


@sa.event.listens_for(sa.engine.Engine, "begin")
def _begin_sqlite(connection) -> None:
    """On SQLite a transaction that reads first and writes later cannot wait for the write
    lock: when another writer committed since its first read, SQLite answers "database is
    locked" at once, whatever the busy timeout. So a transaction that writes while others
    may takes the lock when it begins (BEGIN IMMEDIATE) and waits its turn there
    (busy_timeout). Others keep the driver's way: reads outside a transaction (WAL: they
    never wait), BEGIN just before the first write. PostgreSQL needs none of this."""
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.dbapi_connection
    if _expects_writes():
        _begin_immediate(connection)
    else:
        driver.isolation_level = ""  # the driver's default


# Writers' turns on a SQLite file. SQLite's own busy handler makes a waiting writer sleep in
# growing steps (up to 100 ms) and poll, so three door phones scanning at once wait tens to
# hundreds of milliseconds for a lock held for one. Writers first take an flock on a file beside
# the database, which the kernel hands to the next one the moment it is released; BEGIN
# IMMEDIATE then finds the database free. The wait blocks in the kernel: polling it (every
# 0.2 ms, which a virtual machine stretched to 0.7) left the turn idle between writers and the
# wake-ups cost more CPU than the scans (bench checkin, SQLite: 550 -> 860 scans a second).
# A turn is released when its transaction ends or its process dies (gunicorn kills a worker
# stuck past its timeout), so a wait is as long as the transaction before it. One thread never
# waits for a turn it holds itself on another connection: that would never end, so it goes
# without, and SQLite's busy timeout answers "database is locked".
_TURN_KEY = "forum_write_turn"
_turns: dict[int, tuple[int, str]] = {}  # descriptor holding a turn -> (thread, turn file)


def _turn_file(connection) -> str | None:
    database = connection.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return f"{database}.writers"


def _take_turn(connection) -> None:
    import fcntl
    import os
    import threading

    path = _turn_file(connection)
    if path is None:
        return
    mine = (threading.get_ident(), path)
    if mine in _turns.values():
        return  # this thread holds the turn on another connection: waiting for itself would never end
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return  # a folder we may not write to: SQLite's busy timeout alone, as before
    fcntl.flock(fd, fcntl.LOCK_EX)
    _turns[fd] = mine
    connection.connection.info[_TURN_KEY] = fd


def _end_turn(dbapi_connection_info) -> None:
    import os

    fd = dbapi_connection_info.pop(_TURN_KEY, None)
    if fd is not None:
        _turns.pop(fd, None)
        os.close(fd)  # closing the descriptor releases its flock


@sa.event.listens_for(sa.engine.Engine, "commit")
def _turn_after_commit(connection) -> None:
    """SQLAlchemy tells of a commit before it sends it, and a turn handed on then finds the
    write lock still held (the WAL's fsync): the next writer's BEGIN IMMEDIATE falls into
    SQLite's busy handler, which sleeps 1, 2, 5, 10… ms. So the commit is made here and the turn
    handed on after it; SQLAlchemy's own commit then finds nothing left to commit. Should this
    commit fail, the turn stays held and SQLAlchemy's commit fails the same way, reports it as
    its error, and the rollback that follows ends the turn."""
    if connection.dialect.name != "sqlite":
        return
    info = connection.connection.info
    if _TURN_KEY not in info:
        return
    import sqlite3

    try:
        connection.connection.dbapi_connection.commit()
    except sqlite3.Error:
        return
    _end_turn(info)


@sa.event.listens_for(sa.engine.Engine, "rollback")
def _turn_after_rollback(connection) -> None:
    if connection.dialect.name == "sqlite":
        _end_turn(connection.connection.info)


@sa.event.listens_for(sa.pool.Pool, "reset")
def _turn_after_reset(_dbapi_connection, record, _reset_state=None) -> None:
    _end_turn(record.info)  # a connection handed back mid-transaction: never keep the turn


@sa.event.listens_for(sa.pool.Pool, "close")
def _turn_after_close(_dbapi_connection, record) -> None:
    _end_turn(record.info)


# A PostgreSQL server may drop a connection that sat idle (a restart, idle_session_timeout, a
# router's NAT table): one taken from the pool after IDLE_PING_SECONDS is pinged first and, if
# dead, replaced (SQLAlchemy retries the checkout on DisconnectionError). One returned a moment
# ago is not: pool_pre_ping would add a round trip to every request of a busy door. SQLite
# files cannot go away.
IDLE_PING_SECONDS = 10.0
_RETURNED_KEY = "forum_returned_at"


@sa.event.listens_for(sa.pool.Pool, "checkin")
def _note_return(_dbapi_connection, record) -> None:
    import time

    record.info[_RETURNED_KEY] = time.monotonic()


@sa.event.listens_for(sa.pool.Pool, "checkout")
def _ping_after_idle(dbapi_connection, record, proxy) -> None:
    import sqlite3
    import time

    returned = record.info.get(_RETURNED_KEY)
    if returned is None or time.monotonic() - returned < IDLE_PING_SECONDS:
        return  # just connected, or in steady use
    if isinstance(dbapi_connection, sqlite3.Connection):
        return
    try:
        proxy._pool._dialect.do_ping(dbapi_connection)  # what pool_pre_ping runs
    except Exception as error:
        raise sa.exc.DisconnectionError(f"idle connection dead: {error}") from error

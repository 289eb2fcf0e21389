"""Declarative base, naming convention and the column types every package shares."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

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


def utcnow() -> datetime:
    return datetime.now(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)  # when the row was made
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def enum_check(column: str, values: Iterable[str], name: str | None = None) -> sa.CheckConstraint:
    """A CHECK constraint that keeps a string column inside a closed set of values."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({quoted})", name=name or f"{column}_allowed")


def translated(value: dict[str, str] | None, locale: str, fallbacks: Iterable[str] = ("ru", "en", "tg")) -> str:
    """The text of a {"ru": …, "tg": …, "en": …} field in `locale`, else the first filled fallback."""
    if not value:
        return ""
    if value.get(locale):
        return value[locale]
    for code in fallbacks:
        if value.get(code):
            return value[code]
    return ""


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

"""Benchmarks: `make bench` runs every module feature packages list in `BENCH` and prints a
table, one row as soon as it is measured.

A module has `run(backend) -> Iterable[Row]` (a generator, so each row prints when it is
ready) and may name the backends it runs on in `BACKENDS` (default: SQLite only). A row
reports a figure beside its floor: the least work that gives the user the same result, done
outside the product, measured in the same run, alternating with the product (product, floor,
product, floor…) so that a busy moment of the shared machine weighs on both alike. Each
figure is the median of those runs, with their min and max.

FORUM_BENCH_SCALE (default 1) shrinks the data and the runs for development; the bounds are
meant for the full size. FORUM_BENCH_BACKENDS (default "sqlite,postgresql") picks the
databases; FORUM_BENCH_DATABASE_URL names the PostgreSQL server (a database of its own is made
and dropped per run).
"""
from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PG_SERVER = os.environ.get("FORUM_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "-": "-"}


def scale() -> float:
    return float(os.environ.get("FORUM_BENCH_SCALE", "1"))


def scaled(count: int, least: int = 1) -> int:
    """`count` at full size, smaller under FORUM_BENCH_SCALE."""
    return max(least, int(count * scale()))


def backends() -> tuple[str, ...]:
    return tuple(b.strip() for b in os.environ.get("FORUM_BENCH_BACKENDS", "sqlite,postgresql").split(",") if b.strip())


@dataclass
class Figure:
    """The median of several runs, with the least and the most."""

    median: float
    low: float
    high: float
    runs: int = 1

    @classmethod
    def of(cls, samples: list[float]) -> Figure:
        return cls(statistics.median(samples), min(samples), max(samples), len(samples))

    def __float__(self) -> float:
        return self.median


def _figure(value) -> Figure | None:
    if value is None or isinstance(value, Figure):
        return value
    return Figure(float(value), float(value), float(value))


@dataclass
class Row:
    name: str  # what was measured
    value: Figure | float | None  # the measured figure (median of runs)
    floor: Figure | float | None  # the bare baseline, same unit
    unit: str  # "s", "req/s", "ms"…
    bound: str  # the rule, e.g. "≤ 2× floor"
    ok: bool  # whether the bound holds
    note: str = ""  # sizes, errors…
    backend: str = "sqlite"
    floor_name: str = ""  # what the floor is
    failed: str = ""  # why the module could not measure this row

    def __post_init__(self):
        self.value, self.floor = _figure(self.value), _figure(self.floor)


def failed_row(name: str, backend: str, reason: str) -> Row:
    return Row(name, None, None, "", "", False, backend=backend, failed=reason)


def alternate(product: Callable[[], object], floor: Callable[[], object], runs: int = 3,
              repeat: int = 1) -> tuple[Figure, Figure]:
    """Seconds per call of `product` and of `floor`, measured in turns (product, floor, product,
    floor…, `runs` of each, each run `repeat` calls): the median of the runs, with min and max."""
    samples: dict[str, list[float]] = {"product": [], "floor": []}
    for _ in range(max(3, runs)):
        for name, fn in (("product", product), ("floor", floor)):
            start = time.perf_counter()
            for _ in range(repeat):
                fn()
            samples[name].append((time.perf_counter() - start) / repeat)
    return Figure.of(samples["product"]), Figure.of(samples["floor"])


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of `repeat` runs of fn, in seconds (kept for the rows without a floor)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_memory(fn: Callable[[], object]) -> float:
    """The peak of Python's allocations (tracemalloc) while fn runs, in MB, from a collected
    heap: for the rows whose bound is memory (one run: memory is not noisy)."""
    import gc
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def load_factor() -> float:
    """How much slower than idle the machine is now: the 1-minute load per core, at least 1.
    Deadlines for starting and stopping servers are multiplied by it."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        return 1.0
    return min(20.0, max(1.0, load / (os.cpu_count() or 1)))


def deadline(seconds: float) -> float:
    """A monotonic deadline `seconds` from now, stretched by the machine's load."""
    return time.monotonic() + seconds * load_factor()


@contextmanager
def database(backend: str) -> Iterator[str]:
    """A fresh, empty database URL of this run's own: an SQLite file in a temporary folder, or
    a PostgreSQL database made on the server and dropped afterwards (like tests' pg_url)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        return
    import sqlalchemy as sa

    server = sa.engine.make_url(PG_SERVER).set(drivername="postgresql+psycopg")
    name = f"forum_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def app_with_schema(backend: str) -> Iterator[tuple]:
    """(app, database URL) with every table created, inside an app context."""
    from config import TestConfig
    from forum import create_app
    from forum.extensions import db

    with database(backend) as url:
        app = create_app(TestConfig(database_url=url))
        with app.app_context():
            db.create_all()
            try:
                yield app, url
            finally:
                db.session.remove()
                db.engine.dispose()


# --- printing: one line per row, flushed as soon as it is measured --------------------------------

HEADER = ("benchmark", "db", "value: median [min–max]", "floor", "ratio", "bound", "ok", "note")


def _show(figure: Figure | None, unit: str) -> str:
    if figure is None:
        return "—"
    if figure.low == figure.high:
        return f"{figure.median:.4g} {unit}"
    return f"{figure.median:.4g} {unit} [{figure.low:.3g}–{figure.high:.3g}]"


def format_row(row: Row) -> str:
    if row.failed:
        cells = (row.name, NAMES.get(row.backend, row.backend), "FAILED", "—", "—", "—", "NO", row.failed)
    else:
        ratio = f"{row.value.median / row.floor.median:.2f}×" if row.value and row.floor and row.floor.median else "—"
        floor = _show(row.floor, row.unit)
        if row.floor_name:
            floor = f"{row.floor_name}: {floor}"
        cells = (row.name, NAMES.get(row.backend, row.backend), _show(row.value, row.unit), floor, ratio, row.bound,
                 "ok" if row.ok else "NO", row.note)
    return "| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |"


def format_header() -> str:
    return "| " + " | ".join(HEADER) + " |\n|" + "|".join("---" for _ in HEADER) + "|"


def format_table(rows: list[Row]) -> str:
    return "\n".join([format_header(), *(format_row(r) for r in rows)])


def settle(engine) -> None:
    """On PostgreSQL, what autovacuum does after a bench loads its rows on a production server
    (the CI server runs PostgreSQL with autovacuum off, and a bench's database is new): the
    planner's statistics, without which it takes the tables for nearly empty and plans badly,
    and the GIN indexes' pending entries merged. Nothing on SQLite."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM (ANALYZE)")


def new_forum(activities: list[str]):
    """A published one-day forum (5 May 2011, 09:00–17:00 Dushanbe) for a benchmark's data;
    call inside an app context with the tables created."""
    from datetime import date, time

    from forum.events.models import Forum
    from forum.events.service import local_span
    from forum.extensions import db

    starts, ends = local_span(date(2011, 5, 5), time(9), time(17), "Asia/Dushanbe")
    names = {"ru": "Бенч", "tg": "Бенч", "en": "Bench"}
    forum = Forum(slug="bench", status="published", title=names, city=names, venue=names, address={}, goals={},
                  description={}, contacts={}, activities=activities, starts_at=starts, ends_at=ends)
    db.session.add(forum)
    db.session.commit()
    return forum


__all__ = ["Figure", "Row", "alternate", "app_with_schema", "best_of", "database", "deadline", "failed_row",
           "format_header", "format_row", "format_table", "load_factor", "new_forum", "peak_memory", "scale",
           "scaled", "settle"]

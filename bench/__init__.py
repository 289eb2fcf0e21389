"""Benchmarks: `make bench` runs every module feature packages list in `BENCH` and prints one table.

Each module has `run() -> list[Row]`. A row reports a measured figure beside its floor
(the same work done the bare way, measured in the same run) and the bound it must meet.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    name: str  # what was measured
    value: float  # the measured figure
    floor: float | None  # the bare baseline, same unit
    unit: str  # "s", "req/s", "ms"…
    bound: str  # the rule, e.g. "≤ 2× floor"
    ok: bool  # whether the bound holds
    note: str = ""  # p99, errors, sizes…


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of `repeat` runs of fn, in seconds: the least disturbed by the machine."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def format_table(rows: list[Row]) -> str:
    header = ("benchmark", "value", "floor", "ratio", "bound", "ok", "note")
    lines = []
    for r in rows:
        ratio = f"{r.value / r.floor:.2f}×" if r.floor else "—"
        floor = f"{r.floor:.4g} {r.unit}" if r.floor is not None else "—"
        lines.append((r.name, f"{r.value:.4g} {r.unit}", floor, ratio, r.bound, "yes" if r.ok else "NO", r.note))
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=False)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
    out += [fmt.format(*line) for line in lines]
    return "\n".join(out)


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

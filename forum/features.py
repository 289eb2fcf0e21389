"""Feature packages announce what they add in their `__init__.py`, so adding a feature
touches only its own folder:

    BLUEPRINTS = ["forum.theatre.routes", "forum.theatre.manage"]  # modules defining `bp`
    COMMANDS = ["forum.theatre.cli"]   # modules with `commands`: click commands for `flask forum`
    DEMO = ("forum.theatre.demo", 50)  # a module with idempotent `load(forums)`, and its order
    BENCH = ["bench.theatre"]          # modules with `run() -> list[bench.Row]`
    COPY = ("forum.theatre.copying", 50)  # copies its settings to the next forum (forum.events.copying)
    MERGE = ["forum.checkin.merging"]  # its own steps when two persons merge (forum.people.merging)

A package's `models.py`, when there is one, is imported so SQLAlchemy and Alembic see it.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from pathlib import Path

CORE = ("auth", "events", "people", "demo")


@cache
def packages() -> tuple:
    here = Path(__file__).resolve().parent
    found = []
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda i: i.name):
        if info.ispkg and info.name not in CORE and info.name not in ("templates", "static", "translations"):
            found.append(importlib.import_module(f"forum.{info.name}"))
    return tuple(found)


def collect(attribute: str) -> list:
    items: list = []
    for package in packages():
        items.extend(getattr(package, attribute, []))
    return items


def demo_steps() -> list[str]:
    steps = [p.DEMO for p in packages() if getattr(p, "DEMO", None)]
    return [module for module, _order in sorted(steps, key=lambda step: step[1])]


def import_models() -> None:
    here = Path(__file__).resolve().parent
    for package in packages():
        name = package.__name__.rsplit(".", 1)[1]
        if (here / name / "models.py").exists():
            importlib.import_module(f"{package.__name__}.models")

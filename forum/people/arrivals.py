"""Who has arrived, for the registrations list and its export, told by the package that
knows (the check-in registers itself here), so people does not import it.

- `places(forum)`: (key, label) of the places one can be missing from: "any" (no entry at
  all), then the forum's checkpoints;
- `not_arrived(forum, key)`: a condition on Registration for those expected at that place
  and not in yet (None for an unknown key: the filter is then ignored);
- `first_arrival(forum)`: a column for a query of Registration: the time of their first entry,
  anywhere (NULL: not in yet), so an export reads it with each row instead of holding every
  arrival of a big forum in a dict.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa


@dataclass(frozen=True)
class Arrivals:
    places: Callable[[Any], list[tuple[str, str]]]
    not_arrived: Callable[[Any, str], sa.ColumnElement | None]
    first_arrival: Callable[[Any], sa.ColumnElement[datetime]]


_source: list[Arrivals] = []


def register_arrivals(source: Arrivals) -> None:
    _source[:] = [source]


def places(forum) -> list[tuple[str, str]]:
    return _source[0].places(forum) if _source else []


def not_arrived(forum, key: str) -> sa.ColumnElement | None:
    return _source[0].not_arrived(forum, key) if _source and key else None


def first_arrival(forum) -> sa.ColumnElement:
    return _source[0].first_arrival(forum) if _source else sa.null()

"""The one pagination helper: a page of a select statement, with counts for the links."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from forum.extensions import db


@dataclass
class Page:
    items: list[Any]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(stmt: sa.Select, number: int | str | None, size: int = 50) -> Page:
    """Page `number` (1-based; bad values mean 1, a page past the end means the last) of
    `stmt`, which must be ordered.

    The page is read first. A page with some rows but fewer than `size` is the last one, so the
    total follows from it and the count is not run: a search usually finds fewer people than a
    page holds, and counting re-runs the whole search (at 50,000 registrations on SQLite, a
    quarter of the list's time). A full page or an empty one needs the count."""
    try:
        number = max(1, int(number or 1))
    except (TypeError, ValueError):
        number = 1
    items = _rows(stmt, number, size)
    if 0 < len(items) < size:
        return Page(items=items, number=number, size=size, total=(number - 1) * size + len(items))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())) or 0
    last = max(1, -(-total // size))
    if number > last:  # past the end (or the list shrank meanwhile): the last page instead
        number = last
        items = _rows(stmt, number, size)
    return Page(items=items, number=number, size=size, total=total)


def _rows(stmt: sa.Select, number: int, size: int) -> list[Any]:
    return list(db.session.scalars(stmt.limit(size).offset((number - 1) * size)))

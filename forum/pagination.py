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
    """Page `number` (1-based; bad values mean 1) of `stmt`, which must be ordered."""
    try:
        number = max(1, int(number or 1))
    except (TypeError, ValueError):
        number = 1
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())) or 0
    last = max(1, -(-total // size))
    number = min(number, last)
    items = list(db.session.scalars(stmt.limit(size).offset((number - 1) * size)))
    return Page(items=items, number=number, size=size, total=total)

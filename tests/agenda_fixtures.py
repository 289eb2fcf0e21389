"""Helpers for agenda and calendar tests: Dushanbe times on the test forum's day, and items
placed through the agenda service (the same path the editor and other features take)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from forum.agenda import service
from forum.events.models import Area, Forum
from forum.extensions import db

DUSHANBE = ZoneInfo("Asia/Dushanbe")
DAY = date(2011, 5, 5)


def at(clock: str, day: date = DAY) -> datetime:
    """'09:30' on the test forum's day (5 May 2011), Dushanbe time."""
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=DUSHANBE)


def area(forum: Forum, key: str) -> Area:
    return db.session.scalar(sa.select(Area).where(Area.forum_id == forum.id, Area.key == key))


def add_area(forum: Forum, key: str, capacity: int | None = 50, name: dict | None = None) -> Area:
    new = Area(forum=forum, key=key, name=name or {"ru": key, "tg": key, "en": key}, kind="hall",
               capacity=capacity, position=len(forum.areas))
    db.session.add(new)
    db.session.commit()
    return new


def data(forum: Forum, start: str, end: str, area_key: str = "main-stage", title: str | dict = "Пункт",
         day: date = DAY, **extra) -> service.ItemData:
    titles = title if isinstance(title, dict) else {"ru": title, "tg": f"{title} (тҷ)", "en": f"{title} (en)"}
    return service.ItemData(kind=extra.pop("kind", "other"), title=titles, area_id=area(forum, area_key).id,
                            starts_at=at(start, day), ends_at=at(end, day), **extra)


def place(forum: Forum, start: str, end: str, area_key: str = "main-stage", title: str | dict = "Пункт",
          commit: bool = True, **extra):
    """Put an item on the agenda through the service; returns the item."""
    saved = service.create_item(forum, data(forum, start, end, area_key, title, **extra))
    if commit:
        db.session.commit()
    return saved.item


def fill(forum: Forum, count: int, areas: int = 10, minutes: int = 15, public: bool = True,
         prefix: str = "hall") -> list:
    """`count` items spread over `areas` new areas, back to back from 09:00: conflict-free by
    construction, so they are inserted directly (the service's checks are tested elsewhere, and
    300 checked placements would only slow the query-count tests down)."""
    from forum.agenda.models import AgendaItem

    keys = [f"{prefix}-{n}" for n in range(areas)]
    for key in keys:
        if area(forum, key) is None:
            add_area(forum, key)
    ids = {key: area(forum, key).id for key in keys}
    items = []
    for n in range(count):
        start = at("09:00") + timedelta(minutes=minutes * (n // areas))
        items.append(AgendaItem(
            forum_id=forum.id, area_id=ids[keys[n % areas]], kind="other", status="scheduled", sequence=0,
            title={"ru": f"Пункт {n}", "tg": f"Банди {n}", "en": f"Item {n}"}, description={"ru": f"Описание {n}"},
            starts_at=start, ends_at=start + timedelta(minutes=minutes), is_public=public))
    db.session.add_all(items)
    db.session.commit()
    assert all(i.ends_at <= forum.ends_at for i in items), "more items than the day holds"
    return items


class QueryCounter:
    """Counts SQL statements sent while it is active (a before_cursor_execute listener)."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        self.statements = []
        sa.event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        return len(self.statements)

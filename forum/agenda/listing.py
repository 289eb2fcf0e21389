"""The public agenda as plain lines in one language, for the page and the printed programme.

Read with two Core queries (items with their area, then hosts) and formatted once here, so a
page of 300 items costs little more than reading its rows: no ORM objects, no per-item
locale lookups in the template.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from forum.agenda.models import AgendaItem, AgendaItemHost
from forum.db import translated
from forum.events.models import Area
from forum.extensions import db
from forum.people.models import Organization, Person


@dataclass(slots=True)
class Line:
    id: int
    kind: str
    title: str
    description: str
    kind_label: str  # the kind in words, when the caller gave the words
    starts_at: datetime  # aware, in the forum's zone
    ends_at: datetime
    start_iso: str  # starts_at as ISO 8601, for <time datetime>
    span: str  # "09:00–09:45", local time
    cancelled: bool
    area_id: int
    area: str  # the area's name
    hosts: str  # host names, comma separated


def public_lines(forum, lang: str, *, kind: str | None = None, include_cancelled: bool = True,
                 kind_labels: dict | None = None) -> list[Line]:
    """The forum's public items (never internal ones) in timetable order, texts in `lang`;
    `kind_labels` ({kind: words}) names each item's kind."""
    kind_labels = kind_labels or {}
    params = {"forum_id": forum.id, **({"kind": kind} if kind else {})}
    rows = db.session.execute(_lines_stmt(bool(kind), include_cancelled), params).all()
    hosts = _hosts([row[0] for row in rows], forum.id)
    zone = ZoneInfo(forum.timezone)
    lines = []
    for item_id, kind_key, title, description, starts_at, ends_at, status, area_id, area_name in rows:
        start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
        lines.append(Line(
            id=item_id, kind=kind_key, kind_label=kind_labels.get(kind_key, kind_key), title=translated(title, lang),
            description=translated(description, lang), starts_at=start, ends_at=end, start_iso=start.isoformat(),
            span=f"{start.hour:02d}:{start.minute:02d}–{end.hour:02d}:{end.minute:02d}",
            cancelled=status == "cancelled", area_id=area_id, area=translated(area_name, lang),
            hosts=", ".join(hosts.get(item_id, ())),
        ))
    return lines


@cache
def _lines_stmt(by_kind: bool, include_cancelled: bool) -> sa.Select:
    # Built once per variant, with bound parameters (the page asks on every request).
    item, area = AgendaItem.__table__, Area.__table__
    stmt = (
        sa.select(item.c.id, item.c.kind, item.c.title, item.c.description, item.c.starts_at, item.c.ends_at,
                  item.c.status, item.c.area_id, area.c.name)
        .join(area, area.c.id == item.c.area_id)
        .where(item.c.forum_id == sa.bindparam("forum_id"), item.c.is_public.is_(True))
        .order_by(item.c.starts_at, area.c.position, area.c.id, item.c.id)
    )
    if by_kind:
        stmt = stmt.where(item.c.kind == sa.bindparam("kind"))
    if not include_cancelled:
        stmt = stmt.where(item.c.status != "cancelled")
    return stmt


def _hosts(item_ids: list[int], forum_id: int) -> dict[int, list[str]]:
    """Host names by item, in the items' host order (one query for the whole forum)."""
    if not item_ids:
        return {}
    stmt = _hosts_stmt()
    found: dict[int, list[str]] = defaultdict(list)
    wanted = set(item_ids)
    for item_id, person, short_name, name in db.session.execute(stmt, {"forum_id": forum_id}):
        if item_id in wanted:
            found[item_id].append(person or short_name or name or "")
    return found


@cache
def _hosts_stmt() -> sa.Select:
    host, item = AgendaItemHost.__table__, AgendaItem.__table__
    person, org = Person.__table__, Organization.__table__
    return (
        sa.select(host.c.item_id, person.c.full_name, org.c.short_name, org.c.name)
        .join(item, item.c.id == host.c.item_id)
        .outerjoin(person, person.c.id == host.c.person_id)
        .outerjoin(org, org.c.id == host.c.organization_id)
        .where(item.c.forum_id == sa.bindparam("forum_id"))
        .order_by(host.c.item_id, host.c.position, host.c.id)
    )

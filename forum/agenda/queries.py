"""Reading the agenda: a forum's items, a person's own schedule and the day's conflicts, each in
a fixed number of queries however many items there are."""
from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from forum.agenda import conflicts
from forum.agenda.models import AgendaItem, AgendaItemAttendee, AgendaItemHost
from forum.events.models import Area, Forum
from forum.extensions import db
from forum.people.models import Registration


def _items_query() -> sa.Select:
    """Items with their area (joined) and hosts (one more query), in timetable order."""
    return (
        sa.select(AgendaItem)
        .join(AgendaItem.area)
        .options(contains_eager(AgendaItem.area),
                 selectinload(AgendaItem.hosts).options(joinedload(AgendaItemHost.person),
                                                        joinedload(AgendaItemHost.organization)))
        .order_by(AgendaItem.starts_at, Area.position, Area.id, AgendaItem.id)
    )


def forum_items(forum: Forum, *, public_only: bool = True, include_cancelled: bool = True,
                kind: str | None = None) -> list[AgendaItem]:
    """A forum's items by start time, then area. `public_only` leaves internal items out (for
    every public page and feed); cancelled ones are kept unless asked, so feeds can say so."""
    params = {"forum_id": forum.id, **({"kind": kind} if kind else {})}
    return list(db.session.scalars(_forum_items_stmt(public_only, include_cancelled, bool(kind)), params).unique())


@cache
def _forum_items_stmt(public_only: bool, include_cancelled: bool, by_kind: bool) -> sa.Select:
    # Built once per variant, with bound parameters: feeds and pages ask for it on every request.
    stmt = _items_query().where(AgendaItem.forum_id == sa.bindparam("forum_id"))
    if public_only:
        stmt = stmt.where(AgendaItem.is_public.is_(True))
    if not include_cancelled:
        stmt = stmt.where(AgendaItem.status != "cancelled")
    if by_kind:
        stmt = stmt.where(AgendaItem.kind == sa.bindparam("kind"))
    return stmt


def public_item(forum: Forum, item_id: int) -> AgendaItem | None:
    """One public item of this forum, or None (unknown, internal or of another forum)."""
    stmt = _items_query().where(AgendaItem.forum_id == forum.id, AgendaItem.id == item_id,
                                AgendaItem.is_public.is_(True))
    return db.session.scalars(stmt).unique().first()


@dataclass(frozen=True)
class PersonalItem:
    item: AgendaItem
    role: str | None  # None: on the public agenda; "invited", "performer", "speaker" or "host"


def items_by_id(item_ids: list[int]) -> list[AgendaItem]:
    """Items by id with their area and hosts (none asked, no query)."""
    if not item_ids:
        return []
    return list(db.session.scalars(_items_query().where(AgendaItem.id.in_(item_ids))).unique())


def personal_items(registration: Registration) -> list[PersonalItem]:
    """A person's own schedule: the forum's public agenda plus the items they are invited to,
    perform in or host, internal ones included. Two queries."""
    rows = db.session.execute(_personal_stmt(), {"registration_id": registration.id,
                                                 "person_id": registration.person_id,
                                                 "forum_id": registration.forum_id}).unique()
    return [PersonalItem(item, role or ("host" if is_host else None)) for item, role, is_host in rows]


@cache
def _personal_stmt() -> sa.Select:
    attendee = sa.orm.aliased(AgendaItemAttendee)
    hosted = sa.exists().where(AgendaItemHost.item_id == AgendaItem.id,
                               AgendaItemHost.person_id == sa.bindparam("person_id"))
    return (
        _items_query()
        .outerjoin(attendee, sa.and_(attendee.item_id == AgendaItem.id,
                                     attendee.registration_id == sa.bindparam("registration_id")))
        .add_columns(attendee.role, hosted.label("hosted"))
        .where(AgendaItem.forum_id == sa.bindparam("forum_id"),
               sa.or_(AgendaItem.is_public.is_(True), attendee.id.is_not(None), hosted))
    )


def attendees_count(items: list[AgendaItem]) -> dict[int, int]:
    """How many people are listed on each item (one query)."""
    if not items:
        return {}
    rows = db.session.execute(
        sa.select(AgendaItemAttendee.item_id, sa.func.count())
        .where(AgendaItemAttendee.item_id.in_([i.id for i in items]))
        .group_by(AgendaItemAttendee.item_id))
    return dict(rows.tuples().all())


def slot(item: AgendaItem) -> conflicts.Slot:
    return conflicts.Slot(
        id=item.id, area_id=item.area_id, starts_at=item.starts_at, ends_at=item.ends_at,
        hosts=frozenset(h.key for h in item.hosts), audience=item.expected_audience,
        capacity=item.area.capacity if item.area is not None else None, item=item,
    )


def day_conflicts(forum: Forum, items: list[AgendaItem] | None = None) -> dict[Hashable, list[conflicts.Conflict]]:
    """Every conflict and warning of a forum's whole agenda, by item id: two queries to load the
    items (none when `items` are given), then computed in memory. Cancelled items are left out."""
    if items is None:
        items = forum_items(forum, public_only=False)
    return conflicts.compute((slot(i) for i in items if not i.is_cancelled), forum.starts_at, forum.ends_at)


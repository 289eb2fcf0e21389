"""Placing items on a forum's agenda, with the conflict rules. The one way to change the agenda:
the timetable editor, the copy of a plan and other features (theatre, round table, job fair)
all come through here, so the same rules hold for all of them.

    from forum.agenda import service
    from forum.agenda.service import AgendaConflict, ItemData

    try:
        saved = service.create_item(forum, ItemData(
            kind="theatre", title={"ru": "Спектакль", "tg": "Намоиш"}, area_id=area.id,
            starts_at=start, ends_at=end, source="theatre", source_id=performance.id))
    except AgendaConflict as conflict:   # conflict.code, conflict.other (the item in the way)
        ...
    saved.item, saved.warnings        # warnings: host booked twice, audience above capacity

Promises of every function here:
- times are aware datetimes (stored as UTC); intervals are half-open [starts_at, ends_at);
- a hard conflict raises `AgendaConflict` and changes nothing: "area_busy" (another item in
  the same area overlaps; `other` is it) or "outside_hours" (outside the forum's hours);
- bad input raises `AgendaError` with a `code` and changes nothing;
- cancelled items conflict with nothing, and are not checked until restored;
- nothing is committed: the caller commits. After a significant change (time, area, title,
  status) the item's `sequence` grows and `forum.agenda.signals.item_changed` is sent, flushed
  and inside the caller's transaction;
- on PostgreSQL the area's row is locked while checking, so two people placing items in one
  area at once cannot both win; on SQLite writers are serialized by the database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult

from forum.agenda.conflicts import Conflict
from forum.agenda.models import ATTENDEE_ROLES, ITEM_KINDS, AgendaItem, AgendaItemAttendee, AgendaItemHost
from forum.agenda.signals import item_changed
from forum.events.models import Area, Forum
from forum.extensions import db
from forum.people.models import Registration


class AgendaError(ValueError):
    """A change of the agenda was refused; `code` for programs (see `forms.ERRORS` for people)."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code


class AgendaConflict(AgendaError):
    """A hard conflict: "area_busy" (`other` is the item in the way) or "outside_hours"."""

    def __init__(self, code: str, other: AgendaItem | None = None):
        title = (other.title.get("ru") or other.title.get("en") or "") if other is not None else ""
        super().__init__(code, f"{code}: {title}" if title else code)
        self.other = other


@dataclass
class ItemData:
    """Everything an item is made of. Titles and descriptions are {"ru", "tg", "en"} dicts."""

    kind: str
    title: dict
    area_id: int
    starts_at: datetime
    ends_at: datetime
    description: dict = field(default_factory=dict)
    is_public: bool = True
    expected_audience: int | None = None
    host_person_ids: list[int] = field(default_factory=list)
    host_organization_ids: list[int] = field(default_factory=list)
    source: str = "agenda"  # the feature that owns the item: "theatre", "roundtable", "jobfair"…
    source_id: int | None = None  # that feature's row


@dataclass
class Saved:
    item: AgendaItem
    warnings: list[Conflict] = field(default_factory=list)  # host_busy, over_capacity


def create_item(forum: Forum, data: ItemData) -> Saved:
    """A new item on `forum`'s agenda, checked against the rules; sends "created"."""
    item = AgendaItem(forum_id=forum.id, status="scheduled", sequence=0)
    _apply(item, data, forum)
    _check_hard(item, forum)
    db.session.add(item)
    db.session.flush()
    _set_hosts(item, data.host_person_ids, data.host_organization_ids)
    db.session.flush()
    item_changed.send(item, kind="created")
    return Saved(item, warnings(item))


def update_item(item: AgendaItem, data: ItemData) -> Saved:
    """Change any field of an item. A change of time or area sends "moved", of the title alone
    "updated"; other changes (description, hosts, audience, public) send nothing."""
    before = {name: getattr(item, name) for name in _FIELDS}
    try:
        _apply(item, data, item.forum)
        moved = (item.starts_at, item.ends_at, item.area_id) != (before["starts_at"], before["ends_at"],
                                                                  before["area_id"])
        retitled = item.title != before["title"]
        if not item.is_cancelled and moved:
            _check_hard(item, item.forum)
    except AgendaError:
        for name, value in before.items():
            setattr(item, name, value)
        raise
    _set_hosts(item, data.host_person_ids, data.host_organization_ids)
    return _changed(item, "moved" if moved else "updated" if retitled else None)


def move_item(item: AgendaItem, starts_at: datetime, area: Area | None = None,
              ends_at: datetime | None = None) -> Saved:
    """Move an item to a new start (keeping its length unless `ends_at` is given) and,
    optionally, to another area of the same forum; sends "moved" when anything changed."""
    starts_at = _utc(starts_at)
    ends_at = _utc(ends_at) if ends_at is not None else starts_at + (item.ends_at - item.starts_at)
    if area is not None and area.forum_id != item.forum_id:
        raise AgendaError("bad_area")
    new_area_id = area.id if area is not None else item.area_id
    if (starts_at, ends_at, new_area_id) == (item.starts_at, item.ends_at, item.area_id):
        return Saved(item, warnings(item))
    if ends_at <= starts_at:
        raise AgendaError("ends_before_start")
    old = (item.starts_at, item.ends_at, item.area_id, item.area)
    item.starts_at, item.ends_at, item.area_id = starts_at, ends_at, new_area_id
    if area is not None:
        item.area = area
    if not item.is_cancelled:
        try:
            _check_hard(item, item.forum)
        except AgendaError:
            item.starts_at, item.ends_at, item.area_id, item.area = old
            raise
    return _changed(item, "moved")


def cancel_item(item: AgendaItem) -> None:
    """Cancel an item: it stays on the agenda and in feeds as cancelled, conflicts with nothing
    and frees its area; sends "cancelled" (nothing when it already was)."""
    if item.is_cancelled:
        return
    item.status = "cancelled"
    _changed(item, "cancelled")


def restore_item(item: AgendaItem) -> Saved:
    """Put a cancelled item back, if its place and time are still free; sends "updated"."""
    if not item.is_cancelled:
        return Saved(item, warnings(item))
    item.status = "scheduled"
    try:
        _check_hard(item, item.forum)
    except AgendaError:
        item.status = "cancelled"
        raise
    return _changed(item, "updated")


def duplicate_item(item: AgendaItem, starts_at: datetime | None = None, area: Area | None = None) -> Saved:
    """A copy of an item (texts, kind, hosts, audience) owned by the agenda, by default right
    after the original in the same area; checked like a new item."""
    starts_at = _utc(starts_at) if starts_at is not None else item.ends_at
    data = item_data(item)
    data.starts_at, data.ends_at = starts_at, starts_at + (item.ends_at - item.starts_at)
    data.area_id = area.id if area is not None else item.area_id
    data.source, data.source_id = "agenda", None
    return create_item(item.forum, data)


def delete_item(item: AgendaItem) -> None:
    """Remove an item for good (for a feature's own mistakes). Items people may already have
    in their calendars should be cancelled instead, so their calendars drop them."""
    db.session.delete(item)
    db.session.flush()


def item_data(item: AgendaItem) -> ItemData:
    """An item's fields as ItemData, e.g. to change one of them and call update_item."""
    return ItemData(
        kind=item.kind, title=dict(item.title), description=dict(item.description or {}), area_id=item.area_id,
        starts_at=item.starts_at, ends_at=item.ends_at, is_public=item.is_public,
        expected_audience=item.expected_audience, source=item.source, source_id=item.source_id,
        host_person_ids=[h.person_id for h in item.hosts if h.person_id is not None],
        host_organization_ids=[h.organization_id for h in item.hosts if h.organization_id is not None],
    )


def item_for_source(source: str, source_id: int) -> AgendaItem | None:
    """The item a feature put on the agenda for one of its rows (the first, if it made several)."""
    return db.session.scalar(sa.select(AgendaItem).where(AgendaItem.source == source, AgendaItem.source_id == source_id)
                             .order_by(AgendaItem.id).limit(1))


def add_attendee(item: AgendaItem, registration: Registration, role: str = "invited",
                 source: str = "agenda") -> AgendaItemAttendee:
    """Put the item in this person's own schedule ("invited", "performer" or "speaker");
    adding someone twice updates their role. The registration must be at the item's forum."""
    if role not in ATTENDEE_ROLES:
        raise AgendaError("bad_role")
    if registration.forum_id != item.forum_id:
        raise AgendaError("other_forum")
    attendee = db.session.scalar(sa.select(AgendaItemAttendee).where(
        AgendaItemAttendee.item_id == item.id, AgendaItemAttendee.registration_id == registration.id))
    if attendee is None:
        attendee = AgendaItemAttendee(item=item, registration=registration, source=source)
        db.session.add(attendee)
    attendee.role = role
    db.session.flush()
    return attendee


def remove_attendee(item: AgendaItem, registration: Registration) -> bool:
    """Take the item out of this person's own schedule; False when it was not there."""
    result = db.session.execute(sa.delete(AgendaItemAttendee).where(
        AgendaItemAttendee.item_id == item.id, AgendaItemAttendee.registration_id == registration.id))
    return bool(cast(CursorResult, result).rowcount)


def warnings(item: AgendaItem) -> list[Conflict]:
    """The warnings of one item (two queries at most): hosts booked elsewhere at the same time,
    and an expected audience above the area's capacity. None for a cancelled item."""
    if item.is_cancelled:
        return []
    found = []
    capacity = item.area.capacity if item.area is not None else None
    if capacity is not None and item.expected_audience is not None and item.expected_audience > capacity:
        found.append(Conflict("over_capacity", audience=item.expected_audience, capacity=capacity))
    person_ids = [h.person_id for h in item.hosts if h.person_id is not None]
    org_ids = [h.organization_id for h in item.hosts if h.organization_id is not None]
    if person_ids or org_ids:
        rows = db.session.execute(
            sa.select(AgendaItemHost.person_id, AgendaItemHost.organization_id, AgendaItem)
            .join(AgendaItem, AgendaItem.id == AgendaItemHost.item_id)
            .where(AgendaItem.id != item.id, AgendaItem.status != "cancelled", *_overlap(item),
                   sa.or_(AgendaItemHost.person_id.in_(person_ids), AgendaItemHost.organization_id.in_(org_ids)))
            .order_by(AgendaItem.starts_at, AgendaItem.id))
        for person_id, org_id, other in rows:
            host = ("p", person_id) if person_id is not None else ("o", org_id)
            found.append(Conflict("host_busy", other=other, host=host))
    return found


# --- helpers ---------------------------------------------------------------------------------

_FIELDS = ("kind", "title", "description", "starts_at", "ends_at", "area_id", "area", "is_public",
           "expected_audience", "source", "source_id")


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise AgendaError("naive_time", "give aware datetimes")
    return moment.astimezone(UTC)


def _apply(item: AgendaItem, data: ItemData, forum: Forum) -> None:
    """Validate `data` and copy it onto `item` (nothing is flushed here)."""
    if data.kind not in ITEM_KINDS:
        raise AgendaError("bad_kind")
    title = _texts(data.title)
    if not title:
        raise AgendaError("title_missing")
    starts_at, ends_at = _utc(data.starts_at), _utc(data.ends_at)
    if ends_at <= starts_at:
        raise AgendaError("ends_before_start")
    if data.expected_audience is not None and data.expected_audience < 0:
        raise AgendaError("bad_audience")
    area = db.session.get(Area, data.area_id)
    if area is None or area.forum_id != forum.id:
        raise AgendaError("bad_area")
    item.kind, item.title, item.description = data.kind, title, _texts(data.description)
    item.starts_at, item.ends_at, item.area_id, item.area = starts_at, ends_at, area.id, area
    item.is_public, item.expected_audience = bool(data.is_public), data.expected_audience
    item.source, item.source_id = data.source or "agenda", data.source_id


def _texts(value: dict | None) -> dict:
    return {k: v.strip() for k, v in (value or {}).items() if k in ("ru", "tg", "en") and v and v.strip()}


def _overlap(item: AgendaItem) -> tuple:
    return (AgendaItem.forum_id == item.forum_id, AgendaItem.starts_at < item.ends_at,
            AgendaItem.ends_at > item.starts_at)


def _check_hard(item: AgendaItem, forum: Forum) -> None:
    """Raise AgendaConflict when the item is outside the forum's hours or its area is taken."""
    if item.starts_at < forum.starts_at or item.ends_at > forum.ends_at:
        raise AgendaConflict("outside_hours")
    stmt = sa.select(AgendaItem).where(AgendaItem.area_id == item.area_id, AgendaItem.status != "cancelled",
                                       *_overlap(item))
    if item.id is not None:
        stmt = stmt.where(AgendaItem.id != item.id)
    with db.session.no_autoflush:  # the item's new values must not reach the database unchecked
        _lock_area(item.area_id)
        other = db.session.scalar(stmt.order_by(AgendaItem.starts_at, AgendaItem.id).limit(1))
    if other is not None:
        raise AgendaConflict("area_busy", other)


def _lock_area(area_id: int) -> None:
    """Serialize placements in one area until the transaction ends, so that the check and the
    write that follows it cannot interleave with another placement's. PostgreSQL: lock the
    area's row. SQLite: a no-op write takes the database's write lock now (a plain SELECT would
    not, and another writer could commit between our check and our insert)."""
    if db.session.get_bind().dialect.name == "sqlite":
        table = Area.__table__
        db.session.execute(sa.update(table).where(table.c.id == area_id).values(position=table.c.position))
    else:
        db.session.execute(sa.select(Area.id).where(Area.id == area_id).with_for_update())


def _set_hosts(item: AgendaItem, person_ids: list[int], organization_ids: list[int]) -> None:
    wanted = [("p", i) for i in dict.fromkeys(person_ids)] + [("o", i) for i in dict.fromkeys(organization_ids)]
    current = {host.key: host for host in item.hosts}
    if list(current) == wanted:
        return
    item.hosts = [current.get(key) or AgendaItemHost(person_id=key[1] if key[0] == "p" else None,
                                                     organization_id=key[1] if key[0] == "o" else None)
                  for key in wanted]
    for position, host in enumerate(item.hosts):
        host.position = position


def _changed(item: AgendaItem, kind: str | None) -> Saved:
    if kind is not None:
        item.sequence = (item.sequence or 0) + 1
    db.session.flush()
    if kind is not None:
        item_changed.send(item, kind=kind)
    return Saved(item, warnings(item))

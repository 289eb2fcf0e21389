"""Booking performances into slots: assign, move, swap, free. One rule, held by the database
transaction: a stage never holds two performances whose slots (with their buffers) overlap,
and a troupe is never on two stages at once.

How two bookings at the same instant are kept apart: each booking first writes the forum's
`TheatreSettings` row (on SQLite that takes the database's write lock, on PostgreSQL the row's
lock), then re-reads what is booked and checks, then writes. On PostgreSQL the exclusion
constraints of `models.EXCLUSION_DDL` refuse an overlap even if a writer skipped the lock.

Each booked performance is an agenda item (kind "theatre", on its stage, hosted by the troupe)
placed through `forum.agenda.service`, so the agenda's own rules hold too and its page, PDF
and feeds follow; the cast has it in their own calendars (attendees, role "performer").
Only an approved performance is ever booked: `book` (the organizers) and `pick` (the troupe,
from its private page) refuse any other, and the database's check `booked_when_approved`
refuses a booked row that is not approved. Booking never approves: that is `service.decide`.
Every function here: on refusal raises TheatreError with the transaction rolled back (nothing
changed); on success the caller commits.
"""
from __future__ import annotations

from datetime import timedelta
from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult

from forum.agenda import service as agenda
from forum.extensions import db
from forum.theatre import notify
from forum.theatre.models import Performance, TheatreSettings, TheatreSlot
from forum.theatre.service import TheatreError


def lock(forum_id: int) -> None:
    """Serialize the bookings of one forum until the transaction ends (see the module's text)."""
    table = TheatreSettings.__table__
    result = db.session.execute(sa.update(table).where(table.c.forum_id == forum_id)
                                .values(bookings=table.c.bookings + 1))
    if cast(CursorResult, result).rowcount == 0:
        db.session.add(TheatreSettings(forum_id=forum_id, requests_open=True, bookings=1))
        db.session.flush()


def _refuse(code: str, other: object = None) -> TheatreError:
    db.session.rollback()
    return TheatreError(code, other=other)


def _stage_clash(area_id: int, start, until, exclude: list[int]) -> Performance | None:
    return db.session.scalar(sa.select(Performance).where(
        Performance.area_id == area_id, Performance.slot_id.is_not(None), Performance.id.not_in(exclude),
        Performance.blocked_from < until, Performance.blocked_until > start).order_by(Performance.blocked_from).limit(1))


def _troupe_clash(organization_id: int, start, end, exclude: list[int]) -> Performance | None:
    return db.session.scalar(sa.select(Performance).where(
        Performance.organization_id == organization_id, Performance.slot_id.is_not(None),
        Performance.id.not_in(exclude), Performance.starts_at < end, Performance.ends_at > start)
        .order_by(Performance.starts_at).limit(1))


def _check(performance: Performance, slot: TheatreSlot, exclude: list[int]) -> None:
    """Raise (rolled back) when `performance` cannot take `slot`, given what the database holds
    now; `exclude` are performances being moved in the same step."""
    if slot.forum_id != performance.forum_id:
        raise _refuse("bad_slot")
    if performance.status != "approved":
        raise _refuse("not_approved")
    holder = db.session.scalar(sa.select(Performance.id).where(Performance.slot_id == slot.id,
                                                                Performance.id.not_in(exclude)))
    if holder is not None:
        raise _refuse("slot_taken", other=db.session.get(Performance, holder))
    if performance.duration_minutes > slot.minutes:
        raise _refuse("too_long")
    until = slot.ends_at + timedelta(minutes=slot.buffer_minutes)
    other = _stage_clash(slot.area_id, slot.starts_at, until, exclude)
    if other is not None:
        raise _refuse("stage_busy", other=other)
    end = slot.starts_at + timedelta(minutes=performance.duration_minutes)
    other = _troupe_clash(performance.organization_id, slot.starts_at, end, exclude)
    if other is not None:
        raise _refuse("troupe_busy", other=other)


def _place(performance: Performance, slot: TheatreSlot | None) -> None:
    """Copy the slot onto the performance (None: unbook), all columns at once: no autoflush may
    write half a booking."""
    with db.session.no_autoflush:
        if slot is None:
            performance.slot_id = performance.area_id = None
            performance.starts_at = performance.ends_at = None
            performance.blocked_from = performance.blocked_until = None
            return
        performance.slot_id, performance.area_id = slot.id, slot.area_id
        performance.starts_at = performance.blocked_from = slot.starts_at
        performance.ends_at = slot.starts_at + timedelta(minutes=performance.duration_minutes)
        performance.blocked_until = slot.ends_at + timedelta(minutes=slot.buffer_minutes)


def _flush() -> None:
    """Write the bookings; the database's constraints have the last word."""
    try:
        db.session.flush()
    except sa.exc.IntegrityError as error:
        text = str(error.orig)
        if "booked_when_approved" in text:
            raise  # `_check` refuses that first: reaching the database's check is a bug, not a refusal
        code = "troupe_busy" if "troupe" in text else "slot_taken" if "slot_id" in text else "stage_busy"
        raise _refuse(code) from None


def _item_data(performance: Performance) -> agenda.ItemData:
    # Only booked performances reach the agenda: their stage and times are set.
    assert performance.area_id is not None
    assert performance.starts_at is not None
    assert performance.ends_at is not None
    description = dict(performance.theme or {})
    return agenda.ItemData(
        kind="theatre", title=dict(performance.title), description=description, area_id=performance.area_id,
        starts_at=performance.starts_at, ends_at=performance.ends_at, is_public=True,
        host_organization_ids=[performance.organization_id], source="theatre", source_id=performance.id)


def _sync_agenda(performance: Performance):
    """Create, move or restore the performance's agenda item; its cast get it in their calendars."""
    item = agenda.item_for_source("theatre", performance.id)
    try:
        if item is None:
            item = agenda.create_item(performance.forum, _item_data(performance)).item
        elif item.is_cancelled:
            agenda.update_item(item, _item_data(performance))
            agenda.restore_item(item)
        else:
            agenda.update_item(item, _item_data(performance))
    except agenda.AgendaConflict as conflict:
        raise _refuse(f"agenda_{conflict.code}", other=conflict.other) from None
    except agenda.AgendaError:
        raise _refuse("agenda_outside_hours") from None
    people = [performance.registration] + [m.registration for m in performance.cast]
    for registration in filter(None, people):
        agenda.add_attendee(item, registration, role="performer", source="theatre")
    return item


def book(performance: Performance, slot: TheatreSlot) -> None:
    """The organizers put an approved `performance` into `slot` (a first booking or a move).
    Refused ("not_approved") while the request waits or after it was declined."""
    lock(performance.forum_id)
    db.session.refresh(performance)
    _book(performance, slot)


def pick(performance: Performance, slot: TheatreSlot) -> None:
    """The troupe picks a slot on its private page: only when its performance is approved and
    has no slot yet ("not_yours_to_pick"); any later change is the organizers'."""
    lock(performance.forum_id)
    db.session.refresh(performance)
    if performance.status != "approved" or performance.slot_id is not None:
        raise _refuse("not_yours_to_pick")
    _book(performance, slot)


def _book(performance: Performance, slot: TheatreSlot) -> None:
    """Book under the forum's lock, `performance` freshly read."""
    db.session.refresh(slot)
    if performance.slot_id == slot.id:
        return
    moved = performance.slot_id is not None
    _check(performance, slot, [performance.id])
    _place(performance, slot)
    _flush()
    _sync_agenda(performance)
    notify.booked(performance, moved=moved)


def swap(first: Performance, second: Performance) -> None:
    """Exchange the slots of two booked performances in one step (the same stage or two)."""
    if first.id == second.id:
        raise TheatreError("swap_same")
    lock(first.forum_id)
    for performance in (first, second):
        db.session.refresh(performance)
    if first.slot is None or second.slot is None or first.forum_id != second.forum_id:
        raise _refuse("swap_unbooked")
    slot_one, slot_two = first.slot, second.slot
    both = [first.id, second.id]
    _check(first, slot_two, both)
    _check(second, slot_one, both)
    # Unbook both, then book each into the other's slot: every flushed state obeys the constraints.
    _place(first, None)
    _place(second, None)
    _flush()
    _place(first, slot_two)
    _place(second, slot_one)
    _flush()
    item = agenda.item_for_source("theatre", first.id)
    assert item, "a booked performance has its agenda item"
    # The first item steps aside (inside this uncommitted transaction, no signal) so the second
    # may take its time and stage; then it takes the second's old place through the service.
    item.status = "cancelled"
    db.session.flush()
    _sync_agenda(second)
    item.status = "scheduled"
    _sync_agenda(first)
    notify.booked(first, moved=True)
    notify.booked(second, moved=True)


def unbook(performance: Performance, notify_troupe: bool = True) -> None:
    """Free the performance's slot; its agenda item is cancelled (calendars drop it)."""
    lock(performance.forum_id)
    db.session.refresh(performance)
    if performance.slot_id is None:
        return
    _place(performance, None)
    _flush()
    item = agenda.item_for_source("theatre", performance.id)
    if item is not None:
        agenda.cancel_item(item)
    if notify_troupe:
        notify.unbooked(performance)

"""Cutting a stage's day into slots, and reading the slots back: free ones for a troupe, the
booked ones for the public schedule."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import cast
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from forum.agenda.models import AgendaItem
from forum.events.models import Area, Forum
from forum.extensions import db
from forum.theatre.models import Performance, TheatreSlot
from forum.theatre.service import TheatreError, settings_for

# Kinds of agenda items nobody performs through: the opening and breaks.
KEPT_FREE = ("break", "opening")


@dataclass
class SlotPlan:
    area_id: int  # a stage of the forum
    start: time  # local time of the forum's day
    end: time  # the last slot ends by then
    slot_minutes: int
    buffer_minutes: int
    breaks: list[tuple[time, time]] = field(default_factory=list)  # local times kept free


def _local(forum: Forum, moment: time) -> datetime:
    zone = ZoneInfo(forum.timezone)
    day: date = forum.starts_at.astimezone(zone).date()
    return datetime.combine(day, moment, tzinfo=zone).astimezone(ZoneInfo("UTC"))


def blockers(forum: Forum, area: Area) -> tuple[list[tuple[datetime, datetime]], list[tuple[datetime, datetime]]]:
    """What slots must avoid: (times kept free for everyone: openings and breaks on this stage or
    on any stage (the whole forum's), times this stage is used by others: agenda items not of
    the theatre, with their own end)."""
    items = db.session.scalars(sa.select(AgendaItem).options(joinedload(AgendaItem.area)).where(
        AgendaItem.forum_id == forum.id, AgendaItem.status != "cancelled"))
    everyone, stage = [], []
    for item in items:
        if item.kind in KEPT_FREE and (item.area_id == area.id or item.area.kind == "stage"):
            everyone.append((item.starts_at, item.ends_at))
        elif item.area_id == area.id and item.source != "theatre":
            stage.append((item.starts_at, item.ends_at))
    return everyone, stage


def generate(forum: Forum, plan: SlotPlan) -> list[TheatreSlot]:
    """Slots of `plan.slot_minutes` on a stage from `start` to `end`, `buffer_minutes` apart.

    Promises: no slot overlaps a break of the plan, an opening or break of the agenda on this
    stage or any stage, or (with buffers) another use of the stage or an existing slot; slots
    stay inside the forum's hours. Refused ("bad_stage", "bad_times", "bad_length") with nothing
    made. Returns the new slots (maybe none); the caller commits."""
    area = db.session.get(Area, plan.area_id)
    if area is None or area.forum_id != forum.id or area.kind != "stage":
        raise TheatreError("bad_stage", "area_id")
    if not (5 <= plan.slot_minutes <= 180 and 0 <= plan.buffer_minutes <= 120):
        raise TheatreError("bad_length", "slot_minutes")
    start, end = max(_local(forum, plan.start), forum.starts_at), min(_local(forum, plan.end), forum.ends_at)
    if end <= start or any(b_end <= b_start for b_start, b_end in plan.breaks):
        raise TheatreError("bad_times", "start")
    settings_for(forum)
    everyone, stage = blockers(forum, area)
    everyone += [(_local(forum, a), _local(forum, b)) for a, b in plan.breaks]
    buffer = timedelta(minutes=plan.buffer_minutes)
    length = timedelta(minutes=plan.slot_minutes)
    taken = stage + [(s.starts_at, s.ends_at + timedelta(minutes=s.buffer_minutes)) for s in db.session.scalars(
        sa.select(TheatreSlot).where(TheatreSlot.area_id == area.id))]
    made, moment = [], start
    while moment + length <= end:
        finish = moment + length
        later = [b for a, b in everyone if a < finish and moment < b]
        later += [b for a, b in taken if a < finish + buffer and moment < b]
        if later:
            moment = max(later)
            continue
        slot = TheatreSlot(forum_id=forum.id, area_id=area.id, starts_at=moment, ends_at=finish,
                           buffer_minutes=plan.buffer_minutes)
        db.session.add(slot)
        made.append(slot)
        taken.append((moment, finish + buffer))
        moment = finish + buffer
    db.session.flush()
    return made


def slot_of(forum: Forum, slot_id: int | None) -> TheatreSlot | None:
    slot = db.session.get(TheatreSlot, slot_id) if slot_id else None
    return slot if slot is not None and slot.forum_id == forum.id else None


def delete_slot(slot: TheatreSlot) -> None:
    """Remove a slot nobody is booked in ("slot_taken" otherwise). The caller commits."""
    if slot.performance is not None:
        raise TheatreError("slot_taken", other=slot.performance)
    db.session.delete(slot)
    db.session.flush()


def all_slots(forum: Forum) -> list[TheatreSlot]:
    return list(db.session.scalars(
        sa.select(TheatreSlot).options(joinedload(TheatreSlot.area), joinedload(TheatreSlot.performance)
                                       .joinedload(Performance.organization))
        .where(TheatreSlot.forum_id == forum.id).order_by(TheatreSlot.starts_at, TheatreSlot.area_id)).unique())


def free_slots(forum: Forum, performance: Performance | None = None) -> list[TheatreSlot]:
    """Slots nobody holds; for a performance, only those long enough at times its troupe is free."""
    slots = [s for s in all_slots(forum) if s.performance is None]
    if performance is None:
        return slots
    busy = [(p.starts_at, p.ends_at) for p in db.session.scalars(sa.select(Performance).where(
        Performance.organization_id == performance.organization_id, Performance.slot_id.is_not(None),
        Performance.id != performance.id)) if p.starts_at and p.ends_at]  # booked: both are set
    need = timedelta(minutes=performance.duration_minutes)
    return [s for s in slots if s.ends_at - s.starts_at >= need
            and not any(a < s.starts_at + need and s.starts_at < b for a, b in busy)]


def schedule(forum: Forum) -> list[tuple[Area, list[Performance]]]:
    """Booked performances by stage (in the timetable's order of areas), each by time."""
    booked = list(db.session.scalars(
        sa.select(Performance).options(joinedload(Performance.organization), joinedload(Performance.area))
        .where(Performance.forum_id == forum.id, Performance.slot_id.is_not(None),
               Performance.status == "approved").order_by(Performance.starts_at)))
    by_area: dict[int | None, list[Performance]] = {}
    for performance in booked:
        by_area.setdefault(performance.area_id, []).append(performance)
    return [(area, by_area[area.id]) for area in forum.areas if area.id in by_area]


def agenda_items(performances: list[Performance]) -> dict[int, int]:
    """The agenda item id of each performance (for its "add to calendar" link), one query."""
    if not performances:
        return {}
    rows = db.session.execute(sa.select(AgendaItem.source_id, AgendaItem.id).where(
        AgendaItem.source == "theatre", AgendaItem.source_id.in_([p.id for p in performances]),
        AgendaItem.status != "cancelled"))
    return cast(dict[int, int], dict(rows.tuples().all()))  # no None: the query asks for these ids

"""The conflict rules of the agenda, as plain computations over time slots (no database).

Hard conflicts refuse a change: two items in one area at the same time ("area_busy"), an item
outside the forum's hours ("outside_hours"). Warnings are shown beside the item: a host booked
twice at the same time ("host_busy"), more people expected than the area holds
("over_capacity"). Intervals are half-open, [start, end): 09:00–10:00 and 10:00–11:00 do not
meet. Cancelled items conflict with nothing; callers leave them out.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

HARD = ("area_busy", "outside_hours")
WARNINGS = ("host_busy", "over_capacity")


@dataclass(frozen=True)
class Slot:
    """What the rules need to know of one item."""

    id: Hashable
    area_id: int
    starts_at: datetime
    ends_at: datetime
    hosts: frozenset = frozenset()  # host keys, e.g. ("p", 12) or ("o", 3)
    audience: int | None = None  # expected audience
    capacity: int | None = None  # the area's capacity; None when unlimited
    item: object = field(default=None, compare=False)  # the AgendaItem, handed back in conflicts


@dataclass(frozen=True)
class Conflict:
    code: str  # one of HARD or WARNINGS
    other: object = None  # the other AgendaItem (area_busy, host_busy)
    host: Hashable = None  # the host key booked twice (host_busy)
    audience: int | None = None  # over_capacity: expected audience…
    capacity: int | None = None  # …and what the area holds

    @property
    def hard(self) -> bool:
        return self.code in HARD


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Whether two half-open intervals share a moment."""
    return a_start < b_end and b_start < a_end


def _overlapping_pairs(slots: list[Slot]) -> Iterable[tuple[Slot, Slot]]:
    """Every pair of overlapping slots, by a sweep over start times: O(n log n + pairs)."""
    active: list[Slot] = []
    for slot in sorted(slots, key=lambda s: (s.starts_at, s.ends_at)):
        active = [a for a in active if a.ends_at > slot.starts_at]
        for other in active:
            yield other, slot
        active.append(slot)


def compute(slots: Iterable[Slot], opens: datetime, closes: datetime) -> dict[Hashable, list[Conflict]]:
    """Every conflict of every slot, for a whole day at once. Each overlap is reported on both
    items, naming the other one; a slot without conflicts has no key in the answer."""
    slots = list(slots)
    found: dict[Hashable, list[Conflict]] = defaultdict(list)
    by_area: dict[int, list[Slot]] = defaultdict(list)
    by_host: dict[Hashable, list[Slot]] = defaultdict(list)
    for slot in slots:
        if slot.starts_at < opens or slot.ends_at > closes:
            found[slot.id].append(Conflict("outside_hours"))
        if slot.capacity is not None and slot.audience is not None and slot.audience > slot.capacity:
            found[slot.id].append(Conflict("over_capacity", audience=slot.audience, capacity=slot.capacity))
        by_area[slot.area_id].append(slot)
        for host in slot.hosts:
            by_host[host].append(slot)
    for group in by_area.values():
        for a, b in _overlapping_pairs(group):
            found[a.id].append(Conflict("area_busy", other=b.item))
            found[b.id].append(Conflict("area_busy", other=a.item))
    for host, group in by_host.items():
        for a, b in _overlapping_pairs(group):
            found[a.id].append(Conflict("host_busy", other=b.item, host=host))
            found[b.id].append(Conflict("host_busy", other=a.item, host=host))
    return dict(found)

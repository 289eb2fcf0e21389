"""Copying a forum as the next one: the whole setup, no people.

The events package copies the forum and its areas; every feature package copies its own
settings, so this module knows none of their models. A package announces its copier in its
`__init__.py` (see forum.features):

    COPY = ("forum.theatre.copying", 50)   # a module, and its order (the agenda goes first)

The module has `copy_settings(copy: ForumCopy) -> None`, which adds the package's settings of
`copy.source` to `copy.target` (times through `copy.shift`, areas through `copy.area_for`) and
says what it did with `copy.copied(...)` and `copy.note(...)`. It may also have
`checklist(forum) -> list[Todo]`: what is still to do before that forum can happen.

What a copier never copies: people, registrations, scans, submissions, messages. Those belong
to the forum they happened at.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from forum.events.models import Area, Forum


@dataclass
class ForumCopy:
    """A forum being copied: where from, where to, how far times move; and what was done."""

    source: Forum
    target: Forum
    days: timedelta  # the start dates' difference: every time moves by it, at the same local hours
    lines: list[str] = field(default_factory=list)  # what was copied, one line per kind, for people
    notes: list[str] = field(default_factory=list)  # what was left behind and why
    # Source agenda item id -> its copy, filled by the agenda's copier (the round table reads it).
    items: dict[int, object] = field(default_factory=dict)

    def shift(self, moment: datetime) -> datetime:
        """`moment` of the source moved to the target's date, at the same local wall-clock time
        (in the target's time zone), as UTC."""
        zone = ZoneInfo(self.target.timezone)
        local = moment.astimezone(ZoneInfo(self.source.timezone))
        return datetime.combine(local.date() + self.days, local.time(), tzinfo=zone).astimezone(UTC)

    def area_for(self, area_or_id: Area | int | None) -> Area | None:
        """The target's area with the same key as the source's area (areas are matched by key)."""
        if area_or_id is None:
            return None
        source_area = area_or_id if isinstance(area_or_id, Area) else next(
            (a for a in self.source.areas if a.id == area_or_id), None)
        if source_area is None:
            return None
        return next((a for a in self.target.areas if a.key == source_area.key), None)

    def copied(self, line: str) -> None:
        self.lines.append(line)

    def note(self, line: str) -> None:
        self.notes.append(line)


@dataclass(frozen=True)
class Todo:
    """One line of a forum's checklist: what to do, whether it is done, where to do it."""

    label: str
    done: bool
    endpoint: str  # where to do it; takes `slug`
    detail: str = ""  # e.g. the date, or "3 partners"
    order: int = 100


def copiers() -> list:
    """The feature packages' copying modules, in their declared order."""
    from forum.features import packages

    steps = [p.COPY for p in packages() if getattr(p, "COPY", None)]
    return [importlib.import_module(name) for name, _order in sorted(steps, key=lambda step: step[1])]


def run_copiers(copy: ForumCopy) -> None:
    for module in copiers():
        if hasattr(module, "copy_settings"):
            module.copy_settings(copy)


def feature_todos(forum: Forum) -> Iterable[Todo]:
    for module in copiers():
        if hasattr(module, "checklist"):
            yield from module.checklist(forum)


def start_shift(source: Forum, starts_on: date) -> timedelta:
    """How far the copy moves: from the source's first local day to `starts_on`."""
    return starts_on - source.starts_at.astimezone(ZoneInfo(source.timezone)).date()
